// Address plan of a simulated cluster `index` (0-based), kind-style: nodes on a docker network,
// MetalLB-like LoadBalancer IPs. Shared by the reader (defaults) and the generator.

/** InternalIP of node `node`. */
export function nodeAddress(cluster: number, node: number): string {
  return `172.18.${cluster + 1}.${node + 2}`;
}

/** The ingress IP a LoadBalancer east-west gateway gets by default. */
export function loadBalancerAddress(cluster: number): string {
  return `172.18.255.${200 + cluster}`;
}
