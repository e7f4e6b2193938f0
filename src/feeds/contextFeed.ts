// One context's watches (watchedResources.ts), each in its own WatchLoop so a slow, forbidden
// or missing resource never holds up the others, turned into store updates: lists replace a
// resource's objects, events patch them, and every state change of a watch updates that
// resource's sync state and the context's status (contextStatus.ts). Also learns istiod's
// CLUSTER_ID from its Deployment or pods. Nothing here throws into the caller: whatever goes
// wrong ends up in the store, classified.
import { classifyError, type ClassifiedError } from '../kube/errors.ts';
import { RetryGate } from '../kube/retryGate.ts';
import { WatchLoop, type WatchLoopEvent, type WatchLoopOptions, type WatchLoopState, type WatchedObject } from '../kube/watchLoop.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { sanitizeObject } from '../store/sanitizeObject.ts';
import { clusterId, observedError, type ContextId, type KubeObjectJson, type ResourceSyncState } from '../store/types.ts';
import type { StoreWatchEvent } from '../store/updates.ts';
import type { Feed, FeedContext } from './feed.ts';
import { deriveContextStatus, type ResourceHealth } from './contextStatus.ts';
import { istiodClusterId, isIstiod } from './istiodClusterId.ts';
import { watchedResources, type WatchedResource } from './watchedResources.ts';

export interface ContextFeedOptions {
  /** Where istiod and its objects live (default istio-system). */
  istioNamespace?: string;
  /** Timings of every watch: stall timeout, backoff, slow re-probe (tests shorten them). */
  watch?: WatchLoopOptions;
  /** Replaces the default list of watched resources. */
  resources?: WatchedResource[];
}

interface Watched {
  resource: WatchedResource;
  health: ResourceHealth;
  /** The sync state last sent to the store, so repeats are not sent. */
  sentSync: ResourceSyncState | undefined;
}

export class ContextFeed implements Feed {
  readonly #context: ContextId;
  readonly #store: MeshStore;
  readonly #watched: Watched[];
  readonly #loops: WatchLoop[];
  #sentStatus = '';
  #clusterId: string | undefined;
  #started = false;
  #stopped = false;

  constructor(feed: FeedContext, options: ContextFeedOptions = {}) {
    this.#context = feed.context;
    this.#store = feed.store;
    const resources =
      options.resources ?? watchedResources(options.istioNamespace !== undefined ? { istioNamespace: options.istioNamespace } : {});
    this.#watched = resources.map((resource) => ({
      resource,
      health: { id: resource.id, phase: 'listing', everSynced: false },
      sentSync: undefined,
    }));
    // One gate per context: a context-wide failure makes all its watches retry together.
    const watchOptions: WatchLoopOptions = { ...options.watch, gate: new RetryGate(options.watch?.clock) };
    this.#loops = this.#watched.map(
      (watched) =>
        new WatchLoop(
          feed.client,
          watched.resource.target,
          {
            relisted: (objects, resourceVersion) => this.#guard(watched, () => this.#relisted(watched, objects, resourceVersion)),
            events: (events) => this.#guard(watched, () => this.#events(watched, events)),
            state: (state) => this.#guard(watched, () => this.#state(watched, state)),
          },
          watchOptions,
        ),
    );
  }

  /** The context this feed watches. */
  get context(): ContextId {
    return this.#context;
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#publishStatus();
    for (const loop of this.#loops) loop.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops.map((loop) => loop.stop()));
  }

  #relisted(watched: Watched, objects: WatchedObject[], resourceVersion: string): void {
    const kept = objects.filter((object) => this.#keeps(watched, object)).map(received);
    this.#store.enqueue({ type: 'relist', context: this.#context, resource: watched.resource.id, objects: kept, resourceVersion });
    // The store marks a relisted resource synced; remember it so a repeat is not sent.
    watched.sentSync = 'synced';
    watched.health.everSynced = true;
    this.#learnClusterId(kept);
  }

  #events(watched: Watched, events: WatchLoopEvent[]): void {
    const out: StoreWatchEvent[] = events.map((event) => {
      // An object changed so it no longer matches a filter the apiserver could not apply leaves
      // the store like a deletion (deleting what is absent changes nothing).
      if ((event.type === 'ADDED' || event.type === 'MODIFIED') && !this.#keeps(watched, event.object)) {
        return { type: 'DELETED', object: received(event.object) };
      }
      return { type: event.type, object: event.type === 'BOOKMARK' ? event.object : received(event.object) };
    });
    this.#store.enqueue({ type: 'watchEvents', context: this.#context, resource: watched.resource.id, events: out });
    this.#learnClusterId(out.filter((e) => e.type === 'ADDED' || e.type === 'MODIFIED').map((e) => e.object));
  }

  #state(watched: Watched, state: WatchLoopState): void {
    if (this.#stopped) return;
    watched.health = {
      id: watched.resource.id,
      phase: state.phase,
      everSynced: watched.health.everSynced,
      ...('error' in state && { error: state.error }),
    };
    this.#publishSync(watched, state);
    this.#publishStatus();
  }

  #publishSync(watched: Watched, state: WatchLoopState): void {
    const sync = syncOf(state, watched.health.everSynced);
    const error = 'error' in state ? state.error : undefined;
    // An error is sent every time (it may be a new one); a plain state only when it changes.
    if (sync === undefined || (sync === watched.sentSync && error === undefined)) return;
    watched.sentSync = sync;
    this.#store.enqueue({
      type: 'resourceSync',
      context: this.#context,
      resource: watched.resource.id,
      sync,
      ...(error && { error: observedError(error, new Date().toISOString()) }),
    });
  }

  #publishStatus(): void {
    if (this.#stopped) return;
    const status = deriveContextStatus(
      this.#context,
      this.#watched.map((w) => w.health),
    );
    const signature = `${status.phase}\n${status.reasons.join('\n')}\n${status.error?.message ?? ''}`;
    if (signature === this.#sentStatus) return;
    this.#sentStatus = signature;
    this.#store.enqueue({
      type: 'contextStatus',
      context: this.#context,
      phase: status.phase,
      reasons: status.reasons,
      ...(status.error && { error: observedError(status.error, new Date().toISOString()) }),
    });
  }

  #keeps(watched: Watched, object: WatchedObject): boolean {
    return watched.resource.keep ? watched.resource.keep(object) : true;
  }

  #learnClusterId(objects: readonly KubeObjectJson[]): void {
    for (const object of objects) {
      if (!isIstiod(object)) continue;
      const id = istiodClusterId(object);
      if (id === undefined || id === this.#clusterId) continue;
      this.#clusterId = id;
      this.#store.enqueue({ type: 'clusterId', context: this.#context, clusterId: clusterId(id) });
    }
  }

  /** A bug in turning events into updates is reported on the resource, never thrown into the loop. */
  #guard(watched: Watched, work: () => void): void {
    try {
      work();
    } catch (error) {
      const classified: ClassifiedError = classifyError(error, {
        context: this.#context,
        action: `store ${watched.resource.id}`,
      });
      this.#store.enqueue({
        type: 'resourceSync',
        context: this.#context,
        resource: watched.resource.id,
        sync: 'error',
        error: observedError(classified, new Date().toISOString()),
      });
    }
  }
}

/**
 * Objects are sanitized as they arrive, not only when the store commits, so a Secret's private
 * key (cacerts' ca-key.pem) does not wait in the update queue either.
 */
function received(object: WatchedObject): KubeObjectJson {
  return object.kind === 'Secret' ? sanitizeObject(object) : object;
}

/** The store's sync state for a watch state; undefined: leave it as it is. */
function syncOf(state: WatchLoopState, everSynced: boolean): ResourceSyncState | undefined {
  switch (state.phase) {
    case 'listing':
      // Relisting after 410: the objects held are still the best known until the list lands.
      return everSynced ? undefined : 'syncing';
    case 'watching':
    case 'listed':
      return 'synced';
    case 'stalled':
      return 'stale';
    case 'forbidden':
      return 'forbidden';
    case 'notInstalled':
      return 'notInstalled';
    case 'failing':
      return 'error';
  }
}
