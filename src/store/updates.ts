// What feeds hand the store. Each update names its context; the store creates a context's
// state the first time it hears of it. Updates are data, so they can be queued and coalesced.
import type { LogRecord } from '../mesh/ztunnelLog.ts';
import type {
  ObservedError,
  ClusterId,
  ClusterzEntry,
  ContextId,
  ContextPhase,
  Fact,
  IsoTime,
  KubeObjectJson,
  LicenseFactValue,
  LogStreamPhase,
  ResourceId,
  ResourceSyncState,
  SourcePodsFactValue,
  SynczFactValue,
} from './types.ts';

/** A watch event as it came off the wire (BOOKMARK carries only metadata.resourceVersion). */
export interface StoreWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObjectJson;
}

export type FactUpdate =
  | { kind: 'syncz'; fact: Fact<SynczFactValue> }
  | { kind: 'license'; fact: Fact<LicenseFactValue> }
  | { kind: 'clusterz'; fact: Fact<ClusterzEntry[]> }
  /** Keyed by source cluster ID: the `istiodPod` of its fact update carries that ID. */
  | { kind: 'sourcePods'; fact: Fact<SourcePodsFactValue> };

export interface LogStreamUpdate {
  phase: LogStreamPhase;
  container?: string;
  error?: ObservedError;
}

export type StoreUpdate =
  | { type: 'watchEvents'; context: ContextId; resource: ResourceId; events: readonly StoreWatchEvent[] }
  /** After a (re)list: the objects of this resource are exactly these. */
  | { type: 'relist'; context: ContextId; resource: ResourceId; objects: readonly KubeObjectJson[]; resourceVersion?: string }
  | { type: 'resourceSync'; context: ContextId; resource: ResourceId; sync: ResourceSyncState; error?: ObservedError }
  | { type: 'contextStatus'; context: ContextId; phase: ContextPhase; reasons?: string[]; error?: ObservedError }
  | { type: 'clusterId'; context: ContextId; clusterId: ClusterId }
  | { type: 'endpoint'; context: ContextId; endpoint: string }
  /** A fact fetched from one istiod pod (`istiodPod`). */
  | ({ type: 'fact'; context: ContextId; istiodPod: string } & FactUpdate)
  /** Parsed log lines from one pod (`source` = `namespace/pod`). */
  | { type: 'logRecords'; context: ContextId; source?: string; records: readonly LogRecord[] }
  /**
   * Re-running the checks starts the log window again: the context's signature table is emptied
   * and counts from `since` on (lines arriving later count again); the raw log tail keeps its lines.
   */
  | { type: 'restartLogWindow'; context: ContextId; since: IsoTime }
  /** How the log of `source` (`namespace/pod`) is followed; no `stream` forgets it (pod gone). */
  | { type: 'logStream'; context: ContextId; source: string; stream?: LogStreamUpdate }
  /** Forget a fact kind's entries for pods that no longer exist. */
  | { type: 'pruneFacts'; context: ContextId; kind: FactUpdate['kind']; keepPods: readonly string[] }
  | { type: 'removeContext'; context: ContextId };
