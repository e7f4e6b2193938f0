// PartialObjectMetadata(List): what metadata-only informers ask for with
// `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`.
import type { JsonObject, JsonValue, KubeObject } from './types.ts';

export function asPartialObjectMetadata(o: KubeObject): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata as unknown as JsonValue };
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function asPartialObjectMetadataList(objects: KubeObject[], meta: ListMeta): JsonObject {
  const metadata: JsonObject = {};
  if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion;
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: objects.map(asPartialObjectMetadata) };
}
