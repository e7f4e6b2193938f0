// Who should be in an istiod's proxy-status (syncz) and is not: every ztunnel pod of its cluster,
// and the istiod of every loaded peer that links to this cluster (its subscription is the far end
// of that peer's PeerConnected). Shared by the proxy-status check (checks/proxyStatus.ts) and the
// console's proxies pane, so the pane marks exactly what the check judges.
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../store/types.ts';
import { GATEWAYS, ISTIOD_ZTUNNEL_PODS } from '../store/resourceIds.ts';
import { contextNames, objectsIn, unreadable } from '../store/snapshotReads.ts';
import { peerContextOf, remoteGateways } from './peering.ts';
import type { ProxyStatusRow } from './syncz.ts';

/** The types a peer istiod subscribes to (Solo's federation types). */
export const PEER_TYPES: readonly string[] = ['FSDS', 'SGDS', 'WDS'];

export function podsWithApp(snapshot: MeshSnapshot, context: ContextId, app: string): KubeObjectJson[] {
  return objectsIn(snapshot, context, ISTIOD_ZTUNNEL_PODS).filter((p) => p.metadata.labels?.['app'] === app);
}

/** `ztunnel-abc.istio-system`: how istiod names a proxy. */
export function proxyNameOf(pod: KubeObjectJson): string {
  return `${pod.metadata.name}.${pod.metadata.namespace ?? ''}`;
}

/** The ztunnel pods of `context` that no syncz row names. */
export function ztunnelsWithoutRow(snapshot: MeshSnapshot, context: ContextId, rows: readonly ProxyStatusRow[]): KubeObjectJson[] {
  // A set, not rows.some per pod: 500 ztunnels against 500 rows would be 250,000 comparisons.
  const named = new Set(rows.map((r) => r.name));
  return podsWithApp(snapshot, context, 'ztunnel').filter((pod) => !named.has(proxyNameOf(pod)));
}

/** A loaded peer that links to a context, and the syncz rows of that context that are its istiod. */
export interface PeerSubscription {
  from: ContextId;
  /** The peer's istio-remote Gateway pointing at the context. */
  link: KubeObjectJson;
  /** The peer's CLUSTER_ID, when known. */
  cluster: string | undefined;
  /** The peer's istiod pods as proxy names. */
  istiodPods: string[];
  subscribed: ProxyStatusRow[];
}

/** Every loaded peer (readable Gateways) that links to `context`, with its subscription rows in `rows`. */
export function peerSubscriptions(snapshot: MeshSnapshot, context: ContextId, rows: readonly ProxyStatusRow[]): PeerSubscription[] {
  const out: PeerSubscription[] = [];
  for (const from of contextNames(snapshot).filter((c) => c !== context)) {
    if (unreadable(snapshot, from, GATEWAYS) !== undefined) continue;
    const link = remoteGateways(snapshot, from).find((g) => peerContextOf(snapshot, from, g) === context);
    if (!link) continue;
    const cluster = snapshot.contexts[from]?.clusterId;
    const istiodPods = podsWithApp(snapshot, from, 'istiod').map(proxyNameOf);
    const subscribed = rows.filter((r) => (cluster !== undefined && r.cluster === cluster) || istiodPods.includes(r.name));
    out.push({ from, link, cluster, istiodPods, subscribed });
  }
  return out;
}
