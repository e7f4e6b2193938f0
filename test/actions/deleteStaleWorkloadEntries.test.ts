// delete-stale-workloadentries against the simulator: the stale-autogenflat scenario's two entries
// are planned with their evidence, deleted with preconditions, and MC-WE-001 passes once the watch
// sees them go, and a re-run of the checks then finds nothing wrong anywhere; an entry whose pod came back since the plan is refused by the re-check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeleteStaleWorkloadEntries } from '../../src/actions/planDeleteStale.ts';
import { runAction } from '../../src/actions/runPlan.ts';
import { planOf, problems, rerunChecks, startLiveScenario } from './actionsHarness.ts';
import type { LiveScenario } from './actionsHarness.ts';

const STALE = [
  'autogenflat.west.bookinfo.reviews-7d9c6b4f8b-q8m4z.29b5948be416',
  'autogenflat.west.bookinfo.reviews-7d9c6b4f8b-x2x7k.29b5948be416',
];

/** The stale-autogenflat scenario, once MC-WE-001 fails for both of its stale entries. */
async function startWithTwoStaleEntries(): Promise<LiveScenario> {
  const live = await startLiveScenario('stale-autogenflat');
  try {
    await live.waitForFindings(
      'MC-WE-001',
      'cluster-east',
      (fs) => fs.filter((f) => f.severity === 'fail').length === 2,
      'two stale entries',
    );
    return live;
  } catch (error) {
    await live.stop();
    throw error;
  }
}

test('delete-stale-workloadentries fixes stale-autogenflat: both entries deleted with their evidence, MC-WE-001 passes', async () => {
  const live = await startWithTwoStaleEntries();
  try {
    const plan = planOf(planDeleteStaleWorkloadEntries(live.snapshot(), { context: 'cluster-east' }));
    assert.deepEqual(plan.steps.map((s) => s.name).sort(), STALE);
    const x2x7k = plan.steps.find((s) => s.name.includes('x2x7k'))!;
    assert.deepEqual(x2x7k.recheckPodAbsent, { context: 'cluster-west', namespace: 'bookinfo', name: 'reviews-7d9c6b4f8b-x2x7k' });
    assert.ok(x2x7k.evidence.some((e) => e.startsWith('cluster-west: Pod bookinfo/reviews-7d9c6b4f8b-x2x7k NotFound')));
    assert.ok(x2x7k.evidence.some((e) => e.includes('source cluster west')));

    const run = await runAction(plan, live.env, { apply: true });
    assert.deepEqual(run.missing, []);
    assert.deepEqual(
      run.applied.map((r) => r.outcome),
      ['applied', 'applied'],
    );
    assert.ok(run.undo.every((u) => u.includes('no undo') && u.includes('istiod regenerates')));

    const after = await live.waitForFindings(
      'MC-WE-001',
      'cluster-east',
      (fs) => fs.length > 0 && fs.every((f) => f.severity === 'pass'),
      'MC-WE-001 to pass after the deletes',
    );
    assert.equal(after.length, 1);
    // `r`: a new log window and every fact (the source pods of each flat entry) fetched again.
    const rerun = await rerunChecks(live.mesh);
    assert.ok(rerun.some((f) => f.check === 'MC-WE-001' && f.severity === 'pass'));
    assert.deepEqual(problems(rerun), [], 'after the deletes and a re-run nothing fails or warns');
    const entries = await live.auditEntries();
    assert.deepEqual(
      entries.map((e) => `${e.phase} ${e.result} ${e.object.kind}`),
      ['dry-run accepted WorkloadEntry', 'dry-run accepted WorkloadEntry', 'apply applied WorkloadEntry', 'apply applied WorkloadEntry'],
    );
  } finally {
    await live.stop();
  }
});

test('--name picks entries; a pod that is back in its source cluster keeps its entry (re-checked just before the delete)', async () => {
  const live = await startWithTwoStaleEntries();
  try {
    const plan = planOf(planDeleteStaleWorkloadEntries(live.snapshot(), { context: 'cluster-east', names: [...STALE, 'nope'] }));
    assert.equal(plan.steps.length, 2);
    assert.ok(plan.notes.some((n) => n.startsWith('nope: no such WorkloadEntry')));
    // The pod of one entry is recreated after the plan (a rollout brought the name back).
    const west = live.sim.sim.cluster('cluster-west');
    west.store.create(
      west.registry.anyByKind('v1', 'Pod')!,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'reviews-7d9c6b4f8b-x2x7k', namespace: 'bookinfo', labels: { app: 'reviews' } },
        spec: { containers: [{ name: 'reviews', image: 'reviews:v1' }] },
      },
      {},
    );
    const run = await runAction(plan, live.env, { apply: true });
    const byName = new Map(run.applied.map((r) => [r.step.name, r]));
    assert.equal(byName.get(STALE[1]!)?.outcome, 'refused');
    assert.match(byName.get(STALE[1]!)?.reason ?? '', /Pod bookinfo\/reviews-7d9c6b4f8b-x2x7k in cluster-west exists now/);
    assert.equal(byName.get(STALE[0]!)?.outcome, 'applied', 'the other entry is independent and still deleted');
    const east = live.sim.sim.cluster('cluster-east');
    const weType = east.registry.anyByKind('networking.istio.io/v1', 'WorkloadEntry')!;
    assert.ok(east.store.get(weType, 'istio-system', STALE[1]!), 'the re-checked entry is still there');
    const entries = await live.auditEntries();
    assert.ok(entries.some((e) => e.phase === 'recheck' && e.result === 'refused' && e.object.name === STALE[1]));
  } finally {
    await live.stop();
  }
});
