// DELETE of one object and of a collection (deletecollection), answered as the generic registry answers.
import type { KubeObject, ResourceType } from './types.ts';
import type { ResourceCall } from './handlerContext.ts';
import { deleteOptions } from './writeOptions.ts';
import { selectorOptions } from './listQuery.ts';
import { listBody } from './listBody.ts';
import { writeJson } from './responses.ts';

/** Registries built with ReturnDeletedObject (pods, services, namespaces) answer with the object. */
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/services', '/namespaces']);

/**
 * What a DELETE answers, as the generic registry does: the object while it still exists
 * (finalizers hold it), the object for ReturnDeletedObject registries, otherwise a Success
 * Status naming what went (ConfigMaps, Secrets, Nodes, Deployments, custom resources…).
 */
function deleteResponse(rt: ResourceType, deleted: KubeObject): unknown {
  const held = (deleted.metadata.finalizers ?? []).length > 0 && rt.plural !== 'namespaces';
  if (held || RETURNS_DELETED_OBJECT.has(`${rt.group}/${rt.plural}`)) return deleted;
  // Key order of the real JSON: name, group (omitted for core), kind (the plural), uid.
  const details = {
    name: deleted.metadata.name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.plural,
    ...(deleted.metadata.uid ? { uid: deleted.metadata.uid } : {}),
  };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export async function serveDelete(call: ResourceCall, name: string): Promise<void> {
  const { ctx, req, res, query, rt, r, headers } = call;
  const o = await deleteOptions(req, query);
  const deleted = ctx.store.delete(rt, r.namespace, name, {
    ...o.write,
    ...(o.preconditions ? { preconditions: o.preconditions } : {}),
    ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
  });
  writeJson(res, 200, deleteResponse(rt, deleted), headers);
}

/** Deletes what a list with the same selectors would return; preconditions do not apply to a collection. */
export async function serveDeleteCollection(call: ResourceCall): Promise<void> {
  const { ctx, req, res, query, rt, r, headers } = call;
  const o = await deleteOptions(req, query);
  const { items, resourceVersion } = ctx.store.list(rt, selectorOptions(query, r));
  const deleted = items.map((item) =>
    ctx.store.delete(rt, item.metadata.namespace, item.metadata.name, {
      ...o.write,
      ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
    }),
  );
  writeJson(res, 200, listBody(rt, deleted, { resourceVersion }), headers);
}
