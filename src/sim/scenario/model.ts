// What a loaded scenario gives the simulator: everything each simulated cluster serves.
// The scenario loader (YAML → validated description → generated objects) produces this;
// the simulator (API server, pod logs, port-forward) consumes it and knows nothing of YAML.
import type { KubeObject, JsonValue } from '../api/types.ts';
import type { TimelineEvent } from './timelineModel.ts';

export type { TimelineEvent } from './timelineModel.ts';

export interface Scenario {
  name: string;
  /** One line, shown by `mesh-tui scenarios`. */
  summary: string;
  /** Machine-readable root causes: which check must fail, where, about what. Empty for healthy scenarios. */
  rootCauses: RootCause[];
  clusters: GeneratedCluster[];
  /** What happens to the running clusters, in order of `at`; empty for a scenario that stands still. */
  timeline: TimelineEvent[];
  /** Where the scenario came from: 'builtin:<name>' or an absolute file path. */
  source: string;
}

export interface RootCause {
  /** Stable check id, e.g. 'MC-NET-001' (see checks/ once it exists). */
  check: string;
  /** Kubeconfig context name of the cluster where the check must fail. */
  context: string;
  /** The object the finding is about, e.g. { kind: 'Namespace', name: 'istio-system' }. */
  subject: { kind: string; namespace?: string; name: string };
  /** Human explanation. */
  explanation: string;
  /** What the check must report; 'fail' when absent. 'unknown' for facts the console cannot read (e.g. forbidden). */
  expectedSeverity?: 'fail' | 'unknown' | 'warn';
}

export interface GeneratedCluster {
  /** kubeconfig context name. */
  context: string;
  /** istiod CLUSTER_ID. */
  clusterId: string;
  network: string;
  /** Every object the cluster serves at start, built-in kinds and custom resources alike. */
  objects: KubeObject[];
  /** CRDs not installed in this cluster, as '<plural>.<group>' (served 404, absent from discovery). */
  crdsMissing: string[];
  users: SimUser[];
  logs: PodLogScript[];
  /** istiod debug endpoints served through port-forward to port 15014 of istiod pods. */
  istiodDebug: IstiodDebugSource;
  faults: FaultSpec[];
  /** Which of `users` the generated kubeconfig authenticates as; 'admin' when absent. */
  kubeconfigUser?: string;
  /** More kubeconfig contexts reaching this cluster, each as its user. */
  extraContexts?: { context: string; user: string }[];
}

export interface SimUser {
  name: string;
  token: string;
  /** A token the server answers 401 for (an expired credential). */
  expired?: boolean;
  /** Requests this user may not make; answered 403 with the verb and resource in the message. */
  forbidden: ForbiddenRule[];
}

export interface ForbiddenRule {
  /** 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | '*' */
  verb: string;
  /** Plural resource, optionally with subresource: 'pods', 'pods/log', 'pods/portforward', '*'. */
  resource: string;
  /** API group ('' core); omitted means any group. */
  group?: string;
  namespace?: string;
}

export interface PodLogScript {
  namespace: string;
  pod: string;
  container: string;
  /** Lines already in the log when the simulator starts, oldest first; `ageSeconds` before start. */
  history: { ageSeconds: number; text: string }[];
  /** Lines appended while running: each entry repeats every `everySeconds`, first after `afterSeconds` (default everySeconds). */
  live: LiveLogLine[];
  /** The previous container instance's log (`?previous=true`), for pods that restarted. */
  previous?: string[];
}

export interface LiveLogLine {
  everySeconds: number;
  afterSeconds?: number;
  text: string;
  /**
   * Asked each time the line is due, against what the cluster holds then: false skips that
   * occurrence (the schedule goes on). Lines a breakage causes carry "the breakage is still
   * there", so a repaired cluster stops logging them, as the real ztunnel or istiod would.
   */
  while?: (view: ClusterView) => boolean;
}

/**
 * The istiod debug endpoints' content. Functions, not values: syncz follows what is connected
 * right now (e.g. a deleted ztunnel pod disappears from it), so it is computed per request from
 * the objects the cluster currently holds.
 */
export interface IstiodDebugSource {
  syncz(view: ClusterView, istiodPod: string): JsonValue;
  /** undefined → 404 (istiod older than 1.27). */
  license(view: ClusterView, istiodPod: string): JsonValue | undefined;
  clusterz(view: ClusterView, istiodPod: string): JsonValue;
}

/** Read-only access to what a simulated cluster holds now. */
export interface ClusterView {
  readonly context: string;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Another simulated cluster of the same scenario (peering is about pairs), by context name. */
  peer(context: string): ClusterView | undefined;
}

export type FaultSpec =
  | { kind: 'latency'; ms: number }
  | { kind: 'unreachable'; afterSeconds?: number; forSeconds?: number }
  | { kind: 'stallWatches'; resource?: string }
  | { kind: 'resetStreams'; afterSeconds: number }
  | { kind: 'gone'; resource?: string }
  | { kind: 'tooManyRequests'; retryAfterSeconds: number; resource?: string; count?: number };
