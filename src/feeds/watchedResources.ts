// What the console watches in every context, and under which store key. Each watch is its own
// long-lived HTTP connection (reference/measured.md: ~130–220 KB each, times every context), so
// the list is as short as correctness allows:
// - label- and field-selected watches wherever the apiserver can filter (pods of the mesh
//   components instead of all pods, one ConfigMap or Secret by name);
// - one broad watch filtered here where the collection is small anyway (Gateways, to keep the
//   istio-eastwest and istio-remote classes; DaemonSets, to keep ztunnel and istio-cni wherever
//   they run) instead of a watch per label;
// - ztunnel, istio-cni and the east-west gateway run in different namespaces on different
//   platforms (kube-system on GKE), so their pods are watched cluster-wide by label.
// The store keys (ResourceIds) are named in src/store/resourceIds.ts, the one place they are spelled.
import type { WatchTarget, WatchedObject } from '../kube/watchLoop.ts';
import {
  CACERTS_SECRETS,
  CNI_CONFIGMAPS,
  DAEMONSETS,
  DEFAULT_ISTIO_NAMESPACE,
  EASTWEST_PODS,
  EASTWEST_SERVICES,
  GATEWAYS,
  GLOBAL_SERVICES,
  ISTIO_CNI_PODS,
  ISTIOD_DEPLOYMENTS,
  ISTIOD_ZTUNNEL_PODS,
  LICENSE_SECRETS,
  NAMESPACES,
  ROOT_CERT_CONFIGMAPS,
  SEGMENTS,
  SERVICE_ENTRIES,
  WORKLOAD_ENTRIES,
} from '../store/resourceIds.ts';
import { LICENSE_CLAIMS_FIELD, LICENSE_DATA_KEYS } from '../store/licenseClaims.ts';

export interface WatchedResource {
  /** Store key (ResourceId): `pods#istiod-ztunnel`, `gateways.gateway.networking.k8s.io`. */
  id: string;
  target: WatchTarget;
  /** Served by a CRD: a 404 means "not installed" rather than an error. */
  custom: boolean;
  /**
   * Objects the apiserver cannot filter out for us: those failing this are kept out of the
   * store (and removed when a change makes them stop matching).
   */
  keep?: (object: WatchedObject) => boolean;
}

export interface WatchedResourceOptions {
  /** Where istiod, its WorkloadEntries, ServiceEntries, Segments and cacerts live. */
  istioNamespace?: string;
}

/** The GatewayClasses of Solo peering: the local east-west gateway and one per linked peer. */
export const PEERING_GATEWAY_CLASSES: readonly string[] = ['istio-eastwest', 'istio-remote'];

const ZTUNNEL_LABELS: Readonly<Record<string, string>> = { app: 'ztunnel', 'app.kubernetes.io/name': 'ztunnel' };
const CNI_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'istio-cni-node' };

function holdsLicenseKey(secret: WatchedObject): boolean {
  if (LICENSE_CLAIMS_FIELD in secret) return true;
  const data = secret['data'];
  return typeof data === 'object' && data !== null && LICENSE_DATA_KEYS.some((key) => key in data);
}

function hasAnyLabel(object: WatchedObject, wanted: Readonly<Record<string, string>>): boolean {
  const labels = object.metadata.labels ?? {};
  return Object.entries(wanted).some(([key, value]) => labels[key] === value);
}

function gatewayClassOf(object: WatchedObject): unknown {
  const spec = object['spec'];
  return typeof spec === 'object' && spec !== null ? (spec as { gatewayClassName?: unknown }).gatewayClassName : undefined;
}

export function watchedResources(options: WatchedResourceOptions = {}): WatchedResource[] {
  const ns = options.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE;
  const core = (path: string, kind: string): Pick<WatchTarget, 'path' | 'apiVersion' | 'kind'> => ({
    path: `/api/v1${path}`,
    apiVersion: 'v1',
    kind,
  });
  return [
    // Namespace labels: topology.istio.io/network, dataplane mode, service scope, segment.
    { id: NAMESPACES, custom: false, target: core('/namespaces', 'Namespace') },
    { id: ISTIOD_ZTUNNEL_PODS, custom: false, target: { ...core('/pods', 'Pod'), labelSelector: 'app in (istiod,ztunnel)' } },
    {
      id: EASTWEST_PODS,
      custom: false,
      target: { ...core('/pods', 'Pod'), labelSelector: 'service.istio.io/canonical-name=istio-eastwest' },
    },
    { id: ISTIO_CNI_PODS, custom: false, target: { ...core('/pods', 'Pod'), labelSelector: 'k8s-app=istio-cni-node' } },
    {
      id: GATEWAYS,
      custom: true,
      target: { path: '/apis/gateway.networking.k8s.io/v1/gateways', apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' },
      keep: (gateway) => PEERING_GATEWAY_CLASSES.includes(String(gatewayClassOf(gateway))),
    },
    // The east-west gateway's Service: its address is what peers dial, its label what istioctl looks for.
    { id: EASTWEST_SERVICES, custom: false, target: { ...core('/services', 'Service'), labelSelector: 'istio.io/expose-istiod' } },
    { id: GLOBAL_SERVICES, custom: false, target: { ...core('/services', 'Service'), labelSelector: 'solo.io/service-scope' } },
    {
      id: WORKLOAD_ENTRIES,
      custom: true,
      target: {
        path: `/apis/networking.istio.io/v1/namespaces/${ns}/workloadentries`,
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
      },
    },
    {
      id: SERVICE_ENTRIES,
      custom: true,
      target: {
        path: `/apis/networking.istio.io/v1/namespaces/${ns}/serviceentries`,
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
      },
    },
    {
      id: SEGMENTS,
      custom: true,
      target: { path: `/apis/admin.solo.io/v1alpha1/namespaces/${ns}/segments`, apiVersion: 'admin.solo.io/v1alpha1', kind: 'Segment' },
    },
    {
      id: ISTIOD_DEPLOYMENTS,
      custom: false,
      target: {
        path: `/apis/apps/v1/namespaces/${ns}/deployments`,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        labelSelector: 'app=istiod',
      },
    },
    {
      id: DAEMONSETS,
      custom: false,
      target: { path: '/apis/apps/v1/daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet' },
      keep: (daemonSet) => hasAnyLabel(daemonSet, ZTUNNEL_LABELS) || hasAnyLabel(daemonSet, CNI_LABELS),
    },
    {
      id: ROOT_CERT_CONFIGMAPS,
      custom: false,
      target: { ...core(`/namespaces/${ns}/configmaps`, 'ConfigMap'), fieldSelector: 'metadata.name=istio-ca-root-cert' },
    },
    // Lives with istio-cni, which may not be in the istio namespace.
    { id: CNI_CONFIGMAPS, custom: false, target: { ...core('/configmaps', 'ConfigMap'), fieldSelector: 'metadata.name=istio-cni-config' } },
    // ca-key.pem never reaches the store: the feed and the store's sanitizer both drop it.
    {
      id: CACERTS_SECRETS,
      custom: false,
      target: { ...core(`/namespaces/${ns}/secrets`, 'Secret'), fieldSelector: 'metadata.name=cacerts' },
    },
    // The licence Secret's name is the installer's choice (Helm license.secretRef), so Opaque
    // Secrets are watched and only those holding a licence key kept; type=Opaque leaves out Helm
    // release blobs and service-account tokens. Only the key's claims reach the store.
    {
      id: LICENSE_SECRETS,
      custom: false,
      target: { ...core(`/namespaces/${ns}/secrets`, 'Secret'), fieldSelector: 'type=Opaque' },
      keep: holdsLicenseKey,
    },
  ];
}
