// "The store equals the simulator": for every watched resource, the keys and resourceVersions the
// store holds for a context must be exactly what the simulated cluster holds for the same
// selectors (and the same client-side filter). Used by the convergence tests.
import type { SimCluster } from '../../src/sim/cluster.ts';
import type { WatchedResource } from '../../src/feeds/watchedResources.ts';
import type { WatchedObject } from '../../src/kube/watchLoop.ts';
import type { MeshState } from '../../src/store/types.ts';
import { contextId } from '../../src/store/types.ts';

export type Versions = Record<string, string>;

/** `Kind/namespace/name` → resourceVersion of what the simulator serves for this watch. */
export function simulatorVersions(cluster: SimCluster, resource: WatchedResource): Versions {
  const rt = cluster.registry.byKind(resource.target.apiVersion, resource.target.kind);
  if (!rt) return {};
  const namespace = /\/namespaces\/([^/]+)\/[^/]+$/.exec(resource.target.path)?.[1];
  const { items } = cluster.store.list(rt, {
    ...(namespace !== undefined && { namespace }),
    ...(resource.target.labelSelector !== undefined && { labelSelector: resource.target.labelSelector }),
    ...(resource.target.fieldSelector !== undefined && { fieldSelector: resource.target.fieldSelector }),
  });
  const out: Versions = {};
  for (const item of items) {
    const object = { ...item, apiVersion: resource.target.apiVersion, kind: resource.target.kind } as unknown as WatchedObject;
    if (resource.keep && !resource.keep(object)) continue;
    out[`${resource.target.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`] = String(item.metadata.resourceVersion);
  }
  return out;
}

/** The same, from what the store holds for that context and resource. */
export function storeVersions(state: MeshState, context: string, resourceId: string): Versions {
  const objects = state.contexts[contextId(context)]?.resources[resourceId]?.objects ?? {};
  const out: Versions = {};
  for (const [key, object] of Object.entries(objects)) out[key] = String(object.metadata.resourceVersion);
  return out;
}

/** Resources whose store content differs from the simulator's, with both sides (empty: converged). */
export function differences(state: MeshState, cluster: SimCluster, resources: readonly WatchedResource[]): string[] {
  const out: string[] = [];
  for (const resource of resources) {
    const want = simulatorVersions(cluster, resource);
    const have = storeVersions(state, cluster.context, resource.id);
    if (JSON.stringify(sorted(want)) !== JSON.stringify(sorted(have))) {
      out.push(`${cluster.context} ${resource.id}: store ${JSON.stringify(sorted(have))} vs simulator ${JSON.stringify(sorted(want))}`);
    }
  }
  return out;
}

function sorted(versions: Versions): [string, string][] {
  return Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
