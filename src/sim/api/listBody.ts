// The body of a plain (non-Table, non-metadata) list, shaped as the real server shapes it.
import type { KubeObject, ResourceType } from './types.ts';
import { apiVersionOf } from './resources.ts';

/** Typed built-in lists carry no kind/apiVersion on their items; unstructured (CR) lists do. */
function listItem(rt: ResourceType, o: KubeObject): KubeObject {
  if (!rt.builtin) return o;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest as KubeObject;
}

/**
 * Unstructured (CR) lists always carry metadata.continue, "" on the last page: the real server
 * marshals their ListMeta without omitempty (seen against kube-apiserver 1.37).
 */
export function listBody(rt: ResourceType, items: KubeObject[], metadata: object): object {
  const meta = rt.builtin ? metadata : { continue: '', ...metadata };
  return { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: meta, items: items.map((o) => listItem(rt, o)) };
}
