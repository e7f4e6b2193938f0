// The store's names for what the console watches, in one place. A ResourceId is named like
// kubectl names the resource (`pods`, `gateways.gateway.networking.k8s.io`), with `#<role>` when
// one resource is watched more than once with different selectors (`pods#eastwest`): Kubernetes
// ANDs the terms of a label selector, so pods with different label keys need separate watches.
// The part before `#` is the resource, which is what statuses and RBAC messages name.
import type { ResourceId } from './types.ts';

export const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

export const NAMESPACES = 'namespaces';
export const ISTIOD_ZTUNNEL_PODS = 'pods#istiod-ztunnel';
export const EASTWEST_PODS = 'pods#eastwest';
export const ISTIO_CNI_PODS = 'pods#istio-cni';
export const GATEWAYS = 'gateways.gateway.networking.k8s.io';
export const EASTWEST_SERVICES = 'services#eastwest';
export const GLOBAL_SERVICES = 'services#global';
export const WORKLOAD_ENTRIES = 'workloadentries.networking.istio.io';
export const SERVICE_ENTRIES = 'serviceentries.networking.istio.io';
export const SEGMENTS = 'segments.admin.solo.io';
export const ISTIOD_DEPLOYMENTS = 'deployments.apps#istiod';
export const DAEMONSETS = 'daemonsets.apps';
export const ROOT_CERT_CONFIGMAPS = 'configmaps#istio-ca-root-cert';
export const CNI_CONFIGMAPS = 'configmaps#istio-cni-config';
export const CACERTS_SECRETS = 'secrets#cacerts';
export const LICENSE_SECRETS = 'secrets#license';

/** `pods#eastwest` → `pods`: the resource as kubectl and RBAC name it. */
export function resourceName(id: ResourceId): string {
  const hash = id.indexOf('#');
  return hash === -1 ? id : id.slice(0, hash);
}

/** `gateways.gateway.networking.k8s.io` → `gateways`: the short plural for "… not installed". */
export function pluralOf(id: ResourceId): string {
  const name = resourceName(id);
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}
