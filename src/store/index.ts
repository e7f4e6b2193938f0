// The store's public surface, for feeds (writers), hooks and checks (readers).
export { createMeshStore, DEFAULT_COMMIT_INTERVAL_MS } from './meshStore.ts';
export type { MeshActions, MeshStore, MeshStoreOptions } from './meshStore.ts';
export type { FactUpdate, StoreUpdate, StoreWatchEvent } from './updates.ts';
export { applyUpdates, emptyState } from './applyUpdates.ts';
export { objectKey, keyOf } from './objectKey.ts';
export { sanitizeObject, DROPPED_KEYS_FIELD } from './sanitizeObject.ts';
export { toSnapshot } from './snapshot.ts';
export * from './selectors.ts';
export { subscribeSlice } from './subscribeSlice.ts';
export type { SliceListener } from './subscribeSlice.ts';
export * from './types.ts';
