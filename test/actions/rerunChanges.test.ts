// `r` in the console: what changed since the last run. The first "last run" is the view once every
// context has answered, not the screen of unknowns while they were still connecting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from 'zustand/vanilla';
import { createRerunChanges } from '../../src/actions/rerunChanges.ts';
import { CLOSED_FLOW, type ActionFlowState } from '../../src/console/actionFlow.ts';
import type { FindingsState } from '../../src/console/services.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import { contextId } from '../../src/store/types.ts';
import type { Evaluation } from '../../checks/evaluate.ts';
import type { Finding, Severity } from '../../checks/types.ts';

function finding(severity: Severity, message: string): Finding {
  return {
    check: 'MC-NET-001',
    title: 'Network labels consistent',
    severity,
    contexts: ['cluster-west'],
    subject: { context: 'cluster-west', kind: 'Namespace', name: 'istio-system' },
    message,
    evidence: [],
  };
}

function evaluation(...findings: Finding[]): Evaluation {
  return { findings, causeOf: new Map(), byContext: new Map(), ran: [], reused: [] };
}

describe('re-run checks: what changed since the last run', () => {
  it('counts from the first evaluation after every context answered, and lists what appeared', async () => {
    const mesh = createMeshStore({ contexts: [contextId('cluster-west')] });
    const findings = createStore<FindingsState>()(() => ({ evaluation: undefined, evaluatedAt: undefined, rerunning: false }));
    const flow = createStore<ActionFlowState>()(() => CLOSED_FLOW);
    let next = evaluation(finding('fail', 'label is "west-network"'));
    const rerun = createRerunChanges({
      mesh: mesh.api,
      findings,
      flow,
      rerun: () => {
        findings.setState({ evaluation: next, evaluatedAt: '2026-12-02T10:05:00Z' });
        return Promise.resolve();
      },
    });
    try {
      // While connecting every check is unknown: that is not the baseline.
      findings.setState({
        evaluation: evaluation(finding('unknown', 'the context is still connecting')),
        evaluatedAt: '2026-12-02T10:00:00Z',
      });
      mesh.actions.setContextStatus(contextId('cluster-west'), 'ready');
      mesh.flush();
      findings.setState({ evaluation: evaluation(finding('pass', 'labels agree')), evaluatedAt: '2026-12-02T10:01:00Z' });

      await rerun.rerunChecks();
      const lines = flow.getState().lines;
      assert.equal(flow.getState().phase, 'done');
      assert.equal(lines[0], 'Changes since 2026-12-02T10:01:00Z:');
      assert.ok(
        lines.some((l) => /^ {2}appeared +MC-NET-001 .*label is "west-network"/.test(l)),
        lines.join('\n'),
      );
      assert.ok(!lines.some((l) => l.includes('cleared')), lines.join('\n'));

      // The next run counts from this one: the fix shows as cleared.
      next = evaluation(finding('pass', 'labels agree'));
      await rerun.rerunChecks();
      const after = flow.getState().lines;
      assert.equal(after[0], 'Changes since 2026-12-02T10:05:00Z:');
      assert.ok(
        after.some((l) => /^ {2}cleared +MC-NET-001/.test(l)),
        after.join('\n'),
      );
    } finally {
      rerun.stop();
      mesh.dispose();
    }
  });
});
