// PATCH: JSON patch, merge patch, strategic merge patch (built-in types only) and an
// approximation of server-side apply, each applied to the live object before the update.
import type { JsonValue, KubeObject, ResourceType } from './types.ts';
import type { ResourceCall } from './handlerContext.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, goJsonType } from './patch.ts';
import { ApiError, badRequest, unsupportedMediaType } from './status.ts';
import { isObject, mediaTypeOf, readBody, readDocument } from './requestBody.ts';
import { checkBodyAgainstPath } from './bodyMatchesPath.ts';
import { invalidOptions, subresourceOption, writeQuery, type WriteQuery } from './writeOptions.ts';
import { writeJson } from './responses.ts';

const APPLY = 'application/apply-patch+yaml';

/** Patch types in the order the real 415 lists them; strategic merge needs a Go type, so CRs lack it. */
function patchTypes(rt: ResourceType): string[] {
  return rt.builtin
    ? ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', APPLY]
    : ['application/json-patch+json', 'application/merge-patch+json', APPLY];
}

/** A JSON, merge or strategic patch body; the real server words undecodable JSON this way. */
async function readPatchDocument(req: Parameters<typeof readBody>[0]): Promise<JsonValue> {
  const body = await readBody(req);
  if (body.length === 0) throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(body.toString('utf8')) as JsonValue;
  } catch {
    throw badRequest('invalid JSON patch');
  }
}

export async function servePatch(call: ResourceCall, name: string): Promise<void> {
  const { req, query, rt } = call;
  const w = writeQuery(query, 'PatchOptions');
  const mediaType = mediaTypeOf(req);
  const accepted = patchTypes(rt);
  if (!accepted.includes(mediaType)) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  }
  const patch = mediaType === APPLY ? await readDocument(req, mediaType) : await readPatchDocument(req);
  if (mediaType === APPLY) return serveApply(call, name, w, patch);
  return serveMergeOrJsonPatch(call, name, w, mediaType, patch);
}

/**
 * Server-side apply, approximated: the applied configuration merged over the live object
 * (or created). Field ownership and conflicts are not modelled.
 */
function serveApply(call: ResourceCall, name: string, w: WriteQuery, patch: JsonValue): void {
  const { ctx, res, rt, r, headers } = call;
  if (!w.fieldManager) throw invalidOptions('PatchOptions', 'fieldManager', 'Required value: is required for apply patch');
  if (!isObject(patch)) throw badRequest('the body of the request was not an object');
  checkBodyAgainstPath(rt, structuredClone(patch), r);
  let live: KubeObject | undefined;
  try {
    live = ctx.store.get(rt, r.namespace, name);
  } catch (err) {
    if (!(err instanceof ApiError && err.status.code === 404)) throw err;
  }
  if (!live) {
    const obj = checkBodyAgainstPath(rt, patch, r);
    writeJson(res, 201, ctx.store.create(rt, obj, { ...w, fieldOperation: 'Apply' }), headers);
    return;
  }
  const merged = applyMergePatch(live as unknown as JsonValue, patch);
  writeJson(
    res,
    200,
    ctx.store.update(rt, merged as unknown as KubeObject, { ...w, ...subresourceOption(r), fieldOperation: 'Apply' }),
    headers,
  );
}

function serveMergeOrJsonPatch(call: ResourceCall, name: string, w: WriteQuery, mediaType: string, patch: JsonValue): void {
  const { ctx, res, rt, r, headers } = call;
  const live = ctx.store.get(rt, r.namespace, name);
  let patched: JsonValue;
  if (mediaType === 'application/json-patch+json') {
    patched = applyJsonPatch(live as unknown as JsonValue, patch);
  } else if (!isObject(patch)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
  } else if (mediaType === 'application/merge-patch+json') {
    patched = applyMergePatch(live as unknown as JsonValue, patch);
  } else {
    patched = applyStrategicMergePatch(live as unknown as JsonValue, patch, rt.kind);
  }
  if (!isObject(patched) || !isObject(patched.metadata)) throw badRequest('the patched object is not an object');
  if (patched.metadata.name !== name) {
    throw badRequest(`the name of the object (${JSON.stringify(patched.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const updated = ctx.store.update(rt, patched as unknown as KubeObject, { ...w, ...subresourceOption(r) });
  writeJson(res, 200, updated, headers);
}
