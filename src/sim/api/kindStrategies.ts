// Per-kind rules of the real server's registry strategies: which kinds keep a generation and
// what bumps it, what a create resets, and what a delete shows.
import { applyDefaults } from './defaulting.ts';
import type { ClusterIpsInUse } from './defaulting.ts';
import { deepEqual, deepFreeze, jsonCopy, withMeta } from './frozenJson.ts';
import { typeKey } from './typeBucket.ts';
import type { JsonObject, KubeObject, ResourceType } from './types.ts';
import { qosClass } from './qosClass.ts';

/** Built-in kinds whose metadata.generation the real server maintains (every CR has one too). */
const GENERATION_KINDS = new Set(['/Pod', 'apps/Deployment', 'apps/DaemonSet']);

/** Namespaces the NamespaceLifecycle admission plugin refuses to delete. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function isNamespaceType(rt: ResourceType): boolean {
  return rt.group === '' && rt.kind === 'Namespace';
}

export function isUndeletableNamespace(name: string): boolean {
  return UNDELETABLE_NAMESPACES.has(name);
}

export function tracksGeneration(rt: ResourceType): boolean {
  return rt.crd || GENERATION_KINDS.has(typeKey(rt));
}

/** Kinds whose seeded objects are defaulted, so their first real write is not seen as a change. */
export function defaultsWhenSeeded(rt: ResourceType): boolean {
  return GENERATION_KINDS.has(typeKey(rt)) || typeKey(rt) === '/Service';
}

/** Built-ins bump generation on spec changes; custom resources on anything but metadata (and status when it is a subresource). */
export function specChanged(rt: ResourceType, old: KubeObject, next: KubeObject, clusterIpsInUse: ClusterIpsInUse): boolean {
  if (!rt.crd) {
    // Seeded objects may lack defaults; filling them in is not a spec change.
    const oldDefaulted = jsonCopy(old);
    applyDefaults(rt, oldDefaulted, old, clusterIpsInUse);
    return !deepEqual(oldDefaulted.spec, next.spec);
  }
  const ignored = new Set(['metadata', 'apiVersion', 'kind']);
  if (rt.subresources.includes('status')) ignored.add('status');
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  for (const k of keys) if (!ignored.has(k) && !deepEqual(old[k], next[k])) return true;
  return false;
}

/** Equal apart from resourceVersion and managedFields: the write is a no-op. */
export function sameContent(old: KubeObject, next: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined },
  });
  return deepEqual(strip(old), strip(next));
}

/** What each kind's create strategy does to status (and a Namespace's spec) before storing. */
export function prepareForCreate(rt: ResourceType, obj: KubeObject): void {
  switch (typeKey(rt)) {
    case '/Namespace':
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      return;
    case '/Pod':
      obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
      return;
    case '/Service':
      obj.status = { loadBalancer: {} };
      return;
    case 'apps/Deployment':
    case 'apps/DaemonSet':
      obj.status = {};
      return;
    case '/Node':
      // Nodes may set status on create (the kubelet registers itself that way).
      return;
    default:
      if (rt.crd && rt.subresources.includes('status')) delete obj.status;
  }
}

/** What the last event and the delete response show: pods and namespaces are deleted gracefully. */
export function deletedState(rt: ResourceType, old: KubeObject, timestamp: string, grace: number | undefined): KubeObject {
  if (rt.group === '' && rt.kind === 'Pod') {
    const spec = old.spec as { terminationGracePeriodSeconds?: number } | undefined;
    return withMeta(old, {
      deletionTimestamp: timestamp,
      deletionGracePeriodSeconds: grace ?? spec?.terminationGracePeriodSeconds ?? 30,
    });
  }
  if (isNamespaceType(rt)) {
    const status = { ...((old.status as JsonObject | undefined) ?? {}), phase: 'Terminating' };
    return deepFreeze({ ...withMeta(old, { deletionTimestamp: timestamp }), status });
  }
  return old;
}
