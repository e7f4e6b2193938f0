// Everything the console knows, kept live: one store and, for every selected context, the
// watches, the log follows, istiod's debug facts and the source pods of flat-network entries.
// The interactive console and the one-shot commands both start exactly this.
import { createMeshStore, type MeshStore } from '../store/meshStore.ts';
import { contextId, type ContextId } from '../store/types.ts';
import type { LoadedKubeconfig } from '../kube/kubeconfig.ts';
import { MeshFeeds } from './meshFeeds.ts';
import { logFeedFactory, type LogFeedOptions } from './logFeed.ts';
import { IstiodDebugFeed } from './istiodDebugFeed.ts';
import { SourcePodsFeed } from './sourcePodsFeed.ts';
import type { ContextFeedOptions } from './contextFeed.ts';

export interface LiveMeshOptions {
  kubeconfig: LoadedKubeconfig;
  istioNamespace?: string;
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
}

export class LiveMesh {
  readonly store: MeshStore;
  readonly feeds: MeshFeeds;
  readonly #refreshables: Refreshable[] = [];

  constructor(options: LiveMeshOptions) {
    this.store = createMeshStore({ contexts: options.kubeconfig.contexts.map((c) => contextId(c.name)) });
    const contextFeed: ContextFeedOptions = {
      ...options.contextFeed,
      ...(options.istioNamespace !== undefined ? { istioNamespace: options.istioNamespace } : {}),
    };
    this.feeds = new MeshFeeds({
      kubeconfig: options.kubeconfig,
      store: this.store,
      contextFeed,
      extraFeeds: [
        logFeedFactory(options.logs),
        (fc) => this.#remember(new IstiodDebugFeed({ ...fc, ...(options.debugIntervalMs !== undefined ? { intervalMs: options.debugIntervalMs } : {}) })),
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

  async stop(): Promise<void> {
    await this.feeds.stop();
    this.store.flush();
    this.store.dispose();
  }
}
