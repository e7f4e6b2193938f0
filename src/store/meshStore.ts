// The store the feeds write to and the screens, checks and `--once` read from: a zustand
// vanilla store whose state is replaced (never mutated) by batched commits.
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { LogRecord } from '../mesh/ztunnelLog.ts';
import { applyUpdates, emptyState } from './applyUpdates.ts';
import { createBatcher } from './batcher.ts';
import type { Timers } from './batcher.ts';
import type {
  ObservedError,
  ClusterId,
  ContextId,
  ContextPhase,
  KubeObjectJson,
  MeshState,
  ResourceId,
  ResourceSyncState,
} from './types.ts';
import type { FactUpdate, StoreUpdate, StoreWatchEvent } from './updates.ts';

export const DEFAULT_COMMIT_INTERVAL_MS = 100;

export interface MeshStoreOptions {
  /** Commits happen at most this often (default 100 ms). */
  intervalMs?: number;
  /** Clock for the times recorded in state (event times, statuses, facts). */
  now?: () => Date;
  /** Timer source for batching; tests pass a manual one. */
  timers?: Timers;
  /** Contexts known from the kubeconfig, shown as `connecting` before anything arrives. */
  contexts?: readonly ContextId[];
}

export interface MeshStore {
  /** The zustand store: `getState`, `subscribe` (one call per commit). */
  readonly api: StoreApi<MeshState>;
  getState(): MeshState;
  /** Queue updates; they are committed together within the commit interval. */
  enqueue(...updates: StoreUpdate[]): void;
  /** Commit what is queued now (tests, `--once`, shutdown). */
  flush(): void;
  /** Updates queued and not yet committed. */
  pending(): number;
  /** Stop the batching timer; queued updates are dropped. */
  dispose(): void;
  /** Convenience wrappers around enqueue, one per kind of update. */
  readonly actions: MeshActions;
}

export interface MeshActions {
  watchEvents(context: ContextId, resource: ResourceId, events: readonly StoreWatchEvent[]): void;
  relist(context: ContextId, resource: ResourceId, objects: readonly KubeObjectJson[], resourceVersion?: string): void;
  setResourceSync(context: ContextId, resource: ResourceId, sync: ResourceSyncState, error?: ObservedError): void;
  setContextStatus(context: ContextId, phase: ContextPhase, reasons?: string[], error?: ObservedError): void;
  setClusterId(context: ContextId, clusterId: ClusterId): void;
  setFact(context: ContextId, istiodPod: string, fact: FactUpdate): void;
  addLogRecords(context: ContextId, records: readonly LogRecord[], source?: string): void;
  /** Empty the context's signature table; they count again from `since` (a re-run of the checks). */
  restartLogWindow(context: ContextId, since: string): void;
  removeContext(context: ContextId): void;
}

export function createMeshStore(options: MeshStoreOptions = {}): MeshStore {
  const now = options.now ?? (() => new Date());
  const initial = applyUpdates(
    emptyState(now().toISOString()),
    (options.contexts ?? []).map((context) => ({ type: 'contextStatus', context, phase: 'connecting' }) as const),
    now().toISOString(),
  );
  const api = createStore<MeshState>()(() => initial);

  const batcher = createBatcher<StoreUpdate>({
    intervalMs: options.intervalMs ?? DEFAULT_COMMIT_INTERVAL_MS,
    ...(options.timers ? { timers: options.timers } : {}),
    commit: (updates) => {
      const before = api.getState();
      const after = applyUpdates(before, updates, now().toISOString());
      // No-op batches (e.g. only info-level log lines) do not wake subscribers.
      if (after !== before) api.setState(after, true);
    },
  });

  const enqueue = (...updates: StoreUpdate[]): void => batcher.enqueue(updates);

  const actions: MeshActions = {
    watchEvents: (context, resource, events) => enqueue({ type: 'watchEvents', context, resource, events }),
    relist: (context, resource, objects, resourceVersion) =>
      enqueue({ type: 'relist', context, resource, objects, ...(resourceVersion !== undefined ? { resourceVersion } : {}) }),
    setResourceSync: (context, resource, sync, error) =>
      enqueue({ type: 'resourceSync', context, resource, sync, ...(error ? { error } : {}) }),
    setContextStatus: (context, phase, reasons, error) =>
      enqueue({ type: 'contextStatus', context, phase, ...(reasons ? { reasons } : {}), ...(error ? { error } : {}) }),
    setClusterId: (context, clusterId) => enqueue({ type: 'clusterId', context, clusterId }),
    setFact: (context, istiodPod, fact) => enqueue({ type: 'fact', context, istiodPod, ...fact }),
    addLogRecords: (context, records, source) =>
      enqueue({ type: 'logRecords', context, records, ...(source !== undefined ? { source } : {}) }),
    restartLogWindow: (context, since) => enqueue({ type: 'restartLogWindow', context, since }),
    removeContext: (context) => enqueue({ type: 'removeContext', context }),
  };

  return {
    api,
    getState: () => api.getState(),
    enqueue,
    flush: () => batcher.flush(),
    pending: () => batcher.pending(),
    dispose: () => batcher.dispose(),
    actions,
  };
}
