// The scenario's topology worked out before any object is built: node and pod names, IPs,
// effective network labels, and which peering links exist and whether they are up. Object
// builders read this plan, so cross-cluster facts (a peer's address, a peer's pods) agree.
import type { ClusterSpec, ConditionOverride, PeerConditionType, ScenarioSpec } from '../spec.ts';
import { nodeAddress } from './addresses.ts';
import { hexId, podName } from './names.ts';

const NETWORK_LABEL = 'topology.istio.io/network';
export interface NodePlan {
  name: string;
  ip: string;
  zone: string;
  index: number;
}

export interface PodPlan {
  name: string;
  namespace: string;
  node: NodePlan;
  ip: string;
}

export interface AppPlan {
  namespace: string;
  service: string;
  port: number;
  targetPort: number;
  scope: string;
  labelOn: 'service' | 'namespace';
  clusterIp: string;
  pods: PodPlan[];
}

export interface LinkPlan {
  /** The cluster holding the istio-remote Gateway. */
  from: ClusterPlan;
  to: ClusterPlan;
  gatewayName: string;
  /** `topology.istio.io/network` on the remote Gateway; undefined when removed. */
  networkLabel: string | undefined;
  /** Flat mode: the peer's network equals ours, so pods are reached directly (autogenflat). */
  flat: boolean;
  /** The Solo conditions, or undefined when istiod's peering controller is not running. */
  conditions: Map<PeerConditionType, ConditionOverride> | undefined;
  /** PeerConnected and PeeringSucceeded both True: istiod holds the peer's services. */
  peered: boolean;
  /** The address the remote Gateway dials (spec.addresses): the peer's east-west address unless the scenario planted an old one. */
  dialledAddress: string | undefined;
  /**
   * The remote Gateway's annotations as `istioctl multicluster link` writes them, with the
   * scenario's overrides: ztunnel's SAN check expects the identity they name.
   */
  annotations: Map<string, string>;
}

export interface ClusterPlan {
  index: number;
  spec: ClusterSpec;
  /** Seed for deterministic names: scenario name + context. */
  seed: string;
  installedAt: Date;
  nodes: NodePlan[];
  istiodPods: PodPlan[];
  ztunnelPods: PodPlan[];
  cniPods: PodPlan[];
  eastWestPods: PodPlan[];
  apps: AppPlan[];
  /** Public address of the east-west gateway; undefined when none is assigned. */
  eastWestAddress: string | undefined;
  networks: { istioNamespace: string | undefined; eastWestGateway: string | undefined; ztunnel: string | undefined };
  /** Whether istiod's peering controller runs (env, licence and network label allow it). */
  peeringActive: boolean;
  istiodEnv: Map<string, string>;
  links: LinkPlan[];
}

export interface ScenarioPlan {
  name: string;
  now: Date;
  clusters: ClusterPlan[];
  byContext: Map<string, ClusterPlan>;
}

const DAY_MS = 86_400_000;

export const TRUST_DOMAIN_ANNOTATION = 'gateway.istio.io/trust-domain';

/** `undefined` = no override; `null` = removed. */
function effective(override: string | null | undefined, fallback: string): string | undefined {
  if (override === undefined) return fallback;
  return override ?? undefined;
}

export function versionMinor(version: string): number {
  return Number(version.split('.')[1]);
}

/** istiod's env before scenario overrides, as Solo's Helm chart renders it for peering. */
function baseIstiodEnv(spec: ClusterSpec): Map<string, string> {
  return new Map([
    ['REVISION', 'default'],
    ['PILOT_CERT_PROVIDER', 'istiod'],
    ['CLUSTER_ID', spec.clusterId],
    ['TRUST_DOMAIN', spec.trustDomain],
    ['PILOT_ENABLE_AMBIENT', 'true'],
    ['CA_TRUSTED_NODE_ACCOUNTS', `${spec.ztunnelNamespace}/ztunnel`],
    ['ENABLE_PEERING_DISCOVERY', 'true'],
    ['DISABLE_LEGACY_MULTICLUSTER', 'true'],
    ['PILOT_ENABLE_IP_AUTOALLOCATE', 'true'],
    ['PILOT_SKIP_VALIDATE_TRUST_DOMAIN', 'true'],
    ['ENABLE_DEBUG_ENDPOINT_AUTH', 'true'],
  ]);
}

/** istiod refuses peering when Services may not select WorkloadEntries, under either spelling it reads. */
export function selectWorkloadEntriesOff(env: ReadonlyMap<string, string>): boolean {
  return ['PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES', 'K8S_SELECT_WORKLOAD_ENTRIES'].some((name) =>
    ['false', 'False', 'FALSE', '0', 'f', 'F'].includes(env.get(name) ?? 'true'),
  );
}

function licenseAllowsMulticluster(spec: ClusterSpec): boolean {
  const license = spec.license;
  if (!license) return false;
  if (license.state !== undefined) return license.state === 'OK' || license.state === 'BYPASSED';
  // An expired enterprise licence keeps working (grace period); an expired trial does not.
  return !(license.type === 'trial' && license.expiresInDays < 0);
}

export function buildPlan(spec: ScenarioSpec, now: Date): ScenarioPlan {
  const clusters = spec.clusters.map((c, i) => planCluster(spec.name, c, i, now));
  const byContext = new Map(clusters.map((c) => [c.spec.context, c]));
  for (const cluster of clusters) {
    cluster.links = cluster.spec.peers.map((peer) => planLink(cluster, byContext.get(peer)!));
  }
  return { name: spec.name, now, clusters, byContext };
}

function planCluster(scenario: string, spec: ClusterSpec, index: number, now: Date): ClusterPlan {
  const seed = `${scenario}/${spec.context}`;
  const zones = ['a', 'b', 'c'];
  const nodes: NodePlan[] = Array.from({ length: spec.nodes }, (_, n) => ({
    name: n === 0 ? `${spec.clusterId}-control-plane` : `${spec.clusterId}-worker${n === 1 ? '' : n}`,
    ip: nodeAddress(index, n),
    zone: `${spec.region}-${zones[n % zones.length]}`,
    index: n,
  }));
  const nextIp = new Map<number, number>();
  const podIp = (node: NodePlan): string => {
    const k = (nextIp.get(node.index) ?? 1) + 1;
    nextIp.set(node.index, k);
    return `10.${10 + index}.${node.index}.${k}`;
  };
  const spread = (owner: string, namespace: string, count: number, kind: 'Deployment' | 'DaemonSet', offset = 0): PodPlan[] =>
    Array.from({ length: count }, (_, i) => {
      const node = nodes[(i + offset) % nodes.length]!;
      return { name: podName(seed, owner, i, kind), namespace, node, ip: kind === 'DaemonSet' ? node.ip : podIp(node) };
    });
  const istiodEnv = baseIstiodEnv(spec);
  for (const [name, value] of spec.breakage.istiodEnv) {
    if (value === null) istiodEnv.delete(name);
    else istiodEnv.set(name, value);
  }
  const networks = {
    istioNamespace: effective(spec.breakage.networkLabels.istioNamespace, spec.network),
    eastWestGateway: effective(spec.breakage.networkLabels.eastWestGateway, spec.network),
    ztunnel: effective(spec.breakage.networkLabels.ztunnel, spec.network),
  };
  const ztunnelPods = spread('ztunnel', spec.ztunnelNamespace, nodes.length, 'DaemonSet').map((p) => ({ ...p, ip: podIp(p.node) }));
  const apps: AppPlan[] = spec.globalServices.map((svc, i) => ({
    namespace: svc.namespace,
    service: svc.name,
    port: svc.port,
    targetPort: svc.targetPort,
    scope: svc.scope,
    labelOn: svc.labelOn,
    clusterIp: `10.${96 + index}.${parseInt(hexId(`${seed}/${svc.namespace}/${svc.name}`, 2), 16)}.${10 + i}`,
    pods: spread(svc.name, svc.namespace, svc.replicas, 'Deployment', i),
  }));
  return {
    index,
    spec,
    seed,
    installedAt: new Date(now.getTime() - 3 * DAY_MS),
    nodes,
    istiodPods: spread('istiod', spec.istioNamespace, spec.istiodReplicas, 'Deployment'),
    ztunnelPods,
    cniPods: spread('istio-cni-node', spec.cniNamespace, nodes.length, 'DaemonSet'),
    eastWestPods: spread('istio-eastwest', spec.gatewayNamespace, 1, 'Deployment', 1),
    apps,
    eastWestAddress: spec.eastWest.addressType === 'none' ? undefined : spec.eastWest.address,
    networks,
    peeringActive:
      istiodEnv.get('ENABLE_PEERING_DISCOVERY') === 'true' &&
      networks.istioNamespace !== undefined &&
      licenseAllowsMulticluster(spec) &&
      !selectWorkloadEntriesOff(istiodEnv),
    istiodEnv,
    links: [],
  };
}

function condition(status: ConditionOverride['status'], reason: string, message: string): ConditionOverride {
  return { status, reason, message };
}

function planLink(from: ClusterPlan, to: ClusterPlan): LinkPlan {
  const gatewayOverride = from.spec.breakage.remotePeerGateways.get(to.spec.context);
  // A network label set through the Gateway's own labels counts like one set through networkLabels.
  const labelOverride = gatewayOverride?.labels.has(NETWORK_LABEL) === true ? gatewayOverride.labels.get(NETWORK_LABEL) : undefined;
  const override = labelOverride !== undefined ? labelOverride : from.spec.breakage.networkLabels.remotePeers.get(to.spec.context);
  const networkLabel = override === undefined ? to.spec.network : (override ?? undefined);
  const flat = networkLabel === from.spec.network;
  const gatewayName = `istio-remote-peer-${flat ? to.spec.clusterId : (networkLabel ?? to.spec.clusterId)}`;
  const dialledAddress = from.spec.breakage.remotePeerAddresses.get(to.spec.context) ?? to.eastWestAddress;
  let conditions: LinkPlan['conditions'];
  // A Gateway with no status was never reconciled: istiod's peering holds no link through it.
  if (from.peeringActive && gatewayOverride?.status !== false) {
    const invalid =
      dialledAddress === undefined
        ? 'no addresses found in gateway'
        : networkLabel === undefined
          ? 'no network label found in gateway'
          : undefined;
    const dataPlaneMode =
      to.spec.eastWest.addressType === 'NodePort' || to.spec.eastWest.dataPlane === 'NodePort' ? 'NodePort' : 'LoadBalancer';
    // A Gateway dialling an address the peer no longer has never connects: istiod retries the dial.
    const stale = dialledAddress !== undefined && to.eastWestAddress !== undefined && dialledAddress !== to.eastWestAddress;
    conditions = stale
      ? new Map([
          ['PeerConnected', condition('False', 'Pending', 'not connected to peer')],
          ['PeeringSucceeded', condition('Unknown', 'Pending', 'network not yet synced check istiod log for more details')],
        ])
      : invalid
        ? new Map([
            ['PeerConnected', condition('False', 'Invalid', `no network started, encountered error validating gateway: ${invalid}`)],
            ['PeeringSucceeded', condition('False', 'Invalid', `no network started, encountered error validating gateway: ${invalid}`)],
            [
              'PeerDataPlaneProgrammed',
              condition(
                'False',
                'Invalid',
                `peering data plane not programmed for cross-network traffic, encountered error validating gateway: ${invalid}`,
              ),
            ],
          ])
        : new Map([
            ['PeerConnected', condition('True', 'Programmed', '')],
            ['PeeringSucceeded', condition('True', 'Programmed', '')],
            [
              'PeerDataPlaneProgrammed',
              condition('True', 'Programmed', `peering data plane programmed for cross-network traffic with ${dataPlaneMode} service type`),
            ],
          ]);
    const listeners = gatewayOverride?.listeners;
    if (listeners !== undefined && !listeners.some((l) => l.protocol === 'HBONE') && conditions.get('PeerConnected')?.status === 'True')
      conditions.set(
        'PeerDataPlaneProgrammed',
        condition('False', 'Invalid', 'peering data plane not programmed for cross-network traffic: missing HBONE listener'),
      );
    for (const [type, value] of from.spec.breakage.peerConditions.get(to.spec.context) ?? []) conditions.set(type, value);
  }
  const peered =
    conditions !== undefined && conditions.get('PeerConnected')?.status === 'True' && conditions.get('PeeringSucceeded')?.status === 'True';
  const annotations = new Map([
    ['gateway.istio.io/service-account', 'istio-eastwest'],
    [TRUST_DOMAIN_ANNOTATION, to.spec.trustDomain],
  ]);
  for (const [key, value] of from.spec.breakage.remotePeerAnnotations.get(to.spec.context) ?? []) {
    if (value === null) annotations.delete(key);
    else annotations.set(key, value);
  }
  return { from, to, gatewayName, networkLabel, flat, conditions, peered, annotations, dialledAddress };
}

/** The SE VIP istiod auto-allocated in `cluster` for a global host (240.240.0.0/16, per cluster). */
export function autoAllocatedVip(cluster: ClusterPlan, host: string): string {
  const hex = hexId(`${cluster.seed}/vip/${host}`, 4);
  return `240.240.${parseInt(hex.slice(0, 2), 16)}.${Math.max(1, parseInt(hex.slice(2, 4), 16))}`;
}

export function globalHost(app: { service: string; namespace: string }): string {
  return `${app.service}.${app.namespace}.mesh.internal`;
}
