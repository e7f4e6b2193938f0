// The logs feed run the way the product runs it: MeshFeeds per context, the watch feed filling
// the store's pods, and the logs feed following what the watch brings. Pods created or deleted in
// the simulator are followed or dropped with no help from the test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LogFeed } from '../../src/feeds/logFeed.ts';
import { contextId, type MeshState } from '../../src/store/types.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { startFeeds, type FeedRun } from './feedHarness.ts';
import { deleteObject } from './simChanges.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

function phases(state: MeshState, context: string): Record<string, string> {
  const streams = state.contexts[contextId(context)]?.logStreams ?? {};
  return Object.fromEntries(Object.entries(streams).map(([source, s]) => [source, s.phase]));
}

describe('LogFeed under MeshFeeds', () => {
  let test: TestSimulator;
  let run: FeedRun;

  before(async () => {
    test = await startScenario('peer-disconnected');
    run = startFeeds(test.kubeconfigPath, {
      extraFeeds: [(feed) => new LogFeed(feed, { follower: { backoff: { initialMs: 20, maxMs: 200 } } })],
    });
  });
  after(async () => {
    await run.stop();
    await test.stop();
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  it('follows the pods the watch brings, and drops a pod deleted in the simulator', async () => {
    const context = 'cluster-east';
    const cluster = test.sim.cluster(context);
    const meshPods = cluster.list('v1', 'Pod').filter((p) => ['istiod', 'ztunnel'].includes(p.metadata.labels?.app ?? ''));
    const sources = meshPods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    const state = await waitFor(
      run.store,
      (s) => {
        const now = phases(s, context);
        // A stream is `following` once its headers are in; its history's lines come after them.
        const counted = (s.logSignatures[contextId(context)]?.['hbone-timeout']?.count ?? 0) > 0;
        return counted && sources.every((source) => now[source] === 'following');
      },
      {
        what: 'every istiod and ztunnel pod followed, and the HBONE timeouts in their history counted',
        describe: (s) => JSON.stringify({ phases: phases(s, context), signatures: s.logSignatures[contextId(context)] }),
      },
    );
    assert.deepEqual(Object.keys(phases(state, context)).sort(), sources);

    const gone = meshPods.find((p) => p.metadata.labels?.app === 'ztunnel')!;
    deleteObject(cluster, 'v1', 'Pod', gone.metadata.namespace, gone.metadata.name);
    const after = await waitFor(run.store, (s) => phases(s, context)[`${gone.metadata.namespace}/${gone.metadata.name}`] === undefined, {
      what: 'the deleted pod no longer followed',
      describe: (s) => JSON.stringify(phases(s, context)),
    });
    assert.equal(Object.keys(phases(after, context)).length, sources.length - 1);
  });
});
