// relabel-network against the simulator, as the console runs it: plan from the live store, check
// permissions, dry-run, apply, and the watches bring the change back until MC-NET-001 passes —
// then a re-run of the checks (a new log window) finds the whole mesh healthy, because the
// simulated ztunnels stopped logging 240.240 passthroughs once the label was right;
// plus the refusals: an object changed since the plan, a user who may not patch, a partial apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { planRelabelNetwork } from '../../src/actions/planRelabel.ts';
import { applyPlan, dryRunPlan, runAction } from '../../src/actions/runPlan.ts';
import { getObject, updateObject } from '../feeds/simChanges.ts';
import type { SimCluster } from '../../src/sim/cluster.ts';
import { findingsOf, ISTIO_NS, planOf, problems, rerunChecks, startLiveScenario } from './actionsHarness.ts';

const NETWORK_LABEL = 'topology.istio.io/network';

/** "Would the ztunnels of the cluster log another 240.240 passthrough now?", as the simulator asks each time one is due. */
function passthroughStillLogged(cluster: SimCluster): boolean {
  const ztunnels = cluster.list('v1', 'Pod', ISTIO_NS).filter((p) => p.metadata.labels?.app === 'ztunnel');
  const lines = ztunnels.flatMap((p) => cluster.podLogScript(ISTIO_NS, p.metadata.name, 'istio-proxy')?.live ?? []);
  const passthrough = lines.filter((l) => l.text.includes('240.240.'));
  assert.ok(passthrough.length > 0, 'the scenario logs passthroughs live');
  return passthrough.some((l) => l.while?.(cluster) ?? true);
}

test('relabel-network fixes network-mismatch: only the namespace label changes, the watch brings it back, MC-NET-001 passes', async () => {
  const live = await startLiveScenario('network-mismatch');
  try {
    await live.waitForFindings('MC-NET-001', 'cluster-west', (fs) => fs.some((f) => f.severity === 'fail'), 'the planted mismatch');
    assert.equal(passthroughStillLogged(live.sim.sim.cluster('cluster-west')), true, 'broken: the ztunnels keep logging passthroughs');
    const plan = planOf(planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-net', istioNamespace: ISTIO_NS }));
    assert.deepEqual(
      plan.steps.map((s) => [s.context, s.kind, s.name, s.change]),
      [['cluster-west', 'Namespace', 'istio-system', { op: 'setLabel', key: NETWORK_LABEL, from: 'west-network', to: 'west-net' }]],
    );
    assert.ok(plan.manual.some((m) => m.command.includes('--set global.network=west-net') && m.command.includes('--reuse-values')));
    assert.ok(plan.notes.some((n) => n.includes('Gateway') && n.includes('already says west-net')));

    const run = await runAction(plan, live.env, { apply: true });
    assert.deepEqual(run.missing, []);
    assert.deepEqual(
      run.dryRun.map((r) => r.outcome),
      ['accepted'],
    );
    assert.deepEqual(
      run.applied.map((r) => r.outcome),
      ['applied'],
    );
    assert.deepEqual(run.undo, [`kubectl --context cluster-west label namespace istio-system ${NETWORK_LABEL}=west-network --overwrite`]);

    const after = await live.waitForFindings(
      'MC-NET-001',
      'cluster-west',
      (fs) => fs.length > 0 && fs.every((f) => f.severity === 'pass' || f.severity === 'info'),
      'MC-NET-001 to pass after the relabel',
    );
    assert.ok(after.some((f) => f.severity === 'pass'));

    // The fix is in, but the log signatures counted before it still say 240.240 passthrough.
    const west = live.sim.sim.cluster('cluster-west');
    assert.equal(passthroughStillLogged(west), false, 'the repaired ztunnels log no more passthroughs');
    assert.ok(findingsOf(live.mesh.store.getState(), 'MC-LOG-001', 'cluster-west').some((f) => f.severity === 'fail'));
    // `r`: the log window starts again and every fact is fetched again; the mesh is healthy end to end.
    const rerun = await rerunChecks(live.mesh);
    assert.deepEqual(problems(rerun), [], 'after the fix and a re-run nothing fails or warns');
    const logs = rerun.filter((f) => f.check === 'MC-LOG-001' && f.contexts.includes('cluster-west'));
    assert.deepEqual(
      logs.map((f) => f.severity),
      ['pass'],
    );
    assert.match(
      logs[0]?.message ?? '',
      /No failure signature in \d+ followed ztunnel\/istiod logs of cluster-west since \d\d:\d\d:\d\d UTC\./,
    );

    const entries = await live.auditEntries();
    assert.deepEqual(
      entries.map((e) => [e.phase, e.result, e.context, e.object.kind, e.object.name]),
      [
        ['dry-run', 'accepted', 'cluster-west', 'Namespace', 'istio-system'],
        ['apply', 'applied', 'cluster-west', 'Namespace', 'istio-system'],
      ],
    );
    assert.ok(entries.every((e) => e.user !== '' && e.object.uid !== '' && e.change.op === 'setLabel'));
    assert.equal((await stat(live.auditPath)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(live.auditPath))).mode & 0o777, 0o700);
  } finally {
    await live.stop();
  }
});

test('an object changed between plan and dry run is refused and nothing is applied', async () => {
  const live = await startLiveScenario('network-mismatch');
  try {
    const plan = planOf(planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-net', istioNamespace: ISTIO_NS }));
    // Someone else edits the namespace after the plan was made.
    updateObject(live.sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, ISTIO_NS, (o) => {
      o.metadata.labels = { ...o.metadata.labels, 'team.example/owner': 'platform' };
    });
    const run = await runAction(plan, live.env, { apply: true });
    assert.equal(run.dryRun[0]?.outcome, 'refused');
    assert.match(run.dryRun[0]?.reason ?? '', /changed since the plan was made/);
    assert.deepEqual(run.applied, []);
    const ns = getObject(live.sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, ISTIO_NS);
    assert.equal(ns.metadata.labels?.[NETWORK_LABEL], 'west-network', 'the label is untouched');
    const entries = await live.auditEntries();
    assert.deepEqual(
      entries.map((e) => [e.phase, e.result]),
      [['dry-run', 'refused']],
    );
  } finally {
    await live.stop();
  }
});

test('a conflict between dry run and apply stops the relabel: earlier steps applied with their undo, later ones not attempted', async () => {
  const live = await startLiveScenario('network-mismatch');
  try {
    // A new name touches every object that says the network: namespace, east-west Gateway, east's remote Gateway.
    const plan = planOf(planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-2', istioNamespace: ISTIO_NS }));
    assert.deepEqual(
      plan.steps.map((s) => [s.context, s.kind]),
      [
        ['cluster-west', 'Namespace'],
        ['cluster-west', 'Gateway'],
        ['cluster-east', 'Gateway'],
      ],
    );
    const dry = await dryRunPlan(plan, live.env);
    assert.ok(dry.every((r) => r.outcome === 'accepted'));
    const eastWest = plan.steps[1]!;
    updateObject(live.sim.sim.cluster('cluster-west'), eastWest.apiVersion, 'Gateway', eastWest.namespace, eastWest.name, (o) => {
      o.metadata.annotations = { ...o.metadata.annotations, touched: 'yes' };
    });
    const applied = await applyPlan(plan, live.env);
    assert.deepEqual(
      applied.map((r) => r.outcome),
      ['applied', 'refused', 'skipped'],
    );
    assert.match(applied[1]?.reason ?? '', /changed since the plan was made/);
    const remote = plan.steps[2]!;
    const remoteNow = getObject(live.sim.sim.cluster('cluster-east'), remote.apiVersion, 'Gateway', remote.namespace, remote.name);
    assert.equal(remoteNow.metadata.labels?.[NETWORK_LABEL], 'west-net', 'the skipped step changed nothing');
  } finally {
    await live.stop();
  }
});

test('a user who may not patch gateways is told which permission is missing before any change', async () => {
  const live = await startLiveScenario('network-mismatch');
  try {
    live.sim.sim
      .cluster('cluster-east')
      .faults.forbid('admin', { verb: 'patch', resource: 'gateways', group: 'gateway.networking.k8s.io' });
    const plan = planOf(planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-2', istioNamespace: ISTIO_NS }));
    const run = await runAction(plan, live.env, { apply: true });
    const remote = plan.steps.find((s) => s.context === 'cluster-east')!;
    assert.deepEqual(
      run.missing.map((m) => m.text),
      [`cluster-east: cannot patch gateways.gateway.networking.k8s.io in ${remote.namespace ?? ''}`],
    );
    assert.deepEqual(run.dryRun, []);
    assert.deepEqual(run.applied, []);
    const ns = getObject(live.sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, ISTIO_NS);
    assert.equal(ns.metadata.labels?.[NETWORK_LABEL], 'west-network');
    const entries = await live.auditEntries();
    assert.ok(entries.length > 0 && entries.every((e) => e.phase === 'permission' && e.result === 'refused'));
  } finally {
    await live.stop();
  }
});

test('a failed dry run applies nothing', async () => {
  const live = await startLiveScenario('network-mismatch');
  try {
    const plan = planOf(planRelabelNetwork(live.snapshot(), { context: 'cluster-west', network: 'west-2', istioNamespace: ISTIO_NS }));
    // The last step's object is gone by the time of the dry run: the first two must not be written either.
    const remote = plan.steps[2]!;
    live.sim.sim
      .cluster('cluster-east')
      .store.delete(
        live.sim.sim.cluster('cluster-east').registry.anyByKind(remote.apiVersion, 'Gateway')!,
        remote.namespace,
        remote.name,
        {},
      );
    const run = await runAction(plan, live.env, { apply: true });
    assert.deepEqual(
      run.dryRun.map((r) => r.outcome),
      ['accepted', 'accepted', 'refused'],
    );
    assert.match(run.dryRun[2]?.reason ?? '', /no longer exists/);
    assert.deepEqual(run.applied, []);
    const ns = getObject(live.sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, ISTIO_NS);
    assert.equal(ns.metadata.labels?.[NETWORK_LABEL], 'west-network');
  } finally {
    await live.stop();
  }
});
