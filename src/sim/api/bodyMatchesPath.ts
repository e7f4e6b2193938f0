// The checks the real handlers make between a written object and its URL before the store sees it.
import type { JsonObject, KubeObject, ResourceType } from './types.ts';
import { apiVersionOf } from './resources.ts';
import { badRequest } from './status.ts';
import { isObject } from './requestBody.ts';
import type { ResourceRequest } from './resourcePath.ts';

/** Fills what decoding would default, then refuses a body whose group/version/kind or namespace contradicts the URL. */
export function checkBodyAgainstPath(rt: ResourceType, obj: JsonObject, r: ResourceRequest): KubeObject {
  // Typed (built-in) decoding defaults a missing apiVersion/kind from the URL; unstructured (CR) decoding cannot.
  if (rt.builtin) {
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersionOf(rt);
    if (obj.kind === undefined || obj.kind === '') obj.kind = rt.kind;
  }
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof kind !== 'string' || kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  if (apiVersion !== apiVersionOf(rt)) {
    throw badRequest(
      `the API version in the data (${typeof apiVersion === 'string' ? apiVersion : JSON.stringify(apiVersion)}) ` +
        `does not match the expected API version (${apiVersionOf(rt)})`,
    );
  }
  if (kind !== rt.kind) throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${rt.kind})`);
  if (!isObject(obj.metadata)) obj.metadata = {};
  const meta = obj.metadata;
  if (rt.namespaced) {
    if (meta.namespace === undefined || meta.namespace === '') meta.namespace = r.namespace ?? '';
    else if (meta.namespace !== r.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  } else {
    delete meta.namespace;
  }
  return obj as unknown as KubeObject;
}
