// Everything the console knows, kept live: one store and, for every selected context, the
// watches, the log follows, istiod's debug facts and the source pods of flat-network entries.
// The interactive console and the one-shot commands both start exactly this; a one-shot
// snapshot (`snapshot: true`) loads only what it needs: each resource listed once (no watch
// streams), each log's history read once (no follows), the facts fetched once.
import { createMeshStore, type MeshStore } from '../store/meshStore.ts';
import { contextId, type ContextId } from '../store/types.ts';
import type { LoadedKubeconfig } from '../kube/kubeconfig.ts';
import { MeshFeeds } from './meshFeeds.ts';
import { logFeedFactory, type LogFeedOptions } from './logFeed.ts';
import { IstiodDebugFeed } from './istiodDebugFeed.ts';
import { SourcePodsFeed } from './sourcePodsFeed.ts';
import type { ContextFeedOptions } from './contextFeed.ts';
import type { ContextClientOptions } from '../kube/contextClient.ts';

export interface LiveMeshOptions {
  kubeconfig: LoadedKubeconfig;
  istioNamespace?: string;
  /** One snapshot (`--once`), not a live console: lists instead of watches, log history instead of follows. */
  snapshot?: boolean;
  /** The snapshot's deadline (epoch ms): throttled fact fetches are asked again until then. */
  deadline?: number;
  /** Every context's client: a one-shot command caps exec plugins by its deadline here. */
  client?: ContextClientOptions;
  /** Test hooks: shorter watch timings, fewer log streams. */
  contextFeed?: ContextFeedOptions;
  logs?: LogFeedOptions;
  /** Interval of istiod debug fetches (default 15 s) and source-pod look-ups (default 30 s). */
  debugIntervalMs?: number;
  sourcePodsIntervalMs?: number;
}

/** Facts are fetched on intervals and on demand; these are the feeds that can be asked. */
interface Refreshable {
  refresh(): Promise<void>;
  /** Resolves once the fetches already under way have ended. */
  idle(): Promise<void>;
}

export class LiveMesh {
  readonly store: MeshStore;
  readonly feeds: MeshFeeds;
  /** Lists and history reads only: what the feeds hand over ends, it is not kept current. */
  readonly snapshot: boolean;
  readonly #refreshables: Refreshable[] = [];

  constructor(options: LiveMeshOptions) {
    this.snapshot = options.snapshot === true;
    this.store = createMeshStore({ contexts: options.kubeconfig.contexts.map((c) => contextId(c.name)) });
    const contextFeed: ContextFeedOptions = {
      ...options.contextFeed,
      ...(options.istioNamespace !== undefined ? { istioNamespace: options.istioNamespace } : {}),
      ...(this.snapshot ? { watch: { ...options.contextFeed?.watch, watch: false } } : {}),
    };
    this.feeds = new MeshFeeds({
      kubeconfig: options.kubeconfig,
      store: this.store,
      ...(options.client !== undefined ? { client: options.client } : {}),
      contextFeed,
      extraFeeds: [
        logFeedFactory(this.snapshot ? { ...options.logs, history: true } : options.logs),
        (fc) =>
          this.#remember(
            new IstiodDebugFeed({
              ...fc,
              ...(options.debugIntervalMs !== undefined ? { intervalMs: options.debugIntervalMs } : {}),
              ...(this.snapshot && options.deadline !== undefined ? { retryThrottledUntil: options.deadline } : {}),
            }),
          ),
        (fc) =>
          this.#remember(
            new SourcePodsFeed({
              context: fc.context,
              store: fc.store,
              clientFor: (c: ContextId) => this.feeds.client(c),
              ...(options.sourcePodsIntervalMs !== undefined ? { intervalMs: options.sourcePodsIntervalMs } : {}),
            }),
          ),
      ],
    });
  }

  #remember<T extends Refreshable>(feed: T): T {
    this.#refreshables.push(feed);
    return feed;
  }

  start(): void {
    this.feeds.start();
  }

  /** Fetch every fact again now (re-running the checks starts here); failures land in the store. */
  async refreshFacts(): Promise<void> {
    await Promise.allSettled(this.#refreshables.map((f) => f.refresh()));
    this.store.flush();
  }

  /**
   * Start every context's log window again: the signatures counted so far are dropped and lines
   * that arrive from now on count (the raw log tail keeps its lines). The checks then say what
   * the logs complain about now, not what they complained about before a fix.
   */
  restartLogWindow(now: Date = new Date()): void {
    const since = now.toISOString();
    for (const context of Object.keys(this.store.getState().contexts)) this.store.actions.restartLogWindow(contextId(context), since);
  }

  /** `r` in the console: a new log window and every fact fetched again, so the next evaluation is of the mesh as it is now. */
  async refreshForRerun(): Promise<void> {
    this.restartLogWindow();
    this.store.flush();
    await this.refreshFacts();
  }

  /** Resolves once the facts asked for so far (every feed asks on start and when pods appear) are in the store. */
  async factsFetched(): Promise<void> {
    await Promise.allSettled(this.#refreshables.map((f) => f.idle()));
    this.store.flush();
  }

  async stop(): Promise<void> {
    await this.feeds.stop();
    this.store.flush();
    this.store.dispose();
  }
}
