// How an object is addressed in the store: `<kind>/<namespace>/<name>`.
import type { KubeObjectJson, ObjectKey } from './types.ts';

export function objectKey(kind: string, namespace: string | undefined, name: string): ObjectKey {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(obj: KubeObjectJson): ObjectKey {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}
