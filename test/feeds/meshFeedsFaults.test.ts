// Convergence under faults: while cluster-east suffers each fault, its status says what is
// happening, cluster-west keeps updating (a change made there arrives), and once the fault is
// cleared the store holds exactly what both simulated clusters hold.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor, waitUntil } from '../helpers/waitFor.ts';
import { startFeeds, type FeedRun } from './feedHarness.ts';
import { createNamespace, deleteObject } from './simChanges.ts';
import { GATEWAYS, EASTWEST_PODS } from '../../src/store/resourceIds.ts';
import { contextId } from '../../src/store/types.ts';
import type { SimCluster } from '../../src/sim/cluster.ts';

const EAST = 'cluster-east';
const WEST = 'cluster-west';

describe('MeshFeeds: one context under faults, the other unaffected', () => {
  let sim: TestSimulator;
  let run: FeedRun;
  let east: SimCluster;
  let west: SimCluster;
  let changes = 0;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  /** A namespace created in `cluster` shows up in the store (that context is live). */
  async function changeArrives(cluster: SimCluster): Promise<void> {
    const name = `change-${++changes}`;
    createNamespace(cluster, name);
    await waitFor(
      run.store,
      (s) => s.contexts[contextId(cluster.context)]!.resources['namespaces']!.objects[`Namespace//${name}`] !== undefined,
      {
        what: `${name} to arrive from ${cluster.context}`,
      },
    );
  }

  async function recovered(): Promise<void> {
    await run.waitStatus(EAST, (s) => s === 'ready', 'ready again');
    await run.waitConverged(sim, [EAST, WEST]);
    await run.waitStatus(WEST, (s) => s === 'ready', 'west still ready');
  }

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startScenario('healthy', { bookmarkIntervalMs: 200 });
    east = sim.sim.cluster(EAST);
    west = sim.sim.cluster(WEST);
    run = startFeeds(sim.kubeconfigPath);
    await run.waitStatus(EAST, (s) => s === 'ready', 'ready');
    await run.waitStatus(WEST, (s) => s === 'ready', 'ready');
  });
  after(async () => {
    await run.stop();
    await sim.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('reset streams: every watch reconnects and nothing is missed', async () => {
    east.faults.resetStreams();
    createNamespace(east, 'after-reset');
    await changeArrives(west);
    await recovered();
  });

  it('stalled watches: marked stale, replaced, and caught up once the server delivers again', async () => {
    east.faults.stallWatches();
    createNamespace(east, 'during-stall');
    await run.waitStatus(EAST, (s) => s.startsWith('degraded') && s.includes('stale namespaces'), 'stale namespaces');
    await changeArrives(west);
    east.faults.resumeWatches();
    await recovered();
  });

  it('a storm of 410 Gone: relists replace what was held', async () => {
    // A namespace whose deletion no watch ever delivers: the event is held back by a stalled
    // stream, the stream is cut, and the history it could be replayed from is compacted away.
    // Only a list can tell the store it is gone.
    createNamespace(east, 'storm-victim');
    await waitFor(run.store, (s) => s.contexts[contextId(EAST)]!.resources['namespaces']!.objects['Namespace//storm-victim'] !== undefined);
    east.faults.stallWatches('namespaces');
    deleteObject(east, 'v1', 'Namespace', undefined, 'storm-victim');
    for (let i = 0; i < 5; i++) {
      createNamespace(east, `storm-${i}`);
      if (i > 0) deleteObject(east, 'v1', 'Namespace', undefined, `storm-${i - 1}`);
      east.faults.gone();
      east.faults.gone('namespaces');
      east.faults.resetStreams();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    east.faults.resumeWatches();
    await changeArrives(west);
    await recovered();
    assert.equal(run.store.getState().contexts[contextId(EAST)]!.resources['namespaces']!.objects['Namespace//storm-victim'], undefined);
  });

  it('unreachable mid-way: says so, and objects deleted meanwhile disappear on return', async () => {
    createNamespace(east, 'doomed');
    await waitFor(run.store, (s) => s.contexts[contextId(EAST)]!.resources['namespaces']!.objects['Namespace//doomed'] !== undefined);
    await east.faults.setUnreachable(true);
    await run.waitStatus(EAST, (s) => s.startsWith('unreachable') && s.includes('connection refused'), 'unreachable');
    deleteObject(east, 'v1', 'Namespace', undefined, 'doomed');
    deleteObject(east, 'networking.istio.io/v1', 'WorkloadEntry', 'istio-system', 'autogen.west.bookinfo.reviews');
    await changeArrives(west);
    await east.faults.setUnreachable(false);
    await recovered();
    const objects = run.store.getState().contexts[contextId(EAST)]!.resources;
    assert.equal(objects['namespaces']!.objects['Namespace//doomed'], undefined);
    assert.equal(
      objects['workloadentries.networking.istio.io']!.objects['WorkloadEntry/istio-system/autogen.west.bookinfo.reviews'],
      undefined,
    );
  });

  it('401: auth failed until the credentials are accepted again', async () => {
    east.faults.expireTokens(true);
    east.faults.resetStreams();
    await run.waitStatus(EAST, (s) => s.startsWith('auth failed') && s.includes('401'), 'auth failed');
    await changeArrives(west);
    east.faults.expireTokens(false);
    await recovered();
  });

  it('403 on pods: that resource is forbidden, the rest of the context goes on', async () => {
    const user = east.kubeconfigUser().name;
    east.faults.forbid(user, { verb: 'list', resource: 'pods' });
    east.faults.forbid(user, { verb: 'watch', resource: 'pods' });
    east.faults.resetStreams();
    await run.waitStatus(EAST, (s) => s === 'degraded: forbidden on pods', 'forbidden on pods');
    const pods = run.store.getState().contexts[contextId(EAST)]!.resources[EASTWEST_PODS]!;
    assert.equal(pods.sync, 'forbidden');
    assert.match(pods.error?.message ?? '', /cannot (list|watch) pods at cluster scope/);
    assert.deepEqual(pods.objects, {});
    await changeArrives(east);
    await changeArrives(west);
    east.faults.allow(user);
    await recovered();
  });

  it('a CRD removed: "not installed", re-probed, and noticed when it is back', async () => {
    east.faults.setCrdMissing('gateways.gateway.networking.k8s.io', true);
    await run.waitStatus(EAST, (s) => s === 'degraded: gateways not installed', 'gateways not installed');
    assert.deepEqual(run.store.getState().contexts[contextId(EAST)]!.resources[GATEWAYS]!.objects, {});
    await changeArrives(east);
    await changeArrives(west);
    east.faults.setCrdMissing('gateways.gateway.networking.k8s.io', false);
    await recovered();
    assert.ok(Object.keys(run.store.getState().contexts[contextId(EAST)]!.resources[GATEWAYS]!.objects).length > 0);
  });

  it('429: waits Retry-After, says it is throttled, then catches up', async () => {
    east.faults.tooManyRequests(3, 1, 'gateways');
    east.faults.resetStreams();
    await run.waitStatus(EAST, (s) => s.includes('throttled on gateways'), 'throttled on gateways');
    await changeArrives(west);
    await recovered();
  });

  it('leaks no watch: one open stream per watched resource, none once stopped', async () => {
    await waitUntil(() => east.faults.openStreams === run.resources.length && west.faults.openStreams === run.resources.length, {
      what: `one stream per watch (east ${east.faults.openStreams}, west ${west.faults.openStreams}, watches ${run.resources.length})`,
    });
    await run.stop();
    await waitUntil(() => east.faults.openStreams === 0 && west.faults.openStreams === 0, { what: 'every stream closed' });
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});
