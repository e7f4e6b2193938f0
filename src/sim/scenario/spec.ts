// The validated scenario description: what a scenario YAML file says, with every default
// applied. The generator turns it into Kubernetes objects; nothing here is an object yet.
import type { JsonValue, KubeObject } from '../api/types.ts';
import type { FaultSpec, ForbiddenRule, RootCause } from './model.ts';
import type { TimelineEventSpec } from './timelineSpec.ts';

export type { TimelineEventSpec } from './timelineSpec.ts';

export type AddressType = 'LoadBalancer' | 'NodePort' | 'none';
export type LogFormat = 'text' | 'json';
export type SynczShape = 'syncStatus' | 'clientConfig';
export type ServiceScope = 'global' | 'global-only' | 'segment';

export type CertificatesSpec =
  { mode: 'shared-root' } | { mode: 'root-per-cluster' } | { mode: 'expiring-intermediate'; context: string; daysLeft: number };

export interface LicenseSpec {
  type: 'enterprise' | 'trial';
  product: string;
  expiresInDays: number;
  /** istiod's /debug/license State, when it should differ from what type and expiry imply. */
  state?: string;
  /**
   * Where istiod reads the key: `value` (Helm license.value: the chart's Secret through
   * secretKeyRef; the default), `secretRef` (a user's Secret named by SOLO_LICENSE_SECRET) or
   * `env` (the key inline in SOLO_LICENSE_KEY).
   */
  source?: LicenseSource;
}

export type LicenseSource = 'value' | 'secretRef' | 'env';

export interface ScenarioSpec {
  name: string;
  summary: string;
  rootCauses: RootCause[];
  certificates: CertificatesSpec;
  clusters: ClusterSpec[];
  /** What happens to the running clusters, in order of `at` (timelineSpec.ts). */
  timeline: TimelineEventSpec[];
}

export interface GlobalServiceSpec {
  namespace: string;
  name: string;
  replicas: number;
  port: number;
  targetPort: number;
  scope: ServiceScope;
  /** Where `solo.io/service-scope` is set: on the Service (default) or on its Namespace. */
  labelOn: 'service' | 'namespace';
}

export interface ConditionOverride {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export type PeerConditionType = 'PeerConnected' | 'PeeringSucceeded' | 'PeerDataPlaneProgrammed';

export interface StaleAutogenflatSpec {
  /** Context of the peer the entry claims to come from; absent when `fromCluster` names a cluster outside the scenario. */
  from?: string;
  /** CLUSTER_ID of a source cluster that is none of the scenario's (a cluster since removed, or not in the kubeconfig). */
  fromCluster?: string;
  namespace: string;
  /** Name of a pod that does not exist (any more) in that peer. */
  pod: string;
  service: string;
  address: string;
}

export interface ZtunnelCrashLoopSpec {
  restarts: number;
  /** Node indexes whose ztunnel crashes; empty means all. */
  nodes: number[];
  /** Last line of the crashed instance's log (`kubectl logs --previous`). */
  lastLogLine: string;
}

/** istiod replicas or east-west gateway pods in CrashLoopBackOff. */
export interface PodCrashLoopSpec {
  restarts: number;
  /** Replica indexes (0 = the first pod, istiod's peering leader) that crash; empty means all. */
  replicas: number[];
  /** Last line of the crashed instance's log (`kubectl logs --previous`). */
  lastLogLine: string;
}

export interface BreakageSpec {
  /** `topology.istio.io/network` overrides; null removes the label. */
  networkLabels: {
    istioNamespace?: string | null;
    eastWestGateway?: string | null;
    /** ztunnel DaemonSet/pods NETWORK env. */
    ztunnel?: string | null;
    /** remote peer Gateways, by peer context. */
    remotePeers: Map<string, string | null>;
  };
  /** istiod `discovery` container env overrides; null removes the variable. */
  istiodEnv: Map<string, string | null>;
  /** ztunnel DaemonSet/pods `istio-proxy` container env overrides (any variable); null removes it. */
  ztunnelEnv: Map<string, string | null>;
  /** Annotations on the remote peer Gateway to a peer context (e.g. `gateway.istio.io/trust-domain`); null removes one. */
  remotePeerAnnotations: Map<string, Map<string, string | null>>;
  /**
   * The address the remote peer Gateway to a peer context dials (its spec.addresses), when it is
   * not the peer's current east-west address: a link made before the peer's address changed.
   */
  remotePeerAddresses: Map<string, string>;
  /** The rest of the remote peer Gateway to a peer context, as `kubectl edit` may have left it. */
  remotePeerGateways: Map<string, RemotePeerGatewaySpec>;
  /** `istio-cni-config` ConfigMap data overrides; null removes the key. */
  cniConfig: Map<string, string | null>;
  ztunnelCrashLoop?: ZtunnelCrashLoopSpec;
  istiodCrashLoop?: PodCrashLoopSpec;
  eastWestCrashLoop?: PodCrashLoopSpec;
  /** Solo conditions on the remote peer Gateway to a peer context. */
  peerConditions: Map<string, Map<PeerConditionType, ConditionOverride>>;
  staleAutogenflat: StaleAutogenflatSpec[];
}

/** A log line a scenario adds to matching pods, as history and/or on a schedule. */
export interface LogSpec {
  /** Label selector `key=value[,key=value]`, e.g. `app=ztunnel`. */
  selector: Record<string, string>;
  container?: string;
  event: LogEventSpec;
  /** Occurrences already in the log at start (spread over the last `everySeconds` intervals). */
  history: number;
  /** Repeat interval while running; 0 = history only. */
  everySeconds: number;
  /** Also (or only) in the previous container instance's log. */
  previous: boolean;
}

/**
 * What happened, in scenario terms; turned into a real ztunnel/istiod line by the content
 * functions. `to`/`service` name things the generator knows (peer contexts, global services),
 * so a scenario never spells out IPs or identities by hand.
 */
export type LogEventSpec =
  | { kind: 'text'; text: string }
  | { kind: 'hbone-timeout' | 'unknown-issuer' | 'bad-signature' | 'connection-refused' | 'policy-rejected'; to: string; service: string }
  | { kind: 'san-mismatch'; to: string; service: string }
  | { kind: 'passthrough-240' | 'no-healthy-upstream'; service: string }
  | { kind: 'dns-failure'; service: string }
  | { kind: 'unknown-network-gateway'; to: string }
  | { kind: 'istiod'; event: IstiodEventName; peer?: string; detail?: string };

export type IstiodEventName =
  | 'sync-complete'
  | 'disconnected-retrying'
  | 'tls-unknown-authority'
  | 'license-skipping-feature'
  | 'license-grace-period'
  | 'network-label-missing'
  | 'select-workload-entries-incompatible';

export interface UserSpec {
  name: string;
  expired: boolean;
  forbidden: ForbiddenRule[];
}

/**
 * How a cluster's content is made. `generated`: from the fields below (the default).
 * `manifests-only`: nothing is generated; the cluster serves exactly its `manifests`, its
 * `podLogs` and its `istiodDebug` (a captured incident replayed as it was observed).
 */
export type ClusterMode = 'generated' | 'manifests-only';

/** One container's log given line by line, verbatim: already in the log when the cluster starts. */
export interface VerbatimPodLog {
  namespace: string;
  pod: string;
  container: string;
  lines: string[];
  /** The previous container instance's log (`--previous`). */
  previous?: string[];
}

/**
 * istiod's debug answers for one istiod pod, verbatim. An endpoint left out answers istiod's
 * 404 (license) or 500 (syncz, clusterz), so a fact that was not known when captured stays unknown.
 */
export interface VerbatimIstiodDebug {
  pod: string;
  syncz?: JsonValue;
  /** null: the endpoint does not exist (istiod older than 1.27), answered 404. */
  license?: JsonValue;
  clusterz?: JsonValue;
}

export interface ClusterSpec {
  mode: ClusterMode;
  context: string;
  clusterId: string;
  network: string;
  trustDomain: string;
  istioVersion: string;
  istioNamespace: string;
  ztunnelNamespace: string;
  cniNamespace: string;
  gatewayNamespace: string;
  /** `admin.solo.io/segment` on the istio namespace; undefined = default segment. */
  segment?: string;
  nodes: number;
  region: string;
  istiodReplicas: number;
  /**
   * `address` is an IPv4 or, for a cloud load balancer, a DNS hostname. `dataPlane: NodePort` is
   * Solo's NodePort recipe: a LoadBalancer address for xDS, data-plane traffic to node addresses.
   */
  eastWest: { addressType: AddressType; address: string; dataPlane?: 'NodePort' };
  peers: string[];
  logFormat: LogFormat;
  license: LicenseSpec | null;
  synczShape: SynczShape;
  /** Ambient-enrolled app namespaces besides those of global services. */
  appNamespaces: string[];
  globalServices: GlobalServiceSpec[];
  breakage: BreakageSpec;
  manifests: KubeObject[];
  logs: LogSpec[];
  users: UserSpec[];
  kubeconfigUser: string;
  /** More kubeconfig contexts for this same cluster (same server and CA), e.g. an on-call user's beside admin's. */
  extraContexts: ExtraContextSpec[];
  crdsMissing: string[];
  faults: FaultSpec[];
  /** Verbatim pod logs, added to (or, for a pod the generator does not log, instead of) generated ones. */
  podLogs: VerbatimPodLog[];
  /** Verbatim istiod debug answers; for a listed pod they replace the computed ones. */
  istiodDebug: VerbatimIstiodDebug[];
}

/**
 * A scenario file as written, for what `mesh-tui --once --output scenario` writes: clusters in
 * `manifests-only` mode serving exactly what was observed. The loader reads it like any other
 * file (defaults fill the rest); the capture writer is typed by it so the two cannot drift.
 */
export interface CapturedScenarioDocument {
  name: string;
  summary: string;
  clusters: CapturedClusterDocument[];
}

export interface CapturedClusterDocument extends Pick<ClusterSpec, 'context' | 'clusterId' | 'network' | 'manifests'> {
  mode: 'manifests-only';
  podLogs?: VerbatimPodLog[];
  istiodDebug?: VerbatimIstiodDebug[];
  users?: CapturedUserDocument[];
  kubeconfigUser?: string;
  /** The other contexts that reached this cluster (replayed as admin: the cluster was read through this one). */
  extraContexts?: { context: string }[];
  crdsMissing?: string[];
  faults?: FaultSpec[];
}

/** A user as a file names it: `expired` may be left out (false). */
export interface CapturedUserDocument extends Omit<UserSpec, 'expired'> {
  expired?: boolean;
}

/** One more kubeconfig context reaching a cluster: its name and the user it logs in as. */
export interface ExtraContextSpec {
  context: string;
  user: string;
}

/** Overrides of one remote peer Gateway: labels (null removes one), listeners, and whether it has a status at all. */
export interface RemotePeerGatewaySpec {
  labels: Map<string, string | null>;
  /** Replaces `cross-network` 15008 HBONE + `xds-tls` 15012; without an HBONE listener peering cannot program the data plane. */
  listeners?: { name: string; port: number; protocol: string }[];
  /** false: no `status` at all (no controller has reconciled it), so istiod's peering holds no link through it. */
  status: boolean;
}
