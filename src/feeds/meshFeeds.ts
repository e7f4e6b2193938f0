// Starts and stops every feed of every selected context: one ContextClient per context, its
// ContextFeed (the watches), and whatever extra feeds are registered (log follows, istiod debug
// fetches). Contexts share nothing but the store, so one context's failure — even a feed that
// throws while being built or started — is reported on that context and never touches another.
import { clusterEndpoint } from '../kube/clusterEndpoint.ts';
import { ContextClient, type ContextClientOptions } from '../kube/contextClient.ts';
import { classifyError } from '../kube/errors.ts';
import type { LoadedKubeconfig } from '../kube/kubeconfig.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { contextId, observedError, type ContextId } from '../store/types.ts';
import { ContextFeed, type ContextFeedOptions } from './contextFeed.ts';
import type { Feed, FeedFactory } from './feed.ts';

export interface MeshFeedsOptions {
  kubeconfig: LoadedKubeconfig;
  store: MeshStore;
  client?: ContextClientOptions;
  contextFeed?: ContextFeedOptions;
  /** More feeds to run per context, each built with that context's client and the store. */
  extraFeeds?: readonly FeedFactory[];
}

interface RunningContext {
  client: ContextClient;
  feeds: Feed[];
}

export class MeshFeeds {
  readonly #options: MeshFeedsOptions;
  readonly #running = new Map<ContextId, RunningContext>();
  #started = false;

  constructor(options: MeshFeedsOptions) {
    this.#options = options;
  }

  /** The contexts being fed, in kubeconfig selection order. */
  get contexts(): ContextId[] {
    return [...this.#running.keys()];
  }

  /** The client of a running context (actions and one-off fetches use the same connections). */
  client(context: ContextId): ContextClient | undefined {
    return this.#running.get(context)?.client;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { kubeconfig, store } = this.#options;
    for (const broken of kubeconfig.invalidContexts) {
      if (broken.context === undefined) continue;
      // A context whose kubeconfig entry is unusable can never connect; say why instead of hiding it.
      const error = observedError(classifyError(broken), new Date().toISOString());
      store.enqueue({ type: 'contextStatus', context: contextId(broken.context), phase: 'unreachable', reasons: [broken.message], error });
    }
    for (const resolved of kubeconfig.contexts) {
      const context = contextId(resolved.name);
      // Known before any request: lets the checks see at once which contexts are one cluster.
      store.enqueue({ type: 'endpoint', context, endpoint: clusterEndpoint(resolved) });
      let client: ContextClient;
      try {
        client = new ContextClient(resolved, this.#options.client);
      } catch (error) {
        const classified = classifyError(error, { context: resolved.name, action: 'set up the client' });
        store.enqueue({
          type: 'contextStatus',
          context,
          phase: 'unreachable',
          reasons: [classified.message],
          error: observedError(classified, new Date().toISOString()),
        });
        continue;
      }
      const running: RunningContext = { client, feeds: [] };
      this.#running.set(context, running);
      const factories: FeedFactory[] = [(feed) => new ContextFeed(feed, this.#options.contextFeed), ...(this.#options.extraFeeds ?? [])];
      factories.forEach((factory, index) => {
        try {
          const feed = factory({ context, client, store });
          running.feeds.push(feed);
          feed.start();
        } catch (error) {
          // Kept on a resource of its own, so the context's status (which the watches own)
          // shows `error on feeds` for as long as the context runs, with the error beside it.
          const classified = classifyError(error, { context: resolved.name, action: `start feed ${index}` });
          store.enqueue({
            type: 'resourceSync',
            context,
            resource: `feeds#${index}`,
            sync: 'error',
            error: observedError(classified, new Date().toISOString()),
          });
        }
      });
    }
  }

  /** Stops every feed, then closes every client (cancelling anything a feed left behind). */
  async stop(): Promise<void> {
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(
      running.map(async ({ client, feeds }) => {
        await Promise.allSettled(feeds.map((feed) => feed.stop()));
        await client.close();
      }),
    );
  }
}
