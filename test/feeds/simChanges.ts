// Changes made directly in a simulated cluster's store, as another client (kubectl, a controller)
// would make them, so a test can watch them arrive through the feeds.
import type { SimCluster } from '../../src/sim/cluster.ts';
import type { KubeObject, ResourceType } from '../../src/sim/api/types.ts';

function typeOf(cluster: SimCluster, apiVersion: string, kind: string): ResourceType {
  const rt = cluster.registry.anyByKind(apiVersion, kind);
  if (!rt) throw new Error(`${cluster.context}: no type ${apiVersion} ${kind}`);
  return rt;
}

export function createNamespace(cluster: SimCluster, name: string, labels: Record<string, string> = {}): KubeObject {
  return cluster.store.create(typeOf(cluster, 'v1', 'Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, {});
}

export function deleteObject(cluster: SimCluster, apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
  cluster.store.delete(typeOf(cluster, apiVersion, kind), namespace, name, {});
}

export function getObject(cluster: SimCluster, apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
  return cluster.store.get(typeOf(cluster, apiVersion, kind), namespace, name);
}

/** Replaces the object with `change(copy)`. */
export function updateObject(
  cluster: SimCluster,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  change: (o: KubeObject) => void,
): KubeObject {
  const copy = structuredClone(getObject(cluster, apiVersion, kind, namespace, name));
  change(copy);
  return cluster.store.update(typeOf(cluster, apiVersion, kind), copy, {});
}
