// How an object is addressed in the store: `<kind>/<namespace>/<name>`.
import type { KubeObjectJson, ObjectKey } from './types.ts';

export function objectKey(kind: string, namespace: string | undefined, name: string): ObjectKey {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(obj: KubeObjectJson): ObjectKey {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/** The parts of an ObjectKey; kinds and namespaces never contain `/`, so the first two split it. */
export function parseObjectKey(key: ObjectKey): { kind: string; namespace: string; name: string } {
  const first = key.indexOf('/');
  const second = key.indexOf('/', first + 1);
  return { kind: key.slice(0, first), namespace: key.slice(first + 1, second), name: key.slice(second + 1) };
}
