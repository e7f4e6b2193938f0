// What the orchestrator (meshFeeds.ts) runs per context: anything that reads a cluster and
// writes the store — the watches (contextFeed.ts), log follows, istiod debug fetches.
import type { ContextClient } from '../kube/contextClient.ts';
import type { MeshStore } from '../store/meshStore.ts';
import type { ContextId } from '../store/types.ts';

export interface Feed {
  /** Begins work and returns at once; never throws for a cluster's problems (they go to the store). */
  start(): void;
  /** Cancels every request, timer and stream the feed owns; resolves once they are gone. */
  stop(): Promise<void>;
}

/** What a feed gets to work with: one context, its client, and the store to write to. */
export interface FeedContext {
  context: ContextId;
  client: ContextClient;
  store: MeshStore;
}

/** Builds one context's feed; registered with MeshFeeds (`extraFeeds`). */
export type FeedFactory = (context: FeedContext) => Feed;
