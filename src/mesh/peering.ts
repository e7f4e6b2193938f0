// Solo peering as the snapshot shows it, shared by every multicluster check so they all read a
// link the same way: the east-west and istio-remote Gateways, their gloo.solo.io conditions,
// which loaded context a remote Gateway points at, where a context can be reached, and why a
// cluster runs no peering controller.
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../store/types.ts';
import { EASTWEST_SERVICES, GATEWAYS, ISTIOD_DEPLOYMENTS, NAMESPACES } from '../store/resourceIds.ts';
import { objectKey } from '../store/objectKey.ts';
import { contextNames, objectsIn, unreadable } from '../store/snapshotReads.ts';
import { field, records, text } from './jsonFields.ts';
import { isRestrictedProduct } from './license.ts';

export const PEER_CONNECTED = 'gloo.solo.io/PeerConnected';
export const PEERING_SUCCEEDED = 'gloo.solo.io/PeeringSucceeded';
export const PEER_DATA_PLANE_PROGRAMMED = 'gloo.solo.io/PeerDataPlaneProgrammed';
export const NETWORK_LABEL = 'topology.istio.io/network';
export const CLUSTER_LABEL = 'topology.istio.io/cluster';

export interface GatewayCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function gatewayClassOf(gateway: KubeObjectJson): string | undefined {
  return text(field(gateway, 'spec', 'gatewayClassName'));
}

export function remoteGateways(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, GATEWAYS).filter((g) => gatewayClassOf(g) === 'istio-remote');
}

export function eastWestGateways(snapshot: MeshSnapshot, context: ContextId): KubeObjectJson[] {
  return objectsIn(snapshot, context, GATEWAYS).filter((g) => gatewayClassOf(g) === 'istio-eastwest');
}

export function conditionOf(gateway: KubeObjectJson, type: string): GatewayCondition | undefined {
  const found = records(field(gateway, 'status', 'conditions')).find((c) => c['type'] === type);
  if (!found) return undefined;
  return { type, status: text(found['status']) ?? '', reason: text(found['reason']) ?? '', message: text(found['message']) ?? '' };
}

/** `False Pending "not connected to peer"`: a condition as a user reads it. */
export function describeCondition(condition: GatewayCondition): string {
  return `${condition.status} ${condition.reason}${condition.message !== '' ? ` "${condition.message}"` : ''}`;
}

export function gatewayRef(gateway: KubeObjectJson): string {
  return `Gateway ${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
}

/** The addresses a remote Gateway tells istiod to dial (spec.addresses). */
export function specAddresses(gateway: KubeObjectJson): string[] {
  return records(field(gateway, 'spec', 'addresses'))
    .map((a) => text(a['value']))
    .filter((v): v is string => v !== undefined && v !== '');
}

/** Where peers can reach this context now: its east-west Gateways' status addresses and the LB ingress of their Service. */
export function eastWestAddresses(snapshot: MeshSnapshot, context: ContextId): string[] {
  const found = new Set<string>();
  for (const gateway of eastWestGateways(snapshot, context)) {
    for (const a of records(field(gateway, 'status', 'addresses'))) {
      const value = text(a['value']);
      if (value) found.add(value);
    }
  }
  for (const service of objectsIn(snapshot, context, EASTWEST_SERVICES)) {
    for (const ingress of records(field(service, 'status', 'loadBalancer', 'ingress'))) {
      const value = text(ingress['ip']) ?? text(ingress['hostname']);
      if (value) found.add(value);
    }
  }
  return [...found].sort();
}

/**
 * The loaded context a remote Gateway points at: by its topology.istio.io/cluster label (what
 * `link` writes) matched against each context's CLUSTER_ID, else by its address matching a
 * context's east-west address. Undefined when the peer is not among the loaded contexts.
 */
export function peerContextOf(snapshot: MeshSnapshot, from: ContextId, gateway: KubeObjectJson): ContextId | undefined {
  const others = contextNames(snapshot).filter((c) => c !== from);
  const cluster = gateway.metadata.labels?.[CLUSTER_LABEL];
  if (cluster !== undefined) {
    const byCluster = others.find((c) => snapshot.contexts[c]?.clusterId === cluster);
    if (byCluster !== undefined) return byCluster;
  }
  const addresses = specAddresses(gateway);
  return others.find((c) => eastWestAddresses(snapshot, c).some((a) => addresses.includes(a)));
}

/** The env of istiod's discovery container, from the watched Deployment; undefined when not read. */
export function istiodEnv(snapshot: MeshSnapshot, context: ContextId): Map<string, string> | undefined {
  if (unreadable(snapshot, context, ISTIOD_DEPLOYMENTS) !== undefined) return undefined;
  const deployments = objectsIn(snapshot, context, ISTIOD_DEPLOYMENTS);
  if (deployments.length === 0) return undefined;
  const env = new Map<string, string>();
  for (const deployment of deployments) {
    const containers = records(field(deployment, 'spec', 'template', 'spec', 'containers'));
    const discovery = containers.find((c) => c['name'] === 'discovery') ?? containers[0];
    for (const variable of records(discovery?.['env'])) {
      const name = text(variable['name']);
      const value = text(variable['value']);
      if (name !== undefined && value !== undefined) env.set(name, value);
    }
  }
  return env;
}

/**
 * Why istiod runs no peering controller: its env does not turn it on (ENABLE_PEERING_DISCOVERY
 * missing, or Services may not select WorkloadEntries), its licence is not OK, or the istio
 * namespace has no network label (istiod's peering waits for one).
 */
export interface PeeringOff {
  cause: 'env' | 'license' | 'network-label';
  reason: string;
}

/** Both spellings istiod reads; `false` under either makes it refuse to start peering. */
export const SELECT_WORKLOAD_ENTRIES_VARIABLES: readonly string[] = [
  'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES',
  'K8S_SELECT_WORKLOAD_ENTRIES',
];

/** What Go's strconv.ParseBool reads as false; istiod keeps the default (true) for anything unparsable. */
export const FALSE_VALUES: readonly string[] = ['0', 'f', 'F', 'false', 'FALSE', 'False'];

function envOff(env: ReadonlyMap<string, string>, context: ContextId): PeeringOff | undefined {
  if (env.get('ENABLE_PEERING_DISCOVERY') !== 'true') {
    return { cause: 'env', reason: `istiod in ${context} does not have ENABLE_PEERING_DISCOVERY=true, so its peering controller is off` };
  }
  for (const name of SELECT_WORKLOAD_ENTRIES_VARIABLES) {
    const value = env.get(name);
    if (value !== undefined && FALSE_VALUES.includes(value)) {
      return {
        cause: 'env',
        reason: `istiod in ${context} has ${name}="${value}", which peering discovery is incompatible with, so its peering controller is off`,
      };
    }
  }
  return undefined;
}

function networkLabelOff(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): PeeringOff | undefined {
  if (unreadable(snapshot, context, NAMESPACES) !== undefined) return undefined;
  const namespace = snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
  if (namespace === undefined || namespace.metadata.labels?.[NETWORK_LABEL] !== undefined) return undefined;
  return {
    cause: 'network-label',
    reason: `the ${istioNamespace} namespace of ${context} has no ${NETWORK_LABEL} label, so istiod's peering waits for a network`,
  };
}

/**
 * Why istiod in this context runs no peering controller, when the snapshot proves it. What
 * follows from it (no peer status, no generated entries, no subscription) is its symptom.
 */
export function peeringOff(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): PeeringOff | undefined {
  const env = istiodEnv(snapshot, context);
  const byEnv = env !== undefined ? envOff(env, context) : undefined;
  if (byEnv !== undefined) return byEnv;
  for (const [pod, fact] of Object.entries(snapshot.facts[context]?.license ?? {})) {
    if (fact.state !== 'known') continue;
    if (fact.value.state !== 'OK' && fact.value.state !== 'BYPASSED') {
      return {
        cause: 'license',
        reason: `istiod ${pod} in ${context} reports licence state ${fact.value.state}, so the MultiCluster feature is skipped`,
      };
    }
    if (isRestrictedProduct(fact.value.product)) {
      return {
        cause: 'license',
        reason: `istiod ${pod} in ${context} runs on a ${fact.value.product ?? ''} licence, which does not include MultiCluster`,
      };
    }
  }
  return networkLabelOff(snapshot, context, istioNamespace);
}

/**
 * The addresses a remote Gateway dials that its peer's east-west gateway no longer has, when the
 * peer is loaded, has an address, and none of the dialled ones is current; else undefined.
 */
export function staleAddressOf(
  snapshot: MeshSnapshot,
  from: ContextId,
  gateway: KubeObjectJson,
): { dialled: string[]; current: string[] } | undefined {
  const peer = peerContextOf(snapshot, from, gateway);
  if (peer === undefined) return undefined;
  const current = eastWestAddresses(snapshot, peer);
  const dialled = specAddresses(gateway);
  if (current.length === 0 || dialled.some((a) => current.includes(a))) return undefined;
  return { dialled, current };
}

export type PeerState = 'connected' | 'disconnected' | 'noStatus';

/** Connected ⇔ PeerConnected and PeeringSucceeded are present and True; neither present ⇒ no status. */
export function peerStateOf(gateway: KubeObjectJson): PeerState {
  const gating = [conditionOf(gateway, PEER_CONNECTED), conditionOf(gateway, PEERING_SUCCEEDED)];
  if (gating.every((c) => c === undefined)) return 'noStatus';
  return gating.every((c) => c?.status === 'True') ? 'connected' : 'disconnected';
}
