// xDS type URLs istiod serves and the short names `istioctl proxy-status` prints for them
// (reference §1.6: upstream pkg/model/xds.go GetShortType, plus Solo's FSDS/SGDS).

export const TYPE_URL = {
  CDS: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  LDS: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  EDS: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  RDS: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  SDS: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  ECDS: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig',
  NDS: 'type.googleapis.com/istio.networking.nds.v1.NameTable',
  PCDS: 'type.googleapis.com/istio.mesh.v1alpha1.ProxyConfig',
  /** What ztunnel subscribes to for workloads and services. */
  WDS_ADDRESS: 'type.googleapis.com/istio.workload.Address',
  /** What a Solo peering client subscribes to (flat networks). */
  WDS_WORKLOAD: 'type.googleapis.com/istio.workload.Workload',
  WADS: 'type.googleapis.com/istio.security.Authorization',
  FSDS: 'type.googleapis.com/istio.workload.FederatedService',
  SGDS: 'type.googleapis.com/istio.workload.Segment',
} as const;

/** The pseudo type istioctl asks istiod for over XDS, and the resource type inside the answer. */
export const SYNCZ_TYPE_URL = 'istio.io/debug/syncz';
export const CLIENT_CONFIG_TYPE_URL = 'type.googleapis.com/envoy.service.status.v3.ClientConfig';

const SHORT_NAMES: Record<string, string> = {
  [TYPE_URL.CDS]: 'CDS',
  [TYPE_URL.LDS]: 'LDS',
  [TYPE_URL.EDS]: 'EDS',
  [TYPE_URL.RDS]: 'RDS',
  [TYPE_URL.SDS]: 'SDS',
  [TYPE_URL.ECDS]: 'ECDS',
  [TYPE_URL.NDS]: 'NDS',
  [TYPE_URL.PCDS]: 'PCDS',
  [TYPE_URL.WDS_ADDRESS]: 'WDS',
  [TYPE_URL.WDS_WORKLOAD]: 'WDS',
  [TYPE_URL.WADS]: 'WADS',
  [TYPE_URL.FSDS]: 'FSDS',
  [TYPE_URL.SGDS]: 'SGDS',
};

/** GetShortType: the abbreviation, or the full type URL for anything unknown (as istioctl prints it). */
export function xdsShortType(typeUrl: string): string {
  return SHORT_NAMES[typeUrl] ?? typeUrl;
}
