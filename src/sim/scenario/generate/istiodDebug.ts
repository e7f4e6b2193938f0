// istiod's debug endpoints for one cluster, computed per request from what the cluster holds
// now: syncz lists the ztunnel pods that are up (a deleted or crashing one is not connected)
// and every peer whose istio-remote Gateway to us is connected, as a peered istiod.
import type { KubeObject } from '../../api/types.ts';
import { buildClusterz } from '../../content/clusterz.ts';
import { debugLicenseResponse } from '../../content/license.ts';
import { buildSyncz, peerIstiodSubscriptions, ztunnelSubscriptions, type SynczProxy } from '../../content/syncz.ts';
import type { ClusterView, IstiodDebugSource } from '../model.ts';
import { versionMinor, type ClusterPlan } from './plan.ts';

interface PeerFacts {
  context: string;
  clusterId: string;
  istioNamespace: string;
  istioVersion: string;
}

// What clients write is only as well-formed as the apiserver makes it: a `null` in a list, a
// string where a list belongs. istiod shrugs those off, and so must its stand-in (a TypeError here
// would become a 500 carrying a JavaScript message).
type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
function entries(value: unknown): Fields[] {
  if (!Array.isArray(value)) return [];
  const out: Fields[] = [];
  for (const item of value as unknown[]) {
    const entry = fields(item);
    if (entry) out.push(entry);
  }
  return out;
}

function podReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const status = fields(pod.status);
  return status?.phase === 'Running' && entries(status.containerStatuses).every((c) => c.ready === true);
}

function byName(a: KubeObject, b: KubeObject): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function conditionTrue(gateway: KubeObject, type: string): boolean {
  return entries(fields(gateway.status)?.conditions).some((c) => c.type === type && c.status === 'True');
}

/** Whether `peer` holds a connected istio-remote Gateway pointing at the cluster with `clusterId`/`address`. */
function peerConnectedTo(peer: ClusterView, clusterId: string, address: string | undefined): boolean {
  return peer.list('gateway.networking.k8s.io/v1', 'Gateway').some((gw) => {
    const spec = fields(gw.spec);
    if (spec?.gatewayClassName !== 'istio-remote') return false;
    const pointsHere =
      gw.metadata.labels?.['topology.istio.io/cluster'] === clusterId ||
      (address !== undefined && entries(spec.addresses).some((a) => a.value === address));
    return pointsHere && conditionTrue(gw, 'gloo.solo.io/PeerConnected') && conditionTrue(gw, 'gloo.solo.io/PeeringSucceeded');
  });
}

export function istiodDebugSource(cluster: ClusterPlan, peers: PeerFacts[]): IstiodDebugSource {
  const spec = cluster.spec;
  const istiodPods = (view: ClusterView): KubeObject[] =>
    view
      .list('v1', 'Pod', spec.istioNamespace)
      .filter((p) => p.metadata.labels?.app === 'istiod')
      .sort(byName);
  return {
    syncz(view, istiodPod) {
      // Ztunnels hold their streams on the ready replicas: a crash-looping istiod has none.
      const pods = istiodPods(view);
      const mine = pods.filter(podReady).map((p) => p.metadata.name);
      const myIndex = Math.max(0, mine.indexOf(istiodPod));
      const proxies: SynczProxy[] = [];
      if (pods.some((p) => p.metadata.name === istiodPod && !podReady(p)))
        return buildSyncz(spec.synczShape, { pod: istiodPod, version: spec.istioVersion }, proxies, new Date());
      // Each ztunnel holds one stream to one istiod replica; spread them like a Service would.
      view
        .list('v1', 'Pod', spec.ztunnelNamespace)
        .filter((p) => p.metadata.labels?.app === 'ztunnel' && podReady(p))
        .sort(byName)
        .forEach((pod, i) => {
          if (mine.length > 0 && i % mine.length !== myIndex) return;
          proxies.push({
            id: `${pod.metadata.name}.${spec.ztunnelNamespace}`,
            clusterId: spec.clusterId,
            namespace: spec.ztunnelNamespace,
            istioVersion: spec.istioVersion,
            proxyType: 'ztunnel',
            types: ztunnelSubscriptions(),
          });
        });
      if (myIndex === 0) {
        for (const peer of peers) {
          const peerView = view.peer(peer.context);
          if (!peerView || !peerConnectedTo(peerView, spec.clusterId, cluster.eastWestAddress)) continue;
          const leader = istiodPodsOf(peerView, peer.istioNamespace)[0];
          if (!leader) continue;
          proxies.push({
            id: `${leader.metadata.name}.${peer.istioNamespace}`,
            clusterId: peer.clusterId,
            namespace: peer.istioNamespace,
            istioVersion: peer.istioVersion,
            proxyType: 'sidecar',
            peerIstiod: true,
            types: peerIstiodSubscriptions(),
          });
        }
      }
      return buildSyncz(spec.synczShape, { pod: istiodPod, version: spec.istioVersion }, proxies, new Date());
    },
    license() {
      // /debug/license arrived in Solo Istio 1.27; older istiod answers 404.
      if (versionMinor(spec.istioVersion) < 27) return undefined;
      if (!spec.license) return { State: 'UNSET', Product: '' };
      return debugLicenseResponse(spec.license, new Date());
    },
    clusterz() {
      // Peering does not use remote secrets: only the local (config) cluster is listed.
      return buildClusterz([{ clusterId: spec.clusterId, secretName: '', syncStatus: 'synced' }]);
    },
  };
}

function istiodPodsOf(view: ClusterView, namespace: string): KubeObject[] {
  return view
    .list('v1', 'Pod', namespace)
    .filter((p) => p.metadata.labels?.app === 'istiod' && podReady(p))
    .sort(byName);
}
