// Namespaces and Nodes: the ground every other object stands on. The istio namespace carries
// the cluster's network label (the one Istio actually reads), app namespaces are enrolled in
// ambient, nodes carry the region/zone labels the east-west gateway's locality comes from.
import type { KubeObject } from '../../api/types.ts';
import { object, rfc3339 } from './objectMeta.ts';
import type { ClusterPlan } from './plan.ts';

function namespace(cluster: ClusterPlan, name: string, labels: Record<string, string>): KubeObject {
  return object(
    cluster.seed,
    'v1',
    'Namespace',
    { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, createdAt: cluster.installedAt },
    { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
  );
}

export function namespaces(cluster: ClusterPlan): KubeObject[] {
  const spec = cluster.spec;
  const labelsByName = new Map<string, Record<string, string>>();
  const add = (name: string, labels: Record<string, string> = {}): void => {
    labelsByName.set(name, { ...(labelsByName.get(name) ?? {}), ...labels });
  };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) add(name);
  const istioLabels: Record<string, string> = {};
  if (cluster.networks.istioNamespace !== undefined) istioLabels['topology.istio.io/network'] = cluster.networks.istioNamespace;
  if (spec.segment !== undefined) istioLabels['admin.solo.io/segment'] = spec.segment;
  add(spec.istioNamespace, istioLabels);
  add(spec.ztunnelNamespace);
  add(spec.cniNamespace);
  add(spec.gatewayNamespace);
  for (const name of spec.appNamespaces) add(name, { 'istio.io/dataplane-mode': 'ambient' });
  for (const app of cluster.apps) {
    add(app.namespace, {
      'istio.io/dataplane-mode': 'ambient',
      ...(app.labelOn === 'namespace' ? { 'solo.io/service-scope': app.scope } : {}),
    });
  }
  return [...labelsByName].map(([name, labels]) => namespace(cluster, name, labels));
}

export function nodes(cluster: ClusterPlan, kubeletVersion = 'v1.31.4'): KubeObject[] {
  const at = rfc3339(cluster.installedAt);
  return cluster.nodes.map((node) =>
    object(
      cluster.seed,
      'v1',
      'Node',
      {
        name: node.name,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': node.name,
          'kubernetes.io/os': 'linux',
          'topology.kubernetes.io/region': cluster.spec.region,
          'topology.kubernetes.io/zone': node.zone,
          ...(node.index === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
        createdAt: cluster.installedAt,
      },
      {
        spec: {
          podCIDR: `10.${10 + cluster.index}.${node.index}.0/24`,
          podCIDRs: [`10.${10 + cluster.index}.${node.index}.0/24`],
          providerID: `kind://docker/${cluster.spec.clusterId}/${node.name}`,
        },
        status: {
          addresses: [
            { type: 'InternalIP', address: node.ip },
            { type: 'Hostname', address: node.name },
          ],
          allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '16273396Ki', pods: '110' },
          capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '16273396Ki', pods: '110' },
          conditions: [
            ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
            ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
            ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
            ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
          ].map(([type, status, reason, message]) => ({ type, status, reason, message, lastHeartbeatTime: at, lastTransitionTime: at })),
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            architecture: 'amd64',
            bootID: '',
            containerRuntimeVersion: 'containerd://1.7.24',
            kernelVersion: '6.8.0-49-generic',
            kubeProxyVersion: kubeletVersion,
            kubeletVersion,
            machineID: '',
            operatingSystem: 'linux',
            osImage: 'Debian GNU/Linux 12 (bookworm)',
            systemUUID: '',
          },
        },
      },
    ),
  );
}
