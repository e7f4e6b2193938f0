// xDS type URL ↔ the short names istioctl prints (CDS, WDS, FSDS…).
// Upstream istioctl's table plus Solo's peering types; anything unknown is shown as its
// full type URL, exactly like istioctl does, so an unfamiliar type is never hidden.

const PREFIX = 'type.googleapis.com/';

export const TYPE_URLS = {
  CDS: `${PREFIX}envoy.config.cluster.v3.Cluster`,
  LDS: `${PREFIX}envoy.config.listener.v3.Listener`,
  EDS: `${PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`,
  RDS: `${PREFIX}envoy.config.route.v3.RouteConfiguration`,
  SDS: `${PREFIX}envoy.extensions.transport_sockets.tls.v3.Secret`,
  ECDS: `${PREFIX}envoy.config.core.v3.TypedExtensionConfig`,
  NDS: `${PREFIX}istio.networking.nds.v1.NameTable`,
  PCDS: `${PREFIX}istio.mesh.v1alpha1.ProxyConfig`,
  /** ztunnel subscribes to Address… */
  WDS_ADDRESS: `${PREFIX}istio.workload.Address`,
  /** …Solo's peering client to Workload; both print as WDS. */
  WDS_WORKLOAD: `${PREFIX}istio.workload.Workload`,
  WADS: `${PREFIX}istio.security.Authorization`,
  /** Solo: services a peer cluster exports. */
  FSDS: `${PREFIX}istio.workload.FederatedService`,
  /** Solo: the peer's segment. */
  SGDS: `${PREFIX}istio.workload.Segment`,
} as const;

const SHORT_BY_URL: ReadonlyMap<string, string> = new Map([
  [TYPE_URLS.CDS, 'CDS'],
  [TYPE_URLS.LDS, 'LDS'],
  [TYPE_URLS.EDS, 'EDS'],
  [TYPE_URLS.RDS, 'RDS'],
  [TYPE_URLS.SDS, 'SDS'],
  [TYPE_URLS.ECDS, 'ECDS'],
  [TYPE_URLS.NDS, 'NDS'],
  [TYPE_URLS.PCDS, 'PCDS'],
  [TYPE_URLS.WDS_ADDRESS, 'WDS'],
  [TYPE_URLS.WDS_WORKLOAD, 'WDS'],
  [TYPE_URLS.WADS, 'WADS'],
  [TYPE_URLS.FSDS, 'FSDS'],
  [TYPE_URLS.SGDS, 'SGDS'],
]);

/** istioctl's GetShortType: the abbreviation, or the full type URL when there is none. */
export function shortTypeName(typeUrl: string): string {
  return SHORT_BY_URL.get(typeUrl) ?? typeUrl;
}

/**
 * Type URLs for a short name. WDS has two (ztunnel's Address and the peering client's
 * Workload), so this returns a list; an unknown name gives an empty list.
 */
export function typeUrlsForShortName(short: string): string[] {
  const wanted = short.toUpperCase();
  const urls: string[] = [];
  for (const [url, name] of SHORT_BY_URL) if (name === wanted) urls.push(url);
  return urls;
}

/** The four Envoy types istioctl always lists first, in this order. */
export const LEADING_TYPE_URLS: readonly string[] = [TYPE_URLS.CDS, TYPE_URLS.LDS, TYPE_URLS.EDS, TYPE_URLS.RDS];

/** Types only Solo's distribution serves; their presence in syncz means a peered istiod. */
export function isSoloPeeringType(typeUrl: string): boolean {
  return typeUrl === TYPE_URLS.FSDS || typeUrl === TYPE_URLS.SGDS;
}
