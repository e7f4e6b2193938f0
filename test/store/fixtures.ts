// Small builders for Kubernetes objects as the API serves them.
import type { KubeObjectJson } from '../../src/store/types.ts';

/** The metadata every builder starts from: a uid made from the name, so two builds of one object agree. */
export function objectMeta(name: string, namespace: string): { name: string; namespace: string; uid: string; resourceVersion: string } {
  return { name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: '1' };
}

export function pod(name: string, namespace = 'default', extra: Record<string, unknown> = {}): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...objectMeta(name, namespace),
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { containers: [{ name: 'app', image: 'app:1' }] },
    status: { phase: 'Running' },
    ...extra,
  };
}

export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
