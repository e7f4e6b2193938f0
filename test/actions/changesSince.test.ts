// "What changed since the last run": a fix applied between two evaluations shows as the finding
// that cleared and the label change the watch saw, under the cluster it happened in; plus the
// finding diff on its own (appeared, cleared, severity) with hand-made findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeJournal, changesLines, changesSince, diffFindings } from '../../src/actions/changesSince.ts';
import { planRelabelNetwork } from '../../src/actions/planRelabel.ts';
import { runAction } from '../../src/actions/runPlan.ts';
import type { Finding } from '../../checks/types.ts';
import { findingsOf, ISTIO_NS, startLiveScenario } from './actionsHarness.ts';
import { evaluateChecks } from '../../checks/registry.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';

function finding(check: Finding['check'], severity: Finding['severity'], name: string): Finding {
  return {
    check,
    title: check,
    severity,
    contexts: ['c1'],
    subject: { context: 'c1', kind: 'Gateway', namespace: 'istio-system', name },
    message: `${name} is ${severity}`,
    evidence: [],
  };
}

test('diffFindings: appeared, cleared and changed severity, keyed by subject not message', () => {
  const before = [finding('MC-NET-001', 'fail', 'a'), finding('MC-PEER-001', 'warn', 'b'), finding('MC-EW-001', 'fail', 'c')];
  const after = [
    finding('MC-NET-001', 'pass', 'a'),
    finding('MC-PEER-001', 'fail', 'b'),
    finding('MC-EW-001', 'fail', 'c'),
    finding('MC-WE-001', 'unknown', 'd'),
  ];
  const changes = diffFindings(before, after);
  assert.deepEqual(
    changes.map((c) => `${c.change} ${c.finding.subject.name}${c.change === 'severity' ? ` ${c.from}->${c.to}` : ''}`).sort(),
    ['appeared d', 'cleared a', 'severity b warn->fail'],
  );
});

test('a relabel between two runs: MC-NET-001 cleared, and the namespace label change listed under cluster-west with its time', async () => {
  const live = await startLiveScenario('network-mismatch');
  const journal = new ChangeJournal(live.mesh.store.api);
  journal.start();
  try {
    const before = evaluateChecks(live.snapshot(), { precheck: false, istioNamespace: ISTIO_NS }).findings;
    const lastRun = new Date().toISOString();
    const plan = planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-net', istioNamespace: ISTIO_NS });
    if ('refused' in plan) throw new Error(plan.refused);
    await runAction(plan, live.env, { apply: true });
    await live.waitForFindings('MC-NET-001', 'cluster-west', (fs) => fs.every((f) => f.severity === 'pass'), 'the fix to arrive');
    const after = evaluateChecks(toSnapshot(live.mesh.store.getState()), { precheck: false, istioNamespace: ISTIO_NS }).findings;
    assert.ok(findingsOf(live.mesh.store.getState(), 'MC-NET-001', 'cluster-west').length > 0);

    const report = changesSince(before, after, journal, lastRun);
    assert.ok(
      report.findings.some(
        (c) => c.change === 'cleared' && c.finding.check === 'MC-NET-001' && c.finding.subject.context === 'cluster-west',
      ),
    );
    const west = report.objects.get('cluster-west') ?? [];
    const label = west.find((c) => c.kind === 'Namespace' && c.name === ISTIO_NS);
    assert.equal(label?.what, 'label topology.istio.io/network "west-network" -> "west-net"');
    assert.ok(Date.parse(label.at) >= Date.parse(lastRun));
    const lines = changesLines(report);
    assert.ok(lines.some((l) => /^ {2}cleared +MC-NET-001 cluster-west Namespace istio-system/.test(l)));
    assert.ok(lines.includes('  cluster-west:'));
  } finally {
    journal.stop();
    await live.stop();
  }
});
