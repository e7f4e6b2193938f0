// "Is the breakage still there?", asked of a running simulated cluster. The lines a breakage
// causes (a scenario's `logs:` in a broken cluster, istiod's complaints about a missing network
// label or a stale peer address) are written only while it is: once a guided action or a
// `kubectl` edit repairs the objects, ztunnel and istiod stop complaining, as the real ones would.
// Each kind of breakage is judged from the objects it planted, by comparing them with what a
// healthy install holds. Kinds no edit of an object can repair here (crash loops, remote Gateway
// rewrites, env overrides) count as present for good, so their lines never stop by mistake.
import type { KubeObject } from '../../api/types.ts';
import type { ClusterView } from '../model.ts';
import { cniConfigData } from './dataplane.ts';
import { EAST_WEST } from './gateways.ts';
import { staleWorkloadEntryNames } from './peeringObjects.ts';
import { TRUST_DOMAIN_ANNOTATION, type ClusterPlan, type LinkPlan, type ScenarioPlan } from './plan.ts';

export type ClusterCondition = (view: ClusterView) => boolean;

const NETWORK_LABEL = 'topology.istio.io/network';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const ISTIO_NETWORKING = 'networking.istio.io/v1';
const SOLO_CONDITION_PREFIX = 'gloo.solo.io/';

function find(view: ClusterView, apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return view.list(apiVersion, kind, namespace).find((o) => o.metadata.name === name);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.flatMap((v) => (record(v) ? [record(v)!] : [])) : [];
}

/** The NETWORK env of ztunnel's DaemonSet (what ztunnel believes its network is). */
function ztunnelNetwork(view: ClusterView, cluster: ClusterPlan): string | undefined {
  const ds = find(view, 'apps/v1', 'DaemonSet', cluster.spec.ztunnelNamespace, 'ztunnel');
  const containers = list(record(record(record(ds?.['spec'])?.['template'])?.['spec'])?.['containers']);
  const env = containers.flatMap((c) => list(c['env'])).find((e) => e['name'] === 'NETWORK');
  return typeof env?.['value'] === 'string' ? env['value'] : undefined;
}

function remoteGateway(view: ClusterView, link: LinkPlan): KubeObject | undefined {
  return find(view, GATEWAY_API, 'Gateway', link.from.spec.gatewayNamespace, link.gatewayName);
}

function linkTo(cluster: ClusterPlan, peerContext: string): LinkPlan | undefined {
  return cluster.links.find((l) => l.to.spec.context === peerContext);
}

/** The network labels the breakage changed still differ from the cluster's (or the peer's) network. */
function networkLabelConditions(cluster: ClusterPlan): ClusterCondition[] {
  const labels = cluster.spec.breakage.networkLabels;
  const network = cluster.spec.network;
  const out: ClusterCondition[] = [];
  if (labels.istioNamespace !== undefined) {
    out.push((view) => find(view, 'v1', 'Namespace', undefined, cluster.spec.istioNamespace)?.metadata.labels?.[NETWORK_LABEL] !== network);
  }
  if (labels.eastWestGateway !== undefined) {
    out.push(
      (view) => find(view, GATEWAY_API, 'Gateway', cluster.spec.gatewayNamespace, EAST_WEST)?.metadata.labels?.[NETWORK_LABEL] !== network,
    );
  }
  if (labels.ztunnel !== undefined) out.push((view) => ztunnelNetwork(view, cluster) !== network);
  for (const peerContext of labels.remotePeers.keys()) {
    const link = linkTo(cluster, peerContext);
    if (link) out.push((view) => remoteGateway(view, link)?.metadata.labels?.[NETWORK_LABEL] !== link.to.spec.network);
  }
  return out;
}

/** The annotations the breakage changed on a remote Gateway still differ from what `istioctl multicluster link` writes. */
function annotationConditions(cluster: ClusterPlan): ClusterCondition[] {
  return [...cluster.spec.breakage.remotePeerAnnotations].flatMap(([peerContext, overrides]) => {
    const link = linkTo(cluster, peerContext);
    if (!link) return [];
    const healthy: Record<string, string> = {
      'gateway.istio.io/service-account': EAST_WEST,
      [TRUST_DOMAIN_ANNOTATION]: link.to.spec.trustDomain,
    };
    return [...overrides.keys()].map(
      (key) => (view: ClusterView) => remoteGateway(view, link)?.metadata.annotations?.[key] !== healthy[key],
    );
  });
}

/** The remote Gateway still dials an address that is not the peer's east-west address. */
export function staleAddressCondition(link: LinkPlan): ClusterCondition {
  return (view) => {
    const addresses = list(record(remoteGateway(view, link)?.['spec'])?.['addresses']);
    return addresses[0]?.['value'] !== link.to.eastWestAddress;
  };
}

/** A planted peer condition is still on the remote Gateway as planted (nothing reconciled it). */
function peerConditionConditions(cluster: ClusterPlan): ClusterCondition[] {
  return [...cluster.spec.breakage.peerConditions].flatMap(([peerContext, planted]) => {
    const link = linkTo(cluster, peerContext);
    if (!link) return [];
    return [...planted].map(([type, override]) => (view: ClusterView) => {
      const conditions = list(record(remoteGateway(view, link)?.['status'])?.['conditions']);
      const now = conditions.find((c) => c['type'] === `${SOLO_CONDITION_PREFIX}${type}`);
      return now?.['status'] === override.status && now['reason'] === override.reason;
    });
  });
}

function cniConditions(cluster: ClusterPlan): ClusterCondition[] {
  const overrides = cluster.spec.breakage.cniConfig;
  if (overrides.size === 0) return [];
  const healthy = cniConfigData({ ...cluster, spec: { ...cluster.spec, breakage: { ...cluster.spec.breakage, cniConfig: new Map() } } });
  return [...overrides.keys()].map((key) => (view: ClusterView) => {
    const data = record(find(view, 'v1', 'ConfigMap', cluster.spec.cniNamespace, 'istio-cni-config')?.['data']);
    return data?.[key] !== healthy[key];
  });
}

function staleEntryConditions(plan: ScenarioPlan, cluster: ClusterPlan): ClusterCondition[] {
  const names = staleWorkloadEntryNames(plan, cluster);
  if (names.length === 0) return [];
  return [
    (view) => {
      const held = new Set(view.list(ISTIO_NETWORKING, 'WorkloadEntry', cluster.spec.istioNamespace).map((o) => o.metadata.name));
      return names.some((n) => held.has(n));
    },
  ];
}

/** Breakage kinds judged "present for good": nothing in the running cluster says they were repaired. */
function permanentKinds(cluster: ClusterPlan): boolean {
  const b = cluster.spec.breakage;
  return (
    b.istiodEnv.size > 0 ||
    b.ztunnelEnv.size > 0 ||
    b.remotePeerGateways.size > 0 ||
    b.ztunnelCrashLoop !== undefined ||
    b.istiodCrashLoop !== undefined ||
    b.eastWestCrashLoop !== undefined
  );
}

/**
 * "Some of this cluster's breakage is still there", or undefined for a cluster without one (its
 * lines are not caused by a breakage and never stop). A breakage of a kind that cannot be seen
 * repaired keeps it true.
 */
export function breakagePresent(plan: ScenarioPlan, cluster: ClusterPlan): ClusterCondition | undefined {
  const b = cluster.spec.breakage;
  const stalePeerAddresses = [...b.remotePeerAddresses.keys()].flatMap((peer) => {
    const link = linkTo(cluster, peer);
    return link ? [staleAddressCondition(link)] : [];
  });
  const conditions = [
    ...networkLabelConditions(cluster),
    ...annotationConditions(cluster),
    ...stalePeerAddresses,
    ...peerConditionConditions(cluster),
    ...cniConditions(cluster),
    ...staleEntryConditions(plan, cluster),
  ];
  if (permanentKinds(cluster)) return () => true;
  if (conditions.length === 0) {
    // Planted, but nothing in it can be judged (e.g. a remote peer label for a peer not linked): present.
    return hasAnyBreakage(cluster) ? () => true : undefined;
  }
  return (view) => conditions.some((present) => present(view));
}

function hasAnyBreakage(cluster: ClusterPlan): boolean {
  const b = cluster.spec.breakage;
  const labels = b.networkLabels;
  return (
    labels.istioNamespace !== undefined ||
    labels.eastWestGateway !== undefined ||
    labels.ztunnel !== undefined ||
    labels.remotePeers.size > 0 ||
    b.remotePeerAnnotations.size > 0 ||
    b.remotePeerAddresses.size > 0 ||
    b.peerConditions.size > 0 ||
    b.cniConfig.size > 0 ||
    b.staleAutogenflat.length > 0 ||
    permanentKinds(cluster)
  );
}

/** istiod's "network label missing" complaint lasts while the istio namespace has no network label. */
export function networkLabelMissing(cluster: ClusterPlan): ClusterCondition {
  return (view) => find(view, 'v1', 'Namespace', undefined, cluster.spec.istioNamespace)?.metadata.labels?.[NETWORK_LABEL] === undefined;
}
