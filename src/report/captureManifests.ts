// A context's watched objects as manifests a simulated cluster can serve again: the store's
// objects (already without managedFields and secret data) minus what only the apiserver may
// set on a write (resourceVersion) and minus the store's own bookkeeping (droppedDataKeys).
import { DROPPED_KEYS_FIELD, sanitizeObject } from '../store/sanitizeObject.ts';
import type { ContextState, KubeObjectJson, MeshSnapshot } from '../store/types.ts';

function identity(o: KubeObjectJson): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * Stands in for a Secret value the store dropped: no key material, yet the store drops it again
 * (by its name or by this content), so a replay reports the same keys as dropped, not missing.
 */
const DROPPED_PLACEHOLDER = Buffer.from('-----BEGIN REDACTED PRIVATE KEY-----\n-----END REDACTED PRIVATE KEY-----\n').toString('base64');

function withPlaceholders(data: unknown, dropped: unknown): unknown {
  if (!Array.isArray(dropped) || dropped.length === 0) return data;
  const kept = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return { ...kept, ...Object.fromEntries(dropped.filter((k): k is string => typeof k === 'string').map((k) => [k, DROPPED_PLACEHOLDER])) };
}

function manifestOf(object: KubeObjectJson): KubeObjectJson {
  // Sanitized again on purpose: a snapshot built by hand (or by a future feed) may skip the store.
  const { [DROPPED_KEYS_FIELD]: dropped, ...sanitized } = sanitizeObject(object);
  const data = withPlaceholders(sanitized['data'], dropped);
  const clean = data === undefined ? sanitized : { ...sanitized, data };
  const { resourceVersion: _rv, ...metadata } = clean.metadata;
  const { apiVersion, kind, metadata: _metadata, ...rest } = clean;
  // apiVersion, kind, metadata first: the order people read manifests in.
  return { apiVersion, kind, metadata, ...rest };
}

/** Every object of every watched resource, once, in a stable order. */
export function captureObjects(state: ContextState | undefined): Map<string, KubeObjectJson> {
  const objects = new Map<string, KubeObjectJson>();
  for (const resource of Object.values(state?.resources ?? {})) {
    for (const object of Object.values(resource.objects)) objects.set(identity(object), manifestOf(object));
  }
  return objects;
}

/**
 * The pods behind flat-network WorkloadEntries that were found in their source cluster. The
 * console looks them up by name but does not watch them, so without a stand-in the replay would
 * call every such entry stale. Keyed by source context.
 */
export function sourcePodStandIns(snapshot: MeshSnapshot): Map<string, KubeObjectJson[]> {
  const byContext = new Map<string, KubeObjectJson[]>();
  for (const facts of Object.values(snapshot.facts)) {
    for (const fact of Object.values(facts.sourcePods)) {
      if (fact.state !== 'known' || fact.value.sourceContext === undefined) continue;
      const list = byContext.get(fact.value.sourceContext) ?? [];
      for (const entry of fact.value.entries) {
        if (entry.state !== 'present' || entry.podName === '') continue;
        list.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: entry.podName, namespace: entry.podNamespace },
          spec: { containers: [{ name: 'app', image: 'captured/stand-in' }] },
          status: { phase: 'Running' },
        });
      }
      byContext.set(fact.value.sourceContext, list);
    }
  }
  return byContext;
}

export function withStandIns(objects: Map<string, KubeObjectJson>, standIns: KubeObjectJson[]): KubeObjectJson[] {
  const all = new Map(objects);
  for (const pod of standIns) if (!all.has(identity(pod))) all.set(identity(pod), pod);
  return [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
}
