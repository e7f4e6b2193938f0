// What istiod's peering controller writes for a peer whose east-west gateway takes data-plane
// traffic on node ports (Solo's NodePort recipe, or a NodePort east-west Service): one node
// WorkloadEntry `autogen.node.<peer clusterId>.<node>` per peer node (its InternalIP, labelled
// `node.peer.solo.io/cluster`) and the gateway-based ServiceEntry `autogen.peering.<sa>.<network>`
// that selects them. These are what gloo.solo.io/PeerDataPlaneProgrammed waits for in NodePort mode.
// The entries' ports and the ServiceEntry's host are the simulator's own choice: the references
// name the objects and labels, not every field.
import type { KubeObject } from '../../api/types.ts';
import { object } from './objectMeta.ts';
import type { LinkPlan } from './plan.ts';

const ISTIO_NETWORKING = 'networking.istio.io/v1';
const NODE_CLUSTER_LABEL = 'node.peer.solo.io/cluster';
/** The east-west Service's HBONE node port (gateways.ts). */
const HBONE_NODE_PORT = 31008;

export function nodePortDataPlane(link: LinkPlan): boolean {
  const eastWest = link.to.spec.eastWest;
  return !link.flat && (eastWest.addressType === 'NodePort' || eastWest.dataPlane === 'NodePort');
}

export function nodePortPeeringObjects(link: LinkPlan): KubeObject[] {
  if (!link.peered || !nodePortDataPlane(link)) return [];
  const { from, to } = link;
  const network = link.networkLabel ?? to.spec.network;
  const serviceAccount = link.annotations.get('gateway.istio.io/service-account') ?? 'istio-eastwest';
  const selector = { [NODE_CLUSTER_LABEL]: to.spec.clusterId };
  const nodes = to.nodes.map((node) =>
    object(
      from.seed,
      ISTIO_NETWORKING,
      'WorkloadEntry',
      {
        name: `autogen.node.${to.spec.clusterId}.${node.name}`,
        namespace: from.spec.istioNamespace,
        labels: { ...selector, 'topology.istio.io/network': network, 'solo.io/source-cluster': to.spec.clusterId },
        createdAt: from.installedAt,
      },
      {
        spec: {
          address: node.ip,
          network,
          ports: { 'tls-hbone': HBONE_NODE_PORT },
          locality: `${to.spec.region}/${node.zone}`,
          serviceAccount,
        },
      },
    ),
  );
  const gateway = object(
    from.seed,
    ISTIO_NETWORKING,
    'ServiceEntry',
    {
      name: `autogen.peering.${serviceAccount}.${network}`,
      namespace: from.spec.istioNamespace,
      labels: { 'solo.io/source-cluster': to.spec.clusterId },
      createdAt: from.installedAt,
    },
    {
      spec: {
        hosts: [`${serviceAccount}.${to.spec.gatewayNamespace}.${network}.peering.internal`],
        ports: [{ name: 'tls-hbone', number: 15008, protocol: 'TCP', targetPort: HBONE_NODE_PORT }],
        location: 'MESH_INTERNAL',
        resolution: 'STATIC',
        workloadSelector: { labels: selector },
      },
    },
  );
  return [gateway, ...nodes];
}
