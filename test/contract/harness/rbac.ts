// The restricted user of the contract clusters: may read what the console reads, but lacks
// pods/log and pods/portforward, so tests can see the real apiserver's 403 for those.
import { kubeCall, type ApiEndpoint } from './kubeRequest.ts';

export const RESTRICTED_ROLE = 'mesh-tui-restricted';

const READ = ['get', 'list', 'watch'];

export const restrictedRules = [
  {
    apiGroups: [''],
    resources: ['pods', 'services', 'endpoints', 'namespaces', 'nodes', 'configmaps', 'events', 'serviceaccounts'],
    verbs: READ,
  },
  { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['gateway.networking.k8s.io', 'networking.istio.io', 'security.istio.io', 'admin.solo.io'], resources: ['*'], verbs: READ },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
];

export async function grantRestrictedRole(endpoint: ApiEndpoint, adminToken: string, userName: string): Promise<void> {
  await kubeCall(endpoint, adminToken, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: RESTRICTED_ROLE },
    rules: restrictedRules,
  });
  await kubeCall(endpoint, adminToken, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: RESTRICTED_ROLE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: RESTRICTED_ROLE },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: userName }],
  });
}
