// Builds metadata the way the API server would have written it at install time.
import type { JsonObject } from '../../api/types.ts';
import type { KubeObject, ObjectMeta } from '../../api/types.ts';
import { uidFor } from './names.ts';

export interface MetaInput {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: JsonObject[];
  createdAt: Date;
}

export function rfc3339(date: Date): string {
  // The API server writes whole seconds.
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function meta(seed: string, apiVersion: string, kind: string, input: MetaInput): ObjectMeta {
  const metadata: ObjectMeta = {
    name: input.name,
    uid: uidFor(`${seed}/${apiVersion}/${kind}/${input.namespace ?? ''}/${input.name}`),
    creationTimestamp: rfc3339(input.createdAt),
  };
  if (input.namespace !== undefined) metadata.namespace = input.namespace;
  if (input.labels && Object.keys(input.labels).length > 0) metadata.labels = { ...input.labels };
  if (input.annotations && Object.keys(input.annotations).length > 0) metadata.annotations = { ...input.annotations };
  if (input.ownerReferences) metadata.ownerReferences = input.ownerReferences;
  if (kind === 'Deployment' || kind === 'DaemonSet' || kind === 'Gateway' || kind === 'GatewayClass') metadata.generation = 1;
  return metadata;
}

export function object(seed: string, apiVersion: string, kind: string, input: MetaInput, body: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: meta(seed, apiVersion, kind, input), ...body };
}

export function ownerReference(owner: KubeObject, controller = true): JsonObject {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller,
    blockOwnerDeletion: true,
  };
}
