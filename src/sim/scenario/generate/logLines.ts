// Turns scenario log events into real ztunnel/istiod lines via the content functions. Lines are
// rendered once with a sentinel time whose stamp is then replaced by the `{{timestamp}}`
// placeholder, so the pod log service stamps every history and live line with its own time.
import { TIMESTAMP_PLACEHOLDER } from '../../pod/logs.ts';
import { istiodLogLine, type DisconnectCause, type IstiodEvent } from '../../content/istiodLog.ts';
import { rfc3339Micros } from '../../content/timeFormats.ts';
import {
  networkGatewayWorkload,
  spiffeIdentity,
  ztunnelLogLine,
  type Destination,
  type LogFormat,
  type Workload,
  type ZtunnelEvent,
} from '../../content/ztunnelLog.ts';
import type { LogEventSpec } from '../spec.ts';
import {
  autoAllocatedVip,
  globalHost,
  TRUST_DOMAIN_ANNOTATION,
  type AppPlan,
  type ClusterPlan,
  type PodPlan,
  type ScenarioPlan,
} from './plan.ts';

const SENTINEL = new Date(Date.UTC(2001, 0, 1, 0, 0, 0));
const SENTINEL_STAMP = rfc3339Micros(SENTINEL);

function withPlaceholder(line: string): string {
  return line.split(SENTINEL_STAMP).join(TIMESTAMP_PLACEHOLDER);
}

export function ztunnelTemplate(event: ZtunnelEvent, format: LogFormat): string {
  return withPlaceholder(ztunnelLogLine(event, format, SENTINEL));
}

export function istiodTemplate(event: IstiodEvent, format: LogFormat = 'text'): string {
  return withPlaceholder(istiodLogLine(event, format, SENTINEL));
}

export function workloadOf(cluster: ClusterPlan, app: AppPlan, pod: PodPlan): Workload {
  return {
    name: pod.name,
    namespace: pod.namespace,
    ip: pod.ip,
    identity: spiffeIdentity(cluster.spec.trustDomain, app.namespace, app.service),
  };
}

/** The client a ztunnel's lines are about: an app pod on its node, else any app pod of the cluster. */
export function clientOn(cluster: ClusterPlan, node: string | undefined): Workload {
  const candidates = cluster.apps.flatMap((app) => app.pods.map((pod) => ({ app, pod })));
  const pick = candidates.find((c) => c.pod.node.name === node) ?? candidates[0];
  if (pick) return workloadOf(cluster, pick.app, pick.pod);
  // A cluster without apps still has clients in a real incident; name one plainly.
  return {
    name: 'client',
    namespace: 'default',
    ip: `10.${10 + cluster.index}.0.250`,
    identity: spiffeIdentity(cluster.spec.trustDomain, 'default', 'default'),
  };
}

function findApp(plan: ScenarioPlan, ref: string): { namespace: string; service: string; port: number } {
  const [namespace, service] = ref.split('/') as [string, string];
  for (const cluster of plan.clusters) {
    const app = cluster.apps.find((a) => a.namespace === namespace && a.service === service);
    if (app) return app;
  }
  return { namespace, service, port: 8080 };
}

function viaEastWest(plan: ScenarioPlan, to: string, serviceRef: string): Destination {
  const peer = plan.byContext.get(to)!;
  const app = findApp(plan, serviceRef);
  const host = globalHost(app);
  const address = peer.eastWestAddress ?? peer.nodes[0]!.ip;
  return {
    addr: `${address}:15008`,
    hboneAddr: `${host}:${app.port}`,
    service: host,
    workload: networkGatewayWorkload(peer.spec.network, address, 15008),
    namespace: peer.spec.gatewayNamespace,
    identity: spiffeIdentity(peer.spec.trustDomain, peer.spec.gatewayNamespace, 'istio-eastwest'),
  };
}

/**
 * The trust domain ztunnel expects the peer's east-west gateway in: the one the remote Gateway's
 * annotation names when it is not the peer's real one (a wrong annotation), else our own (a peer
 * in another trust domain that ztunnel was not told to accept; istio/istio #58345, #61608).
 */
function expectedPeerTrustDomain(cluster: ClusterPlan, peer: ClusterPlan): string {
  const annotated = cluster.links.find((l) => l.to === peer)?.annotations.get(TRUST_DOMAIN_ANNOTATION);
  return annotated !== undefined && annotated !== peer.spec.trustDomain ? annotated : cluster.spec.trustDomain;
}

/** A ztunnel event for a scenario event, seen by the ztunnel on `node`. */
export function ztunnelEventFor(
  plan: ScenarioPlan,
  cluster: ClusterPlan,
  event: Exclude<LogEventSpec, { kind: 'text' | 'istiod' }>,
  node: string | undefined,
): ZtunnelEvent {
  const src = clientOn(cluster, node);
  switch (event.kind) {
    case 'hbone-timeout':
    case 'unknown-issuer':
    case 'bad-signature':
    case 'connection-refused':
    case 'policy-rejected':
      return { kind: event.kind, src, dst: viaEastWest(plan, event.to, event.service) };
    case 'san-mismatch': {
      const peer = plan.byContext.get(event.to)!;
      const ns = peer.spec.gatewayNamespace;
      return {
        kind: 'san-mismatch',
        src,
        dst: viaEastWest(plan, event.to, event.service),
        expected: [spiffeIdentity(expectedPeerTrustDomain(cluster, peer), ns, 'istio-eastwest')],
        got: [spiffeIdentity(peer.spec.trustDomain, ns, 'istio-eastwest')],
      };
    }
    case 'passthrough-240':
    case 'no-healthy-upstream': {
      const app = findApp(plan, event.service);
      return { kind: event.kind, src, vip: autoAllocatedVip(cluster, globalHost(app)), port: app.port };
    }
    case 'dns-failure':
      return { kind: 'dns-failure', src, host: globalHost(findApp(plan, event.service)) };
    case 'unknown-network-gateway': {
      const peer = plan.byContext.get(event.to)!;
      return { kind: 'unknown-network-gateway', src, network: peer.spec.network, gateway: peer.eastWestAddress ?? peer.nodes[0]!.ip };
    }
  }
}

export function istiodEventFor(plan: ScenarioPlan, cluster: ClusterPlan, event: Extract<LogEventSpec, { kind: 'istiod' }>): IstiodEvent {
  const peer = event.peer !== undefined ? plan.byContext.get(event.peer) : undefined;
  const peerCluster = peer?.spec.clusterId ?? 'unknown';
  // The address this cluster's remote Gateway dials, which a planted stale address makes differ from the peer's own.
  const dialled = cluster.links.find((l) => l.to === peer)?.dialledAddress;
  const peerAddress = `${dialled ?? peer?.eastWestAddress ?? peer?.nodes[0]?.ip ?? '0.0.0.0'}:15012`;
  switch (event.event) {
    case 'sync-complete':
      return {
        kind: 'peering-sync-complete',
        cluster: peerCluster,
        network: peer?.spec.network ?? '',
        mode: peer?.spec.network === cluster.spec.network ? 'flat' : 'gateway',
      };
    case 'disconnected-retrying':
      return {
        kind: 'peering-disconnected',
        cluster: peerCluster,
        cause: (event.detail as DisconnectCause | undefined) ?? 'dial-timeout',
        address: peerAddress,
      };
    case 'tls-unknown-authority':
      return { kind: 'peering-disconnected', cluster: peerCluster, cause: 'unknown-authority', address: peerAddress };
    case 'license-skipping-feature':
      return { kind: 'license-skipping-feature', reason: event.detail === 'non-enterprise' ? 'non-enterprise' : 'expired' };
    case 'license-grace-period':
      return { kind: 'license-expired-grace' };
    case 'network-label-missing':
      return { kind: 'network-label-missing', namespace: cluster.spec.istioNamespace };
    case 'select-workload-entries-incompatible':
      return { kind: 'peering-incompatible-select-workload-entries' };
  }
}
