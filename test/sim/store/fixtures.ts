// Builders shared by the store tests: a store with the served types, and minimal valid objects.
import { ObjectStore } from '../../../src/sim/api/objectStore.ts';
import { RESOURCE_TYPES, ResourceRegistry } from '../../../src/sim/api/resources.ts';
import type { KubeObject, ResourceType } from '../../../src/sim/api/types.ts';

export function newStore(opts: { historyLimit?: number; crdsMissing?: string[] } = {}): {
  store: ObjectStore;
  registry: ResourceRegistry;
  rt: (apiVersion: string, kind: string) => ResourceType;
} {
  const registry = new ResourceRegistry(RESOURCE_TYPES, opts.crdsMissing ?? []);
  const store = new ObjectStore(registry, opts.historyLimit !== undefined ? { historyLimit: opts.historyLimit } : undefined);
  const rt = (apiVersion: string, kind: string): ResourceType => {
    const found = registry.anyByKind(apiVersion, kind);
    if (!found) throw new Error(`no type ${apiVersion} ${kind}`);
    return found;
  };
  return { store, registry, rt };
}

export function namespace(name: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

export function pod(
  ns: string,
  name: string,
  extra: { labels?: Record<string, string>; nodeName?: string; phase?: string } = {},
): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
  if (extra.phase) obj.status = { phase: extra.phase };
  return obj;
}

export function configMap(ns: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, data };
}

export function gateway(ns: string, name: string, className = 'istio-eastwest'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: { gatewayClassName: className, listeners: [] },
  };
}
