// Commits a test makes to a settled scenario state, the way the feeds would: a watch bookmark,
// a changed object, a resource the user may not read. applyUpdates is the store's own commit, so reference
// sharing is what the live console gets.
import { applyUpdates } from '../../src/store/applyUpdates.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import { contextId, type KubeObjectJson, type MeshState } from '../../src/store/types.ts';
import { objectKey } from '../../src/store/objectKey.ts';

let tick = 0;

/** One commit, a second after the state's own time. */
export function commit(state: MeshState, ...updates: StoreUpdate[]): MeshState {
  tick += 1;
  return applyUpdates(state, updates, new Date(Date.parse(state.updatedAt) + tick * 1000).toISOString());
}

export function bookmark(state: MeshState, context: string, resource: string): MeshState {
  return commit(state, {
    type: 'watchEvents',
    context: contextId(context),
    resource,
    events: [{ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: `bm-${tick}` } } }],
  });
}

export function objectOf(
  state: MeshState,
  context: string,
  resource: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): KubeObjectJson {
  const obj = state.contexts[contextId(context)]?.resources[resource]?.objects[objectKey(kind, namespace, name)];
  if (obj === undefined) throw new Error(`no ${kind} ${namespace ?? ''}/${name} in ${context} ${resource}`);
  return obj;
}

/** A MODIFIED event with `change` applied to a copy of the object. */
export function modify(
  state: MeshState,
  context: string,
  resource: string,
  obj: KubeObjectJson,
  change: (copy: KubeObjectJson) => KubeObjectJson,
): MeshState {
  return commit(state, {
    type: 'watchEvents',
    context: contextId(context),
    resource,
    events: [{ type: 'MODIFIED', object: change(structuredClone(obj)) }],
  });
}

/** The resource's list was refused (403): its sync becomes forbidden, with `message` as the API said it. */
export function forbid(state: MeshState, context: string, resource: string, message: string): MeshState {
  return commit(state, {
    type: 'resourceSync',
    context: contextId(context),
    resource,
    sync: 'forbidden',
    error: { kind: 'forbidden', message, retryable: false, at: state.updatedAt },
  });
}
