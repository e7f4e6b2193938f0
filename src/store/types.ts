// The shapes the store holds. Everything here is plain JSON-able data (no classes, no Maps) so
// a snapshot can be printed by `--once`, compared by reference in React, and never needs
// conversion. Objects are replaced, never mutated: a changed thing is a new reference.
import type { ProxyStatusRow } from '../mesh/syncz.ts';
import type { SignatureId, SignatureTable } from '../mesh/logSignatures.ts';
import type { ClassifiedError, ErrorKind as KubeErrorKind, ForbiddenDetail } from '../kube/errors.ts';

export type { ForbiddenDetail };

/** A kubeconfig context name: how the user names a cluster. */
export type ContextId = string & { readonly __brand: 'ContextId' };
/** istiod's CLUSTER_ID: how the mesh names a cluster. Never interchangeable with ContextId. */
export type ClusterId = string & { readonly __brand: 'ClusterId' };

export function contextId(name: string): ContextId {
  return name as ContextId;
}

export function clusterId(id: string): ClusterId {
  return id as ClusterId;
}

/** RFC 3339 / ISO 8601 time. */
export type IsoTime = string;

/**
 * An error as kube/'s classifier described it, plus when it happened. The store keeps kube/'s
 * vocabulary (type-only import: no runtime dependency) so a status never has to translate it.
 */
export type ErrorKind = KubeErrorKind;
export type ObservedError = ClassifiedError & { at: IsoTime };

export function observedError(error: ClassifiedError, at: IsoTime): ObservedError {
  return { ...error, at };
}

export type ContextPhase = 'connecting' | 'ready' | 'degraded' | 'unreachable' | 'authFailed';

export interface ContextStatus {
  phase: ContextPhase;
  /** Why it is not ready, short and specific: `forbidden on pods`, `unreachable`, `auth failed`. */
  reasons: string[];
  since: IsoTime;
}

/** Sync state of one watched resource type in one context. */
export type ResourceSyncState = 'syncing' | 'synced' | 'forbidden' | 'notInstalled' | 'error' | 'stale';

/**
 * A watched resource type, named like kubectl does: `pods`, `namespaces`,
 * `gateways.gateway.networking.k8s.io`, `workloadentries.networking.istio.io`.
 */
export type ResourceId = string;

/** `<kind>/<namespace>/<name>`; namespace is empty for cluster-scoped objects. */
export type ObjectKey = string;

export type { LicenseClaimsField, StoredLicenseClaims } from './licenseClaims.ts';

/**
 * Kubernetes object JSON as the API served it (minus managedFields, minus secrets). An object that
 * held a licence key carries its claims instead, under `licenseClaims` (a LicenseClaimsField).
 */
export interface KubeObjectJson {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ResourceState {
  resource: ResourceId;
  sync: ResourceSyncState;
  /** Last watch event, bookmark or relist. Staleness is judged from it. */
  lastEventAt?: IsoTime;
  /** The resourceVersion of the last list or bookmark. */
  resourceVersion?: string;
  error?: ObservedError;
  objects: Readonly<Record<ObjectKey, KubeObjectJson>>;
}

export interface ContextState {
  context: ContextId;
  /** Learned from istiod's CLUSTER_ID; unknown until then. */
  clusterId?: ClusterId;
  /**
   * The API server this context talks to: its URL and a fingerprint of the CA it trusts (from
   * the kubeconfig). Two contexts with the same endpoint reach the same cluster (snapshotReads.ts).
   */
  endpoint?: string;
  status: ContextStatus;
  lastError?: ObservedError;
  resources: Readonly<Record<ResourceId, ResourceState>>;
  /** Pod log follows of this context (ztunnel, istiod), keyed by `namespace/pod`. */
  logStreams?: Readonly<Record<string, LogStreamState>>;
}

/**
 * How one pod's log is read. `notFollowed`: the context's cap on concurrent streams left it
 * out, so its lines are missing from the signatures; `forbidden`: pods/log is denied.
 */
export type LogStreamPhase = 'connecting' | 'following' | 'retrying' | 'forbidden' | 'notFollowed';

export interface LogStreamState {
  phase: LogStreamPhase;
  container?: string;
  /** When it entered this phase. */
  since: IsoTime;
  error?: ObservedError;
}

/** A fetched fact: known with a value, or unknown with the reason. Both carry the time. */
export type Fact<T> =
  | { state: 'known'; value: T; observedAt: IsoTime }
  | { state: 'unknown'; reason: string; errorKind?: ErrorKind; forbidden?: ForbiddenDetail; observedAt: IsoTime };

/** istiod `/debug/syncz`: proxy-status rows of one istiod pod. */
export interface SynczFactValue {
  istiodPod: string;
  shape: 'http' | 'xds';
  rows: ProxyStatusRow[];
  warnings: string[];
}

/** istiod `/debug/license` (Solo ≥ 1.27): `{State, Product}`. */
export interface LicenseFactValue {
  state: string;
  product?: string;
}

/** One entry of istiod `/debug/clusterz`. */
export interface ClusterzEntry {
  id: string;
  secretName?: string;
  syncStatus?: string;
}

/**
 * Whether the pod a flat-network (`autogenflat.…`) WorkloadEntry was made for still exists in its
 * source cluster. `notLoaded`: the source cluster is none of the loaded contexts, so it cannot be
 * checked (and is not stale for that reason).
 */
export type SourcePodState = 'present' | 'missing' | 'unknown' | 'notLoaded';

export interface SourcePodEntry {
  /** `<namespace>/<name>` of the WorkloadEntry in this context. */
  workloadEntry: string;
  /** From `solo.io/peered-workload-uid`; empty when the annotation is missing or malformed. */
  podNamespace: string;
  podName: string;
  state: SourcePodState;
  /** Why `unknown` or `notLoaded`. */
  reason?: string;
  /** When the source cluster last answered for this pod. */
  checkedAt?: IsoTime;
}

/** The autogenflat WorkloadEntries of one source cluster, held in this context, and their pods. */
export interface SourcePodsFactValue {
  /** The source cluster's CLUSTER_ID (`solo.io/source-cluster`). */
  sourceCluster: string;
  /** The loaded context whose istiod CLUSTER_ID is `sourceCluster`; absent when none is. */
  sourceContext?: ContextId;
  entries: SourcePodEntry[];
}

export interface ContextFacts {
  /** Keyed by istiod pod name: each replica only knows the proxies connected to it. */
  syncz: Readonly<Record<string, Fact<SynczFactValue>>>;
  license: Readonly<Record<string, Fact<LicenseFactValue>>>;
  clusterz: Readonly<Record<string, Fact<ClusterzEntry[]>>>;
  /** Keyed by source cluster ID (not by istiod pod): see SourcePodsFactValue. */
  sourcePods: Readonly<Record<string, Fact<SourcePodsFactValue>>>;
}

export type FactKind = keyof ContextFacts;

/**
 * One raw log line that classified as a failure signature: what the logs pane drills down to.
 * Kept beside the signatures, newest last, bounded per context (logTail.ts).
 */
export interface LogTailLine {
  /** Unique and stable while the line is kept: `<context>#<seq>`. */
  key: string;
  /** Counts up per context; orders lines of one context. */
  seq: number;
  /** The record's own time when it had one, else when it was seen (RFC 3339). */
  at: IsoTime;
  context: string;
  /** `namespace/pod` the line came from; empty when unknown. */
  source: string;
  signature: SignatureId;
  /** As parsed (`error`, `warn`…); empty when the line had none. */
  level: string;
  /** The raw line, bounded like a signature's examples. */
  text: string;
}

export interface MeshState {
  contexts: Readonly<Record<ContextId, ContextState>>;
  facts: Readonly<Record<ContextId, ContextFacts>>;
  /** Log signature aggregates per context. */
  logSignatures: Readonly<Record<ContextId, SignatureTable>>;
  /**
   * The newest raw failure lines per context. Only the console reads it: snapshots (checks,
   * `--once`) leave it out, so checks never see it change.
   */
  logTail: Readonly<Record<ContextId, readonly LogTailLine[]>>;
  /**
   * Since when each context's signatures count (a re-run restarted its log window); absent for
   * a context counted since its logs were first read.
   */
  logWindowSince?: Readonly<Record<ContextId, IsoTime>>;
  /** Time of the last commit; moves with every change. */
  updatedAt: IsoTime;
}

/** What checks and `--once` read: everything the store knows, and when. */
export interface MeshSnapshot {
  takenAt: IsoTime;
  contexts: Readonly<Record<ContextId, ContextState>>;
  facts: Readonly<Record<ContextId, ContextFacts>>;
  logSignatures: Readonly<Record<ContextId, SignatureTable>>;
  /** MeshState.logWindowSince: when the signatures of a context started counting again. */
  logWindowSince?: Readonly<Record<ContextId, IsoTime>>;
}
