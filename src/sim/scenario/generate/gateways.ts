// Gateway API objects of a peered cluster: the two Solo GatewayClasses, the east-west Gateway
// (with its Service, Deployment and pods) and one istio-remote Gateway per peer this cluster
// links to, carrying the Solo peering conditions from the plan.
import type { JsonObject, KubeObject } from '../../api/types.ts';
import { crashingEastWestReplicas, replicaHealth } from './crashLoops.ts';
import { istioImage } from './images.ts';
import { object, ownerReference, rfc3339 } from './objectMeta.ts';
import { podTemplateHash, replicaSetName } from './names.ts';
import type { ClusterPlan, LinkPlan } from './plan.ts';
import { buildPod, envList } from './podObject.ts';
import { deployment, service } from './workloadObjects.ts';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const EAST_WEST = 'istio-eastwest';

const LISTENERS: JsonObject[] = [
  { name: 'cross-network', port: 15008, protocol: 'HBONE', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } },
  { name: 'xds-tls', port: 15012, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } },
];

/** An address that is not an IPv4 or IPv6 literal is a DNS name (Gateway address type `Hostname`). */
function isHostname(address: string): boolean {
  return !/^[\d.]+$|:/.test(address);
}

function gatewayCondition(type: string, status: string, reason: string, message: string, at: Date): JsonObject {
  return { type, status, reason, message, observedGeneration: 1, lastTransitionTime: rfc3339(at) };
}

export function gatewayClasses(cluster: ClusterPlan): KubeObject[] {
  const at = cluster.installedAt;
  const make = (name: string, controllerName: string, description: string): KubeObject =>
    object(
      cluster.seed,
      GATEWAY_API,
      'GatewayClass',
      { name, createdAt: at },
      {
        spec: { controllerName, description },
        status: { conditions: [gatewayCondition('Accepted', 'True', 'Accepted', 'Handled by Istio controller', at)] },
      },
    );
  return [
    make('istio-eastwest', 'istio.io/gateway-controller', 'The default Istio east-west gateway for ambient multicluster peering'),
    make('istio-remote', 'istio.io/unmanaged-gateway', 'Remote to this cluster. Does not deploy or affect configuration.'),
  ];
}

export function eastWestObjects(cluster: ClusterPlan, now: Date = new Date()): KubeObject[] {
  const crashing = crashingEastWestReplicas(cluster);
  const spec = cluster.spec;
  const ns = spec.gatewayNamespace;
  const at = cluster.installedAt;
  const fqdn = `${EAST_WEST}.${ns}.svc.cluster.local`;
  const nodePort = spec.eastWest.addressType === 'NodePort';
  const labels: Record<string, string> = {
    'topology.istio.io/cluster': spec.clusterId,
    'istio.io/expose-istiod': '15012',
    'topology.kubernetes.io/region': spec.region,
  };
  if (cluster.networks.eastWestGateway !== undefined) labels['topology.istio.io/network'] = cluster.networks.eastWestGateway;
  const assigned = `Assigned to service(s) ${fqdn}:15008, ${fqdn}:15012`;
  const address = cluster.eastWestAddress;
  // A cloud load balancer hands out a DNS name, not an IP: the Service and the Gateway say so.
  const addressKind = address !== undefined && isHostname(address) ? 'Hostname' : 'IPAddress';
  // Solo's NodePort recipe: xDS keeps the LoadBalancer address, data-plane traffic goes to node ports.
  const dataPlaneAnnotation = nodePort ? 'nodeport' : spec.eastWest.dataPlane === 'NodePort' ? 'NodePort' : undefined;
  const gateway = object(
    cluster.seed,
    GATEWAY_API,
    'Gateway',
    {
      name: EAST_WEST,
      namespace: ns,
      labels,
      ...(dataPlaneAnnotation !== undefined ? { annotations: { 'peering.solo.io/data-plane-service-type': dataPlaneAnnotation } } : {}),
      createdAt: at,
    },
    {
      spec: { gatewayClassName: 'istio-eastwest', listeners: LISTENERS },
      status: {
        ...(address !== undefined ? { addresses: [{ type: addressKind, value: address }] } : {}),
        conditions: [
          gatewayCondition('Accepted', 'True', 'Accepted', 'Resource accepted', at),
          address !== undefined
            ? gatewayCondition(
                'Programmed',
                'True',
                'Programmed',
                `Resource programmed, assigned to service(s) ${fqdn}:15008, ${fqdn}:15012`,
                at,
              )
            : gatewayCondition(
                'Programmed',
                'False',
                'AddressNotAssigned',
                `${assigned}, but failed to assign to all requested addresses: address pending for hostname "${fqdn}"`,
                at,
              ),
        ],
        listeners: LISTENERS.map((l) => ({
          name: l.name,
          attachedRoutes: 0,
          supportedKinds: [],
          conditions: [
            gatewayCondition('Accepted', 'True', 'Accepted', 'No errors found', at),
            gatewayCondition('Programmed', 'True', 'Programmed', 'No errors found', at),
            gatewayCondition('ResolvedRefs', 'True', 'ResolvedRefs', 'No errors found', at),
          ],
        })),
      },
    },
  );
  const svcLabels = {
    ...labels,
    'gateway.networking.k8s.io/gateway-name': EAST_WEST,
    'gateway.istio.io/managed': 'istio.io-gateway-controller',
  };
  const clusterIp = `10.${96 + cluster.index}.0.30`;
  const ports = [
    { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021, ...(nodePort ? { nodePort: 31021 } : {}) },
    { name: 'tls-hbone', port: 15008, protocol: 'TCP', targetPort: 15008, ...(nodePort ? { nodePort: 31008 } : {}) },
    { name: 'tls-xds', port: 15012, protocol: 'TCP', targetPort: 15012, ...(nodePort ? { nodePort: 31012 } : {}) },
  ];
  const svc = service(
    cluster.seed,
    { name: EAST_WEST, namespace: ns, labels: svcLabels, createdAt: at },
    {
      type: nodePort ? 'NodePort' : 'LoadBalancer',
      clusterIP: clusterIp,
      clusterIPs: [clusterIp],
      externalTrafficPolicy: 'Cluster',
      ...(nodePort ? {} : { allocateLoadBalancerNodePorts: true }),
      selector: { 'gateway.networking.k8s.io/gateway-name': EAST_WEST },
      ports: nodePort ? ports : ports.map((p, i) => ({ ...p, nodePort: 30000 + ((cluster.index * 100 + i * 7) % 2700) })),
    },
    {
      loadBalancer:
        !nodePort && address !== undefined
          ? { ingress: [addressKind === 'Hostname' ? { hostname: address } : { ip: address, ipMode: 'VIP' }] }
          : {},
    },
  );
  svc.metadata.ownerReferences = [ownerReference(gateway)];
  const podLabels = {
    'gateway.networking.k8s.io/gateway-name': EAST_WEST,
    'gateway.istio.io/managed': 'istio.io-gateway-controller',
    'service.istio.io/canonical-name': EAST_WEST,
    'service.istio.io/canonical-revision': 'latest',
    'istio.io/dataplane-mode': 'none',
    'sidecar.istio.io/inject': 'false',
    ...(cluster.networks.eastWestGateway !== undefined ? { 'topology.istio.io/network': cluster.networks.eastWestGateway } : {}),
  };
  const container = {
    name: 'istio-proxy',
    image: istioImage('proxyv2', spec.istioVersion),
    args: ['proxy', 'router', '--domain', `${ns}.svc.cluster.local`, '--proxyLogLevel', 'warning', '--log_output_level', 'default:info'],
    env: envList(
      [
        ['ISTIO_META_CLUSTER_ID', spec.clusterId],
        ...(cluster.networks.eastWestGateway !== undefined
          ? [['ISTIO_META_NETWORK', cluster.networks.eastWestGateway] as [string, string]]
          : []),
        ['ISTIO_META_WORKLOAD_NAME', EAST_WEST],
      ],
      [
        ['POD_NAME', 'metadata.name'],
        ['POD_NAMESPACE', 'metadata.namespace'],
        ['INSTANCE_IP', 'status.podIP'],
      ],
    ),
    ports: [
      { containerPort: 15008, protocol: 'TCP' } as JsonObject,
      { containerPort: 15012, protocol: 'TCP' },
      { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
    ],
    readinessPort: 15021,
  };
  const dep = deployment({
    seed: cluster.seed,
    name: EAST_WEST,
    namespace: ns,
    labels: svcLabels,
    selector: { 'gateway.networking.k8s.io/gateway-name': EAST_WEST },
    podLabels,
    serviceAccount: EAST_WEST,
    containers: [container],
    createdAt: at,
    desired: cluster.eastWestPods.length,
    ready: cluster.eastWestPods.length - crashing.size,
  });
  dep.metadata.ownerReferences = [ownerReference(gateway)];
  const pods = cluster.eastWestPods.map((plan, i) =>
    buildPod({
      seed: cluster.seed,
      plan,
      labels: { ...podLabels, 'pod-template-hash': podTemplateHash(cluster.seed, EAST_WEST) },
      owner: dep,
      ownerReplicaSet: replicaSetName(cluster.seed, EAST_WEST),
      serviceAccount: EAST_WEST,
      containers: [container],
      startedAt: at,
      health: replicaHealth(spec.breakage.eastWestCrashLoop, crashing.has(i), now),
    }),
  );
  return [gateway, svc, dep, ...pods];
}

const SOLO_CONDITION_PREFIX = 'gloo.solo.io/';

/** How long ago a peer condition that is not True changed: recent enough to be today's incident. */
const BROKEN_SINCE_MS = 17 * 60_000;

export function remotePeerGateway(link: LinkPlan, now: Date): KubeObject {
  const { from, to } = link;
  const at = from.installedAt;
  const brokenSince = new Date(now.getTime() - BROKEN_SINCE_MS);
  const labels: Record<string, string> = { 'topology.istio.io/cluster': to.spec.clusterId };
  if (link.networkLabel !== undefined) labels['topology.istio.io/network'] = link.networkLabel;
  const override = from.spec.breakage.remotePeerGateways.get(to.spec.context);
  for (const [key, value] of override?.labels ?? []) {
    if (key === 'topology.istio.io/network') continue; // planned with the link (networkLabel)
    if (value === null) delete labels[key];
    else labels[key] = value;
  }
  const listeners: JsonObject[] =
    override?.listeners?.map((l) => ({ ...l, tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } })) ?? LISTENERS;
  const annotations: Record<string, string> = Object.fromEntries(link.annotations);
  if (to.spec.eastWest.addressType === 'NodePort' || to.spec.eastWest.dataPlane === 'NodePort')
    annotations['peering.solo.io/preferred-data-plane-service-type'] = 'nodeport';
  const dialled = link.dialledAddress;
  const addresses = dialled !== undefined ? [{ type: isHostname(dialled) ? 'Hostname' : 'IPAddress', value: dialled }] : [];
  const conditions: JsonObject[] = [
    gatewayCondition('Accepted', 'True', 'Accepted', 'Resource accepted', at),
    gatewayCondition('Programmed', 'True', 'Programmed', 'This Gateway is remote; Istio will not program it', at),
  ];
  for (const [type, c] of link.conditions ?? []) {
    conditions.push(
      gatewayCondition(`${SOLO_CONDITION_PREFIX}${type}`, c.status, c.reason, c.message, c.status === 'True' ? at : brokenSince),
    );
  }
  return object(
    from.seed,
    GATEWAY_API,
    'Gateway',
    { name: link.gatewayName, namespace: from.spec.gatewayNamespace, labels, annotations, createdAt: at },
    {
      spec: { gatewayClassName: 'istio-remote', ...(addresses.length > 0 ? { addresses } : {}), listeners },
      ...(override?.status === false ? {} : { status: { ...(addresses.length > 0 ? { addresses } : {}), conditions } }),
    },
  );
}
