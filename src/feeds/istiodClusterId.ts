// istiod's CLUSTER_ID — how the mesh names a cluster, as opposed to the kubeconfig context
// name — read from the environment of istiod's `discovery` container, in the Deployment's pod
// template or a running pod. Only a literal value counts: one from a ConfigMap or field ref
// cannot be known from the object alone.
import type { WatchedObject } from '../kube/watchLoop.ts';

interface EnvVar {
  name?: unknown;
  value?: unknown;
}

interface ContainerLike {
  name?: unknown;
  env?: unknown;
}

function podSpecOf(object: WatchedObject): { containers?: unknown } | undefined {
  const spec = object['spec'];
  if (typeof spec !== 'object' || spec === null) return undefined;
  if (object.kind === 'Pod') return spec;
  const template = (spec as { template?: { spec?: unknown } }).template;
  const inner = template?.spec;
  return typeof inner === 'object' && inner !== null ? inner : undefined;
}

/** The CLUSTER_ID an istiod Deployment or Pod declares, if it declares one literally. */
export function istiodClusterId(object: WatchedObject): string | undefined {
  const containers = podSpecOf(object)?.containers;
  if (!Array.isArray(containers)) return undefined;
  // The discovery container first; any other container that sets it after.
  const ordered = [...(containers as ContainerLike[])].sort((a, b) => Number(b.name === 'discovery') - Number(a.name === 'discovery'));
  for (const container of ordered) {
    if (!Array.isArray(container.env)) continue;
    for (const variable of container.env as EnvVar[]) {
      if (variable.name === 'CLUSTER_ID' && typeof variable.value === 'string' && variable.value !== '') return variable.value;
    }
  }
  return undefined;
}

/** Is this object istiod (its Deployment or one of its pods)? */
export function isIstiod(object: WatchedObject): boolean {
  return object.metadata.labels?.['app'] === 'istiod' && (object.kind === 'Deployment' || object.kind === 'Pod');
}
