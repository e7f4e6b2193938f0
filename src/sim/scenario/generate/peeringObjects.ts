// What istiod's peering controller writes into the istio namespace: a ServiceEntry
// `autogen.<ns>.<svc>` per global service (local or learnt from a peer) with an auto-allocated
// 240.240.x.y VIP, and WorkloadEntries for the peers' endpoints — `autogen.<cluster>.<ns>.<svc>`
// behind a peer's east-west gateway, or one `autogenflat.…` per peer pod on a flat network.
import type { KubeObject } from '../../api/types.ts';
import { autogenflatName, peeredPodUid, sourceWorkloadLabel } from '../../../mesh/autogenflat.ts';
import type { StaleAutogenflatSpec } from '../spec.ts';
import { nodePortPeeringObjects } from './nodePortPeering.ts';
import { object } from './objectMeta.ts';
import { autoAllocatedVip, globalHost, type AppPlan, type ClusterPlan, type LinkPlan, type PodPlan, type ScenarioPlan } from './plan.ts';

const ISTIO_NETWORKING = 'networking.istio.io/v1';

function parentLabels(app: { service: string; namespace: string }): Record<string, string> {
  return { 'solo.io/parent-service': app.service, 'solo.io/parent-service-namespace': app.namespace };
}

function serviceEntryName(cluster: ClusterPlan, app: { service: string; namespace: string }): string {
  return cluster.spec.segment !== undefined
    ? `autogen.${cluster.spec.segment}.${app.namespace}.${app.service}`
    : `autogen.${app.namespace}.${app.service}`;
}

export function serviceEntry(cluster: ClusterPlan, app: AppPlan): KubeObject {
  const host = globalHost(app);
  return object(
    cluster.seed,
    ISTIO_NETWORKING,
    'ServiceEntry',
    {
      name: serviceEntryName(cluster, app),
      namespace: cluster.spec.istioNamespace,
      labels: { ...parentLabels(app), 'solo.io/service-scope': app.scope },
      annotations: { 'solo.io/service-protocols': `${app.port}:HTTP`, 'networking.istio.io/traffic-distribution': 'PreferNetwork' },
      createdAt: cluster.installedAt,
    },
    {
      spec: {
        hosts: [host],
        ports: [{ name: `port-${app.port}`, number: app.port, protocol: 'HTTP', targetPort: app.targetPort }],
        location: 'MESH_INTERNAL',
        resolution: 'STATIC',
        workloadSelector: { labels: parentLabels(app) },
      },
      status: { addresses: [{ value: autoAllocatedVip(cluster, host), host }] },
    },
  );
}

function gatewayWorkloadEntry(link: LinkPlan, app: AppPlan): KubeObject {
  const { from, to } = link;
  return object(
    from.seed,
    ISTIO_NETWORKING,
    'WorkloadEntry',
    {
      name: `autogen.${to.spec.clusterId}.${app.namespace}.${app.service}`,
      namespace: from.spec.istioNamespace,
      labels: {
        ...parentLabels(app),
        'solo.io/service-scope': app.scope,
        'solo.io/source-cluster': to.spec.clusterId,
        'networking.istio.io/tunnel': 'http',
        ...(to.spec.segment !== undefined ? { 'admin.solo.io/segment': to.spec.segment } : {}),
      },
      annotations: {
        'ambient.istio.io/redirection': 'enabled',
        'networking.istio.io/traffic-distribution': 'PreferNetwork',
        'solo.io/service-protocols': `${app.port}:HTTP`,
        'solo.io/subject-alt-names': `spiffe://${to.spec.trustDomain}/ns/${app.namespace}/sa/${app.service}`,
        ...(app.pods.length === 0 ? { 'solo.io/endpoint-status': 'unheathy' } : {}),
      },
      createdAt: from.installedAt,
    },
    {
      spec: {
        network: link.networkLabel ?? to.spec.network,
        ports: { [`port-${app.port}`]: app.targetPort },
        weight: app.pods.length,
        locality: to.spec.region,
      },
    },
  );
}

interface FlatSource {
  sourceCluster: string;
  namespace: string;
  pod: string;
  service: string;
  port: number;
  targetPort: number;
  address: string;
  locality: string;
}

export function flatWorkloadEntry(local: ClusterPlan, source: FlatSource): KubeObject {
  return object(
    local.seed,
    ISTIO_NETWORKING,
    'WorkloadEntry',
    {
      name: autogenflatName(source.sourceCluster, source.namespace, source.pod, [`${source.namespace}/${source.service}`]),
      namespace: local.spec.istioNamespace,
      labels: {
        app: source.service,
        ...parentLabels({ service: source.service, namespace: source.namespace }),
        'solo.io/source-workload': sourceWorkloadLabel(source.sourceCluster, source.namespace, source.pod),
        'solo.io/source-cluster': source.sourceCluster,
        'networking.istio.io/tunnel': 'http',
        'service.istio.io/workload-name': source.service,
      },
      annotations: {
        'solo.io/peered-workload-uid': peeredPodUid(source.sourceCluster, source.namespace, source.pod),
        'ambient.istio.io/redirection': 'enabled',
      },
      createdAt: local.installedAt,
    },
    {
      spec: {
        address: source.address,
        network: local.spec.network,
        ports: { [`port-${source.port}`]: source.targetPort },
        weight: 1,
        locality: source.locality,
        serviceAccount: source.service,
      },
    },
  );
}

function flatSourceOf(to: ClusterPlan, app: AppPlan, pod: PodPlan): FlatSource {
  return {
    sourceCluster: to.spec.clusterId,
    namespace: app.namespace,
    pod: pod.name,
    service: app.service,
    port: app.port,
    targetPort: app.targetPort,
    address: pod.ip,
    locality: `${to.spec.region}/${pod.node.zone}`,
  };
}

function staleSource(plan: ScenarioPlan, stale: StaleAutogenflatSpec): FlatSource {
  const from = stale.from !== undefined ? plan.byContext.get(stale.from) : undefined;
  const app = from?.apps.find((a) => a.namespace === stale.namespace && a.service === stale.service);
  return {
    sourceCluster: from?.spec.clusterId ?? stale.fromCluster ?? '',
    namespace: stale.namespace,
    pod: stale.pod,
    service: stale.service,
    port: app?.port ?? 8080,
    targetPort: app?.targetPort ?? 8080,
    address: stale.address,
    locality: from !== undefined ? `${from.spec.region}/${from.nodes[0]?.zone ?? ''}` : '',
  };
}

/** The names of the stale `autogenflat.…` entries the breakage plants in `cluster`. */
export function staleWorkloadEntryNames(plan: ScenarioPlan, cluster: ClusterPlan): string[] {
  if (!cluster.peeringActive) return [];
  return cluster.spec.breakage.staleAutogenflat.map((stale) => flatWorkloadEntry(cluster, staleSource(plan, stale)).metadata.name);
}

export function peeringObjects(plan: ScenarioPlan, cluster: ClusterPlan): KubeObject[] {
  if (!cluster.peeringActive) return [];
  const services = new Map<string, AppPlan>();
  for (const app of cluster.apps) services.set(`${app.namespace}/${app.service}`, app);
  const entries: KubeObject[] = [];
  for (const link of cluster.links.filter((l) => l.peered)) {
    for (const app of link.to.apps) {
      const key = `${app.namespace}/${app.service}`;
      if (!services.has(key)) services.set(key, app);
      if (link.flat) entries.push(...app.pods.map((pod) => flatWorkloadEntry(cluster, flatSourceOf(link.to, app, pod))));
      else entries.push(gatewayWorkloadEntry(link, app));
    }
    entries.push(...nodePortPeeringObjects(link));
  }
  for (const stale of cluster.spec.breakage.staleAutogenflat) entries.push(flatWorkloadEntry(cluster, staleSource(plan, stale)));
  return [...[...services.values()].map((app) => serviceEntry(cluster, app)), ...entries];
}
