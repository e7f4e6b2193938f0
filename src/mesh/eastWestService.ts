// The Service Istio deploys for an east-west Gateway, and the mode peers reach it through
// (LoadBalancer, NodePort, or Solo's recipe of both): shared by the east-west check
// (checks/eastWestGateway.ts) and the console's gateways pane, so both name the mode alike.
import type { KubeObjectJson } from '../store/types.ts';
import { field, records, text } from './jsonFields.ts';

/** Gateway annotation of Solo's NodePort recipe: the data plane goes through node ports. */
export const DATA_PLANE_SERVICE_TYPE = 'peering.solo.io/data-plane-service-type';

/** The Service Istio deployed for the Gateway: labelled with its name, else selecting it, else named after it. */
export function eastWestServiceOf(gateway: KubeObjectJson, services: readonly KubeObjectJson[]): KubeObjectJson | undefined {
  const ns = gateway.metadata.namespace;
  const sameNs = services.filter((s) => s.metadata.namespace === ns);
  return (
    sameNs.find((s) => s.metadata.labels?.['gateway.networking.k8s.io/gateway-name'] === gateway.metadata.name) ??
    sameNs.find((s) => text(field(s, 'spec', 'selector', 'gateway.networking.k8s.io/gateway-name')) === gateway.metadata.name) ??
    sameNs.find((s) => s.metadata.name === gateway.metadata.name)
  );
}

/** The Service's LoadBalancer ingress addresses (IP or hostname). */
export function ingressOf(service: KubeObjectJson): string[] {
  return records(field(service, 'status', 'loadBalancer', 'ingress'))
    .map((i) => text(i['ip']) ?? text(i['hostname']))
    .filter((v): v is string => v !== undefined && v !== '');
}

/** Whether the Gateway asks for Solo's NodePort data plane. */
export function nodePortDataPlane(gateway: KubeObjectJson): boolean {
  return gateway.metadata.annotations?.[DATA_PLANE_SERVICE_TYPE]?.toLowerCase() === 'nodeport';
}

/**
 * How peers reach the gateway, in words: `LoadBalancer`, `NodePort`, `LoadBalancer for xDS,
 * NodePort data plane`, another Service type as it is, or the annotation / `unknown` without a Service.
 */
export function eastWestModeOf(gateway: KubeObjectJson, service: KubeObjectJson | undefined): string {
  const annotated = gateway.metadata.annotations?.[DATA_PLANE_SERVICE_TYPE];
  if (service === undefined) return annotated ?? 'unknown';
  const type = text(field(service, 'spec', 'type')) ?? 'ClusterIP';
  if (type === 'LoadBalancer') return nodePortDataPlane(gateway) ? 'LoadBalancer for xDS, NodePort data plane' : 'LoadBalancer';
  if (type === 'NodePort' || nodePortDataPlane(gateway)) return 'NodePort';
  return type;
}
