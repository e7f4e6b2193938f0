// A context's watched objects as manifests a simulated cluster can serve again: the store's
// objects (already without managedFields and secret data) minus what only the apiserver may
// set on a write (resourceVersion) and minus the store's own bookkeeping (droppedDataKeys,
// licenseClaims). A licence key's claims go back in as a claims-only stand-in key, so a replay
// counts down to the same expiry without any of the real key.
import { DROPPED_KEYS_FIELD, sanitizeObject } from '../store/sanitizeObject.ts';
import { LICENSE_CLAIMS_FIELD, claimsOnlyKey, licenseClaimsOf, type StoredLicenseClaims } from '../store/licenseClaims.ts';
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

/** A stand-in that decodes to the same claims; an undecodable key stays undecodable. */
function standInKey(claims: StoredLicenseClaims): string {
  return claims.error !== undefined ? 'undecodable-licence-key' : claimsOnlyKey(claims);
}

function withLicenseData(data: unknown, claims: Record<string, StoredLicenseClaims> | undefined): unknown {
  if (claims === undefined) return data;
  const standIns = Object.entries(claims).flatMap(([where, c]) =>
    where.startsWith('data/') ? [[where.slice('data/'.length), Buffer.from(standInKey(c)).toString('base64')]] : [],
  );
  if (standIns.length === 0) return data;
  const kept = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return { ...kept, ...Object.fromEntries(standIns) };
}

function withLicenseEnv(containers: unknown, claims: Record<string, StoredLicenseClaims>): unknown {
  if (!Array.isArray(containers)) return containers;
  return containers.map((c: unknown) => {
    if (typeof c !== 'object' || c === null || !Array.isArray((c as Record<string, unknown>)['env'])) return c;
    const container = c as Record<string, unknown>;
    const env = (container['env'] as unknown[]).map((e: unknown) => {
      if (typeof e !== 'object' || e === null) return e;
      const v = e as Record<string, unknown>;
      const found = claims[`env/${String(container['name'])}/${String(v['name'])}`];
      return found && typeof v['value'] === 'string' ? { ...v, value: standInKey(found) } : e;
    });
    return { ...container, env };
  });
}

/** Inline licence keys (redacted by the store) as stand-ins, in a pod spec or a workload's template. */
function withLicenseSpec(object: KubeObjectJson, claims: Record<string, StoredLicenseClaims> | undefined): KubeObjectJson {
  if (claims === undefined || !Object.keys(claims).some((where) => where.startsWith('env/'))) return object;
  const spec = object['spec'];
  if (typeof spec !== 'object' || spec === null) return object;
  const s = spec as Record<string, unknown>;
  const template = s['template'];
  if (typeof template === 'object' && template !== null && 'spec' in template) {
    const t = template as Record<string, unknown>;
    const podSpec = t['spec'] as Record<string, unknown>;
    return {
      ...object,
      spec: { ...s, template: { ...t, spec: { ...podSpec, containers: withLicenseEnv(podSpec['containers'], claims) } } },
    };
  }
  return { ...object, spec: { ...s, containers: withLicenseEnv(s['containers'], claims) } };
}

function manifestOf(object: KubeObjectJson): KubeObjectJson {
  // Sanitized again on purpose: a snapshot built by hand (or by a future feed) may skip the store.
  const stored = sanitizeObject(object);
  const claims = licenseClaimsOf(stored);
  const { [DROPPED_KEYS_FIELD]: dropped, [LICENSE_CLAIMS_FIELD]: _claims, ...sanitized } = stored;
  const data = withLicenseData(withPlaceholders(sanitized['data'], dropped), claims);
  const clean = withLicenseSpec(data === undefined ? sanitized : { ...sanitized, data }, claims);
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
