// The node-level data plane: the ztunnel DaemonSet with one pod per node (env NETWORK,
// ISTIO_META_CLUSTER_ID, LOG_FORMAT, SKIP_VALIDATE_TRUST_DOMAIN, then the scenario's ztunnelEnv
// overrides), and istio-cni with its `istio-cni-config` ConfigMap (AMBIENT_ENABLED, AMBIENT_DNS_CAPTURE). Crash-looping ztunnels come from the breakage block.
import type { JsonObject, KubeObject } from '../../api/types.ts';
import { istioImage } from './images.ts';
import { object } from './objectMeta.ts';
import type { ClusterPlan } from './plan.ts';
import { buildPod, envList, type PodHealth } from './podObject.ts';
import { daemonSet } from './workloadObjects.ts';

/** Which ztunnel pods crash-loop (by node index), per the scenario. */
export function crashingZtunnelNodes(cluster: ClusterPlan): Set<number> {
  const crash = cluster.spec.breakage.ztunnelCrashLoop;
  if (!crash) return new Set();
  return new Set(crash.nodes.length > 0 ? crash.nodes : cluster.nodes.map((n) => n.index));
}

/** The literal env after the scenario's overrides: a variable set, replaced or (null) removed. */
function ztunnelEnvValues(base: [string, string][], overrides: ReadonlyMap<string, string | null>): Map<string, string> {
  const values = new Map(base);
  for (const [name, value] of overrides) {
    if (value === null) values.delete(name);
    else values.set(name, value);
  }
  return values;
}

function ztunnelEnv(cluster: ClusterPlan): JsonObject[] {
  const spec = cluster.spec;
  const values: [string, string][] = [
    ['CA_ADDRESS', `istiod.${spec.istioNamespace}.svc:15012`],
    ['XDS_ADDRESS', `istiod.${spec.istioNamespace}.svc:15012`],
    ['RUST_LOG', 'info'],
    ['RUST_BACKTRACE', '1'],
    ['ISTIO_META_CLUSTER_ID', spec.clusterId],
    ['INPOD_UDS', '/var/run/ztunnel/ztunnel.sock'],
    ['TERMINATION_GRACE_PERIOD_SECONDS', '30'],
    ['ISTIO_META_ENABLE_HBONE', 'true'],
    // The install guide sets it so peers in other trust domains are accepted (see istiod's PILOT_SKIP_VALIDATE_TRUST_DOMAIN).
    ['SKIP_VALIDATE_TRUST_DOMAIN', 'true'],
  ];
  if (cluster.networks.ztunnel !== undefined) values.push(['NETWORK', cluster.networks.ztunnel]);
  if (spec.logFormat === 'json') values.push(['LOG_FORMAT', 'json']);
  return envList(ztunnelEnvValues(values, spec.breakage.ztunnelEnv), [
    ['POD_NAME', 'metadata.name'],
    ['POD_NAMESPACE', 'metadata.namespace'],
    ['NODE_NAME', 'spec.nodeName'],
    ['INSTANCE_IP', 'status.podIP'],
    ['SERVICE_ACCOUNT', 'spec.serviceAccountName'],
  ]);
}

export function ztunnelObjects(cluster: ClusterPlan, now: Date): KubeObject[] {
  const spec = cluster.spec;
  const crashing = crashingZtunnelNodes(cluster);
  const podLabels = {
    app: 'ztunnel',
    'app.kubernetes.io/name': 'ztunnel',
    'sidecar.istio.io/inject': 'false',
    'istio.io/dataplane-mode': 'none',
  };
  const podAnnotations = { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' };
  const container = {
    name: 'istio-proxy',
    image: istioImage('ztunnel', spec.istioVersion),
    args: ['proxy', 'ztunnel'],
    env: ztunnelEnv(cluster),
    ports: [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }],
    readinessPort: 15021,
  };
  const ds = daemonSet({
    seed: cluster.seed,
    name: 'ztunnel',
    namespace: spec.ztunnelNamespace,
    labels: { app: 'ztunnel', 'app.kubernetes.io/name': 'ztunnel', 'istio.io/rev': 'default' },
    selector: { app: 'ztunnel' },
    podLabels,
    podAnnotations,
    serviceAccount: 'ztunnel',
    containers: [container],
    createdAt: cluster.installedAt,
    desired: cluster.ztunnelPods.length,
    ready: cluster.ztunnelPods.filter((p) => !crashing.has(p.node.index)).length,
  });
  const restarts = spec.breakage.ztunnelCrashLoop?.restarts ?? 0;
  const pods = cluster.ztunnelPods.map((plan) => {
    const health: PodHealth = crashing.has(plan.node.index)
      ? { state: 'crashloop', restarts, exitCode: 1, reason: 'Error', lastFinished: new Date(now.getTime() - 45_000) }
      : { state: 'running' };
    return buildPod({
      seed: cluster.seed,
      plan,
      labels: { ...podLabels, 'controller-revision-hash': '6d9c8f7b4d', 'pod-template-generation': '1' },
      annotations: podAnnotations,
      owner: ds,
      serviceAccount: 'ztunnel',
      containers: [container],
      priorityClassName: 'system-node-critical',
      startedAt: cluster.installedAt,
      health,
    });
  });
  return [ds, ...pods];
}

export function cniConfigData(cluster: ClusterPlan): Record<string, string> {
  const data = new Map<string, string>([
    ['CURRENT_AGENT_VERSION', cluster.spec.istioVersion],
    ['AMBIENT_ENABLED', 'true'],
    ['AMBIENT_DNS_CAPTURE', 'true'],
    ['AMBIENT_IPV6', 'true'],
    ['AMBIENT_RECONCILE_POD_RULES_ON_STARTUP', 'false'],
    ['CHAINED_CNI_PLUGIN', 'true'],
    ['EXCLUDE_NAMESPACES', 'kube-system'],
    ['REPAIR_ENABLED', 'true'],
    ['REPAIR_LABEL_PODS', 'false'],
    ['REPAIR_DELETE_PODS', 'false'],
    ['REPAIR_REPAIR_PODS', 'true'],
  ]);
  for (const [key, value] of cluster.spec.breakage.cniConfig) {
    if (value === null) data.delete(key);
    else data.set(key, value);
  }
  return Object.fromEntries(data);
}

export function cniObjects(cluster: ClusterPlan): KubeObject[] {
  const spec = cluster.spec;
  const podLabels = { 'k8s-app': 'istio-cni-node', 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none' };
  const container = {
    name: 'install-cni',
    image: istioImage('install-cni', spec.istioVersion),
    args: ['--log_output_level=info'],
    env: envList(
      [],
      [
        ['REPAIR_NODE_NAME', 'spec.nodeName'],
        ['POD_NAME', 'metadata.name'],
        ['POD_NAMESPACE', 'metadata.namespace'],
      ],
    ),
    readinessPort: 8000,
  };
  const ds = daemonSet({
    seed: cluster.seed,
    name: 'istio-cni-node',
    namespace: spec.cniNamespace,
    labels: { 'k8s-app': 'istio-cni-node', 'istio.io/rev': 'default' },
    selector: { 'k8s-app': 'istio-cni-node' },
    podLabels,
    serviceAccount: 'istio-cni',
    containers: [container],
    createdAt: cluster.installedAt,
    desired: cluster.cniPods.length,
    ready: cluster.cniPods.length,
    hostNetwork: true,
  });
  const pods = cluster.cniPods.map((plan) =>
    buildPod({
      seed: cluster.seed,
      plan,
      labels: { ...podLabels, 'controller-revision-hash': '7c5f9d8b6c', 'pod-template-generation': '1' },
      owner: ds,
      serviceAccount: 'istio-cni',
      containers: [container],
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      startedAt: cluster.installedAt,
      health: { state: 'running' },
    }),
  );
  const configMap = object(
    cluster.seed,
    'v1',
    'ConfigMap',
    {
      name: 'istio-cni-config',
      namespace: spec.cniNamespace,
      labels: { 'app.kubernetes.io/name': 'istio-cni', 'istio.io/rev': 'default' },
      createdAt: cluster.installedAt,
    },
    { data: cniConfigData(cluster) },
  );
  return [ds, ...pods, configMap];
}
