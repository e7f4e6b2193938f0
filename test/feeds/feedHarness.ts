// Runs MeshFeeds against a simulator scenario with test-sized timings, and records every status
// line the store showed, so a test can assert what an engineer would have seen during a fault
// even when it lasted only a moment.
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { MeshFeeds, type MeshFeedsOptions } from '../../src/feeds/meshFeeds.ts';
import { watchedResources, type WatchedResource } from '../../src/feeds/watchedResources.ts';
import { createMeshStore, type MeshStore } from '../../src/store/meshStore.ts';
import { selectStatusLine } from '../../src/store/selectors.ts';
import { contextId } from '../../src/store/types.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { differences } from './watchExpectations.ts';
import type { TestSimulator } from '../helpers/simulator.ts';

export const TEST_WATCH_OPTIONS = {
  // Several bookmark intervals (the tests use 200 ms), with room for a loaded machine.
  stallTimeoutMs: 2_000,
  slowRetryMs: 300,
  backoff: { initialMs: 50, maxMs: 400 },
  watchTimeoutSeconds: 30,
} as const;

export interface FeedRun {
  store: MeshStore;
  feeds: MeshFeeds;
  resources: WatchedResource[];
  /** Every status line each context has shown, in order. */
  seen: Map<string, string[]>;
  status(context: string): string;
  /** Waits until the context's status line satisfies `test`. */
  waitStatus(context: string, test: (line: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Waits until the store holds exactly what the simulator holds, for these contexts. */
  waitConverged(sim: TestSimulator, contexts: readonly string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startFeeds(kubeconfigPath: string, extra: Partial<Omit<MeshFeedsOptions, 'kubeconfig' | 'store'>> = {}): FeedRun {
  const store = createMeshStore({ intervalMs: 10 });
  const feeds = new MeshFeeds({
    kubeconfig: loadKubeconfig({ kubeconfigPath }),
    store,
    contextFeed: { watch: TEST_WATCH_OPTIONS },
    ...extra,
  });
  const seen = new Map<string, string[]>();
  const record = (): void => {
    const state = store.getState();
    for (const context of Object.keys(state.contexts)) {
      const line = selectStatusLine(state, contextId(context));
      const lines = seen.get(context) ?? [];
      if (lines[lines.length - 1] !== line) lines.push(line);
      seen.set(context, lines);
    }
  };
  const unsubscribe = store.api.subscribe(record);
  feeds.start();
  const resources = watchedResources();
  const status = (context: string): string => selectStatusLine(store.getState(), contextId(context));
  return {
    store,
    feeds,
    resources,
    seen,
    status,
    async waitStatus(context, test, what, timeoutMs = 45_000) {
      await waitFor(store, (state) => test(selectStatusLine(state, contextId(context))), {
        timeoutMs,
        what: `${context}: ${what}`,
        // On a timeout, say what each watch was doing: the line alone rarely explains why.
        describe: (state) => {
          const resources = Object.values(state.contexts[contextId(context)]?.resources ?? {});
          const detail = resources.map((r) => `${r.resource}=${r.sync}${r.error ? ` (${r.error.at} ${r.error.message})` : ''}`);
          return `${selectStatusLine(state, contextId(context))} at ${new Date().toISOString()}; ${detail.join('; ')}`;
        },
      });
    },
    async waitConverged(sim, contexts, timeoutMs = 45_000) {
      const clusters = contexts.map((c) => sim.sim.cluster(c));
      const check = (): string[] => clusters.flatMap((cluster) => differences(store.getState(), cluster, resources));
      // Simulator writes do not commit the store, so poll as well as listen.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (check().length === 0) return;
        if (Date.now() > deadline) throw new Error(`store did not converge with the simulator:\n${check().join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      unsubscribe();
      await feeds.stop();
      store.dispose();
    },
  };
}
