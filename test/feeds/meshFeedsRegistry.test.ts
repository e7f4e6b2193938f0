// The feeds registry: extra feeds run per context with that context's client, are stopped with
// the rest, and one that fails to start is reported on its context without touching another.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { startFeeds, type FeedRun } from './feedHarness.ts';
import type { Feed, FeedContext } from '../../src/feeds/feed.ts';

const EAST = 'cluster-east';
const WEST = 'cluster-west';

describe('MeshFeeds extra feeds', () => {
  let sim: TestSimulator;
  let run: FeedRun;
  const log: string[] = [];

  before(async () => {
    sim = await startScenario('healthy', { bookmarkIntervalMs: 200 });
    const recording = (feed: FeedContext): Feed => {
      if (feed.context === EAST) throw new Error('this feed cannot start here');
      return {
        start: () => void log.push(`start ${feed.context} ${feed.client.name}`),
        stop: () => {
          log.push(`stop ${feed.context}`);
          return Promise.resolve();
        },
      };
    };
    run = startFeeds(sim.kubeconfigPath, { extraFeeds: [recording] });
  });
  after(async () => {
    await run.stop();
    await sim.stop();
  });

  it("starts a registered feed per context with that context's client; a failing one leaves the other context alone", async () => {
    assert.deepEqual(log, [`start ${WEST} ${WEST}`]);
    await run.waitStatus(WEST, (s) => s === 'ready', 'ready');
    // The context whose extra feed failed still has its watches, and says what failed.
    await run.waitStatus(EAST, (s) => s === 'degraded: error on feeds', 'the failed feed');
    const resources = run.store.getState().contexts[EAST as never]!.resources;
    assert.match(resources['feeds#1']?.error?.message ?? '', /start feed 1 failed: Error: this feed cannot start here/);
    assert.equal(resources['namespaces']?.sync, 'synced');
  });

  it('stops registered feeds with the rest', async () => {
    await run.feeds.stop();
    assert.deepEqual(log, [`start ${WEST} ${WEST}`, `stop ${WEST}`]);
  });
});
