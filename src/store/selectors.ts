// Pure reads of MeshState for screens and checks. Selectors that build arrays cache them on
// the (immutable) record they were built from, so the same input gives the same reference:
// a zustand hook re-renders only when the data really changed.
import { mergeSignatureTables } from '../mesh/logSignatures.ts';
import type { SignatureAggregate, SignatureTable } from '../mesh/logSignatures.ts';
import { sortRows } from '../mesh/syncz.ts';
import type { ProxyStatusRow } from '../mesh/syncz.ts';
import { NO_FACTS } from './applyUpdates.ts';
import { objectKey } from './objectKey.ts';
import type {
  ClusterId,
  ContextFacts,
  ContextId,
  ContextState,
  ContextStatus,
  KubeObjectJson,
  MeshState,
  ResourceId,
  ResourceState,
} from './types.ts';

/** Cache one derived value per source object (records are immutable, so identity is enough). */
function cachedOn<S extends object, R>(compute: (source: S) => R): (source: S) => R {
  const cache = new WeakMap<S, R>();
  return (source) => {
    const hit = cache.get(source);
    if (hit !== undefined) return hit;
    const value = compute(source);
    cache.set(source, value);
    return value;
  };
}

const EMPTY: readonly never[] = Object.freeze([]);

const contextIdsOf = cachedOn((contexts: MeshState['contexts']) => (Object.keys(contexts) as ContextId[]).sort());

/** Context names, sorted. */
export function selectContextIds(state: MeshState): readonly ContextId[] {
  return contextIdsOf(state.contexts);
}

export function selectContext(state: MeshState, context: ContextId): ContextState | undefined {
  return state.contexts[context];
}

export function selectClusterId(state: MeshState, context: ContextId): ClusterId | undefined {
  return state.contexts[context]?.clusterId;
}

export function selectResource(state: MeshState, context: ContextId, resource: ResourceId): ResourceState | undefined {
  return state.contexts[context]?.resources[resource];
}

const objectListOf = cachedOn((objects: ResourceState['objects']) =>
  Object.keys(objects)
    .sort()
    .map((k) => objects[k] as KubeObjectJson),
);

/** The objects of one watched resource, ordered by kind/namespace/name. */
export function selectObjects(state: MeshState, context: ContextId, resource: ResourceId): readonly KubeObjectJson[] {
  const res = selectResource(state, context, resource);
  return res ? objectListOf(res.objects) : EMPTY;
}

const kindIndexOf = cachedOn((resources: ContextState['resources']) => {
  const byKind = new Map<string, KubeObjectJson[]>();
  for (const res of Object.values(resources)) {
    for (const obj of objectListOf(res.objects)) {
      const list = byKind.get(obj.kind);
      if (list) list.push(obj);
      else byKind.set(obj.kind, [obj]);
    }
  }
  return byKind;
});

/** Every object of a kind in a context, whichever resource watch brought it. */
export function selectObjectsOfKind(state: MeshState, context: ContextId, kind: string): readonly KubeObjectJson[] {
  const ctx = state.contexts[context];
  return ctx ? (kindIndexOf(ctx.resources).get(kind) ?? EMPTY) : EMPTY;
}

export function selectObject(
  state: MeshState,
  context: ContextId,
  kind: string,
  namespace: string | undefined,
  name: string,
): KubeObjectJson | undefined {
  const ctx = state.contexts[context];
  if (!ctx) return undefined;
  const key = objectKey(kind, namespace, name);
  for (const res of Object.values(ctx.resources)) {
    const obj = res.objects[key];
    if (obj) return obj;
  }
  return undefined;
}

const effectiveStatusOf = cachedOn((ctx: ContextState): ContextStatus => {
  if (ctx.status.phase !== 'ready' && ctx.status.phase !== 'degraded') return ctx.status;
  const extra: string[] = [];
  for (const res of Object.values(ctx.resources).sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    // Several watches of one resource (`pods#eastwest`, `pods#istio-cni`) are one resource to a reader.
    const name = res.resource.split('#')[0] ?? res.resource;
    // The feed's own reasons already say what is wrong with this resource (e.g. `throttled on pods`).
    if (ctx.status.reasons.some((r) => r.includes(name))) continue;
    if (res.sync === 'forbidden') extra.push(`forbidden on ${name}`);
    else if (res.sync === 'error') extra.push(`error on ${name}`);
    else if (res.sync === 'stale') extra.push(`stale ${name}`);
  }
  if (extra.length === 0) return ctx.status;
  const reasons = [...ctx.status.reasons, ...new Set(extra)];
  return { phase: 'degraded', reasons, since: ctx.status.since };
});

/**
 * The status to show: the connection status from the feeds, made `degraded` with a reason
 * for each resource that cannot be read while the connection itself is fine. The same
 * context state gives the same object.
 */
export function effectiveStatus(ctx: ContextState): ContextStatus {
  return effectiveStatusOf(ctx);
}

const PHASE_WORDS: Readonly<Record<ContextStatus['phase'], string>> = {
  connecting: 'connecting',
  ready: 'ready',
  degraded: 'degraded',
  unreachable: 'unreachable',
  authFailed: 'auth failed',
};

/** `ready`, `degraded: forbidden on pods, stale gateways.gateway.networking.k8s.io`, `auth failed`. */
export function describeStatus(status: ContextStatus): string {
  const word = PHASE_WORDS[status.phase];
  const reasons = status.reasons.filter((r) => r !== word);
  return reasons.length > 0 ? `${word}: ${reasons.join(', ')}` : word;
}

/** One line per context for the status bar; a string, so hooks compare it cheaply. */
export function selectStatusLine(state: MeshState, context: ContextId): string {
  const ctx = state.contexts[context];
  return ctx ? describeStatus(effectiveStatus(ctx)) : 'unknown context';
}

export function selectFacts(state: MeshState, context: ContextId): ContextFacts {
  return state.facts[context] ?? NO_FACTS;
}

const proxyRowsOf = cachedOn((syncz: ContextFacts['syncz']) => {
  const rows: ProxyStatusRow[] = [];
  for (const fact of Object.values(syncz)) if (fact.state === 'known') rows.push(...fact.value.rows);
  return sortRows(rows);
});

/** Proxy-status rows of every istiod of a context that answered, sorted by NAME. */
export function selectProxyRows(state: MeshState, context: ContextId): readonly ProxyStatusRow[] {
  const facts = state.facts[context];
  return facts ? proxyRowsOf(facts.syncz) : EMPTY;
}

const signaturesOfTable = cachedOn((table: SignatureTable) => mergeSignatureTables([table]));
const signaturesOfAll = cachedOn((logs: MeshState['logSignatures']) => mergeSignatureTables(Object.values(logs)));

/** Log signatures of one context, or of all contexts merged; most frequent first. */
export function selectLogSignatures(state: MeshState, context?: ContextId): readonly SignatureAggregate[] {
  if (context === undefined) return signaturesOfAll(state.logSignatures);
  const table = state.logSignatures[context];
  return table ? signaturesOfTable(table) : EMPTY;
}

/**
 * Synced resources that have heard nothing (event, bookmark or relist) for longer than
 * `quietMs`: the feeds mark them `stale` and restart their watch. Bookmarks arrive about
 * once a minute on a healthy watch, so `quietMs` should be a few minutes.
 */
export function selectQuietResources(
  state: MeshState,
  now: Date,
  quietMs: number,
): { context: ContextId; resource: ResourceId }[] {
  const quiet: { context: ContextId; resource: ResourceId }[] = [];
  for (const ctx of Object.values(state.contexts)) {
    for (const res of Object.values(ctx.resources)) {
      if (res.sync !== 'synced' || res.lastEventAt === undefined) continue;
      if (now.getTime() - Date.parse(res.lastEventAt) > quietMs) quiet.push({ context: ctx.context, resource: res.resource });
    }
  }
  return quiet;
}
