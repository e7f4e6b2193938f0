// The environment variables that decide how istiod and ztunnel join the mesh: what a pod's
// detail shows of its containers' environment, and all the store keeps of it.
export const MESH_ENV: readonly string[] = [
  'NETWORK',
  'CLUSTER_ID',
  'TRUST_DOMAIN',
  'ISTIO_META_NETWORK',
  'ISTIO_META_CLUSTER_ID',
  'ENABLE_PEERING_DISCOVERY',
  'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES',
  'K8S_SELECT_WORKLOAD_ENTRIES',
  'PILOT_SKIP_VALIDATE_TRUST_DOMAIN',
  'ISTIO_VERSION',
];
