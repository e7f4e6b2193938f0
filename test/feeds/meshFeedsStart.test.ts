// A context that is unreachable from the start: it says so, the others come up without waiting
// for it, and when it appears it is synced like any other — including objects deleted before.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { startFeeds, type FeedRun } from './feedHarness.ts';
import { createNamespace, deleteObject } from './simChanges.ts';
import { contextId } from '../../src/store/types.ts';

const EAST = 'cluster-east';
const WEST = 'cluster-west';

describe('MeshFeeds with a context unreachable at start', () => {
  let sim: TestSimulator;
  let run: FeedRun;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startScenario('healthy', { bookmarkIntervalMs: 200 });
    await sim.sim.cluster(EAST).faults.setUnreachable(true);
    run = startFeeds(sim.kubeconfigPath);
  });
  after(async () => {
    await run.stop();
    await sim.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('shows the unreachable context as unreachable and the other one as ready', async () => {
    await run.waitStatus(EAST, (s) => s.startsWith('unreachable: cannot reach https://127.0.0.1:'), 'unreachable');
    await run.waitStatus(WEST, (s) => s === 'ready', 'ready');
    assert.deepEqual(Object.keys(run.store.getState().contexts[contextId(EAST)]?.resources['namespaces']?.objects ?? {}), []);
    const west = sim.sim.cluster(WEST);
    createNamespace(west, 'west-while-east-down');
    await waitFor(
      run.store,
      (s) => s.contexts[contextId(WEST)]!.resources['namespaces']!.objects['Namespace//west-while-east-down'] !== undefined,
    );
  });

  it('syncs the context once it can be reached, without what was deleted before', async () => {
    const east = sim.sim.cluster(EAST);
    deleteObject(east, 'v1', 'Namespace', undefined, 'bookinfo');
    await east.faults.setUnreachable(false);
    await run.waitStatus(EAST, (s) => s === 'ready', 'ready');
    await run.waitConverged(sim, [EAST, WEST]);
    assert.equal(run.store.getState().contexts[contextId(EAST)]!.resources['namespaces']!.objects['Namespace//bookinfo'], undefined);
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});
