// One evaluation runs each check once (no check calls another), and an Evaluator kept across
// snapshots reuses a check's findings exactly while what it read is the same objects — the
// store's reducer makes the next snapshot, as it does in the console.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS, DEFAULT_CHECK_OPTIONS, evaluateChecks } from '../../checks/registry.ts';
import { Evaluator } from '../../checks/evaluate.ts';
import type { CheckDefinition, Finding } from '../../checks/types.ts';
import { applyUpdates } from '../../src/store/applyUpdates.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { ISTIOD_ZTUNNEL_PODS, NAMESPACES } from '../../src/store/resourceIds.ts';
import type { KubeObjectJson, MeshSnapshot, MeshState } from '../../src/store/types.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';

function stateOf(snapshot: MeshSnapshot): MeshState {
  return {
    contexts: snapshot.contexts,
    facts: snapshot.facts,
    logSignatures: snapshot.logSignatures,
    logTail: {},
    updatedAt: snapshot.takenAt,
  };
}

/** The next snapshot after `updates`, made by the store's own reducer. */
function next(snapshot: MeshSnapshot, updates: StoreUpdate[], takenAt = snapshot.takenAt): MeshSnapshot {
  return toSnapshot(applyUpdates(stateOf(snapshot), updates, takenAt), takenAt);
}

function firstPod(snapshot: MeshSnapshot, app: string): { context: string; pod: KubeObjectJson } {
  for (const [context, ctx] of Object.entries(snapshot.contexts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pod = Object.values(ctx.resources[ISTIOD_ZTUNNEL_PODS]?.objects ?? {}).find((p) => p.metadata.labels?.['app'] === app);
    if (pod) return { context, pod };
  }
  throw new Error(`no ${app} pod`);
}

/** A ztunnel pod that stopped being Ready: a change MC-POD-001 must see. */
function notReady(pod: KubeObjectJson): KubeObjectJson {
  const status = pod['status'] as { conditions?: { type: string; status: string }[]; containerStatuses?: { ready: boolean }[] };
  const conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
  const containerStatuses = (status.containerStatuses ?? []).map((c) => ({ ...c, ready: false }));
  return {
    ...pod,
    metadata: { ...pod.metadata, resourceVersion: `${pod.metadata.resourceVersion ?? '0'}1` },
    status: { ...status, conditions, containerStatuses },
  };
}

function withoutHints(findings: readonly Finding[]): unknown {
  return JSON.parse(JSON.stringify(findings)) as unknown;
}

describe('check evaluation', () => {
  let scenario: ScenarioSnapshot;
  before(async () => {
    scenario = await snapshotOfScenario('peer-disconnected');
  });
  after(async () => {
    await scenario.stop();
  });

  it('runs every check exactly once per evaluation: no check runs another', (t) => {
    const calls = new Map<string, number>();
    for (const check of CHECKS) {
      const original = check.run.bind(check);
      t.mock.method(check as { run: CheckDefinition['run'] }, 'run', (snapshot: MeshSnapshot, options: typeof DEFAULT_CHECK_OPTIONS) => {
        calls.set(check.id, (calls.get(check.id) ?? 0) + 1);
        return original(snapshot, options);
      });
    }
    const { findings } = evaluateChecks(scenario.snapshot);
    assert.ok(
      findings.some((f) => f.explainedBy !== undefined),
      'the scenario has symptoms, so explaining happened',
    );
    assert.deepEqual([...calls.entries()].sort(), CHECKS.map((c) => [c.id, 1]).sort());
  });

  it('reuses the findings of checks that did not read what changed, and re-runs the rest', () => {
    const evaluator = new Evaluator(CHECKS);
    const first = evaluator.evaluate(scenario.snapshot, DEFAULT_CHECK_OPTIONS);
    assert.equal(first.reused.length, 0);
    const { context, pod } = firstPod(scenario.snapshot, 'ztunnel');
    const changed = next(scenario.snapshot, [
      {
        type: 'watchEvents',
        context: context as never,
        resource: ISTIOD_ZTUNNEL_PODS,
        events: [{ type: 'MODIFIED', object: notReady(pod) }],
      },
    ]);
    const second = evaluator.evaluate(changed, DEFAULT_CHECK_OPTIONS);
    for (const reader of ['MC-POD-001', 'MC-XDS-001', 'MC-LOG-001'])
      assert.ok(second.ran.includes(reader), `${reader} reads pods, so it runs again`);
    for (const untouched of ['MC-ENV-001', 'MC-NET-001', 'MC-CERT-001', 'MC-PEER-001'])
      assert.ok(second.reused.includes(untouched), `${untouched} reads no pods`);
    // Reused findings are the very objects of last time: a console row keyed on them does not redraw.
    const envBefore = first.findings.filter((f) => f.check === 'MC-ENV-001');
    assert.deepEqual(
      second.findings.filter((f) => f.check === 'MC-ENV-001'),
      envBefore,
    );
    second.findings.filter((f) => f.check === 'MC-ENV-001').forEach((f, i) => assert.equal(f, envBefore[i]));
    // What the user sees is exactly what a cold evaluation says: reuse never serves a stale answer.
    assert.deepEqual(withoutHints(second.findings), withoutHints(new Evaluator(CHECKS).evaluate(changed, DEFAULT_CHECK_OPTIONS).findings));
    assert.ok(
      second.findings.some((f) => f.check === 'MC-POD-001' && f.severity === 'fail' && f.subject.name.startsWith('ztunnel')),
      'the pod going unready is seen',
    );
    // A pane showing only another context keeps its list: nothing there changed.
    for (const [other, list] of first.byContext) {
      const changedHere = second.findings.some((f) => f.contexts.includes(other) && !first.findings.includes(f));
      if (changedHere) assert.notEqual(second.byContext.get(other), list, `${other} changed`);
      else assert.equal(second.byContext.get(other), list, `${other} did not change`);
    }
    assert.ok(
      [...first.byContext.keys()].some((c) => second.byContext.get(c) === first.byContext.get(c)),
      'some context kept its list',
    );
  });

  it('re-runs a check when a resource it read changes, even one it only looked up by name', () => {
    const evaluator = new Evaluator(CHECKS);
    evaluator.evaluate(scenario.snapshot, DEFAULT_CHECK_OPTIONS);
    const [context, ctx] = Object.entries(scenario.snapshot.contexts)[0] ?? [];
    assert.ok(context && ctx);
    const namespaces = Object.values(ctx.resources[NAMESPACES]?.objects ?? {});
    const istio = namespaces.find((n) => n.metadata.name === 'istio-system');
    assert.ok(istio);
    const relabelled = {
      ...istio,
      metadata: { ...istio.metadata, labels: { ...istio.metadata.labels, 'topology.istio.io/network': 'elsewhere' } },
    };
    const changed = next(scenario.snapshot, [
      { type: 'watchEvents', context: context as never, resource: NAMESPACES, events: [{ type: 'MODIFIED', object: relabelled }] },
    ]);
    const result = evaluator.evaluate(changed, DEFAULT_CHECK_OPTIONS);
    assert.ok(result.ran.includes('MC-NET-001'));
    assert.ok(result.findings.some((f) => f.check === 'MC-NET-001' && f.severity === 'fail' && f.subject.context === context));
  });

  it('reuses everything when nothing changed, and re-runs clock-reading checks only when the minute moves', () => {
    const evaluator = new Evaluator(CHECKS);
    const first = evaluator.evaluate(scenario.snapshot, DEFAULT_CHECK_OPTIONS);
    const same = evaluator.evaluate(toSnapshot(stateOf(scenario.snapshot), scenario.snapshot.takenAt), DEFAULT_CHECK_OPTIONS);
    assert.deepEqual(same.ran, []);
    assert.equal(same.findings, first.findings, 'the explained list itself is reused');
    const taken = Date.parse(scenario.snapshot.takenAt);
    const minuteStart = taken - (taken % 60_000);
    const early = evaluator.evaluate(
      { ...scenario.snapshot, takenAt: new Date(minuteStart + 59_000).toISOString() },
      DEFAULT_CHECK_OPTIONS,
    );
    assert.ok(!early.ran.includes('MC-CERT-002'), 'same minute: the expiry countdown is reused');
    const later = evaluator.evaluate(
      { ...scenario.snapshot, takenAt: new Date(minuteStart + 61_000).toISOString() },
      DEFAULT_CHECK_OPTIONS,
    );
    assert.ok(later.ran.includes('MC-CERT-002'), 'next minute: the expiry countdown runs again');
    assert.ok(!later.ran.includes('MC-NET-001'), 'a check that reads no clock is not woken by it');
  });

  it('re-runs every check when the options change', () => {
    const evaluator = new Evaluator(CHECKS);
    evaluator.evaluate(scenario.snapshot, DEFAULT_CHECK_OPTIONS);
    const precheck = evaluator.evaluate(scenario.snapshot, { ...DEFAULT_CHECK_OPTIONS, precheck: true });
    assert.equal(precheck.ran.length, CHECKS.length);
    assert.ok(
      precheck.findings.some((f) => f.check === 'MC-PEER-001' && f.severity === 'warn'),
      'with --precheck a disconnected peer only warns',
    );
  });

  it('refuses a check that writes to the snapshot, reporting it as unknown', () => {
    const writer: CheckDefinition = {
      id: 'MC-DNS-001',
      title: 'writes',
      reads: [],
      decides: '',
      remediation: '',
      run(snapshot) {
        (snapshot.contexts as Record<string, unknown>)['x'] = 1;
        return [];
      },
    };
    const [finding] = new Evaluator([writer]).evaluate(scenario.snapshot, DEFAULT_CHECK_OPTIONS).findings;
    assert.equal(finding?.severity, 'unknown');
    assert.match(finding?.message ?? '', /must not change the snapshot/);
    assert.equal((scenario.snapshot.contexts as Record<string, unknown>)['x'], undefined);
  });
});
