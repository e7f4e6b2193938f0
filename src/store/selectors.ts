// Pure reads of MeshState for screens and checks. Every selector returns the same reference
// while what it reads is unchanged, so a pane subscribed to it (subscribeSlice.ts, or a zustand
// hook comparing with Object.is) redraws only when its data really changed. Arrays built from
// the store are cached on the (immutable) records they come from, or on the list of those
// records when their container changes for unrelated reasons (memo.ts).
//
// What stays put while unchanged: a resource's objects (selectObjects), objects of a kind,
// proxy rows, a context's log signatures and raw failure lines, its log streams, its effective status, the context
// list. What does not: selectContext and selectResource, whose records move with every bookmark
// (lastEventAt) — a pane should read the narrower slice.
import { mergeSignatureTables } from '../mesh/logSignatures.ts';
import type { SignatureAggregate, SignatureTable } from '../mesh/logSignatures.ts';
import { sortRows } from '../mesh/syncz.ts';
import type { ProxyStatusRow } from '../mesh/syncz.ts';
import { NO_FACTS } from './applyUpdates.ts';
import { mergeTails } from './logTail.ts';
import { cachedOn, memoOnInputs, stableList } from './memo.ts';
import { objectKey } from './objectKey.ts';
import { resourceName } from './resourceIds.ts';
import type {
  ClusterId,
  ContextFacts,
  ContextId,
  ContextState,
  ContextStatus,
  KubeObjectJson,
  LogStreamState,
  LogTailLine,
  MeshState,
  ResourceId,
  ResourceState,
  ResourceSyncState,
} from './types.ts';

const EMPTY: readonly never[] = Object.freeze([]);

// The context map is new on every commit that touches any context; the list only when a
// context comes or goes.
const sameContextIds = stableList<ContextId>();
const contextIdsOf = cachedOn((contexts: MeshState['contexts']) => sameContextIds((Object.keys(contexts) as ContextId[]).sort()));

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

/** The objects of one resource grouped by kind, in key order. */
const kindsOf = cachedOn((objects: ResourceState['objects']) => {
  const byKind = new Map<string, KubeObjectJson[]>();
  for (const obj of objectListOf(objects)) {
    const list = byKind.get(obj.kind);
    if (list) list.push(obj);
    else byKind.set(obj.kind, [obj]);
  }
  return byKind;
});

const concatenated = memoOnInputs<readonly KubeObjectJson[], readonly KubeObjectJson[]>(
  (lists) => (lists.length === 1 ? (lists[0] ?? EMPTY) : lists.flat()),
  EMPTY,
);

/**
 * Every object of a kind in a context, whichever resource watch brought it. Rebuilt only when
 * one of the resources holding that kind changed, not when another resource or a bookmark did.
 */
export function selectObjectsOfKind(state: MeshState, context: ContextId, kind: string): readonly KubeObjectJson[] {
  const ctx = state.contexts[context];
  if (!ctx) return EMPTY;
  const lists: (readonly KubeObjectJson[])[] = [];
  for (const id of Object.keys(ctx.resources).sort()) {
    const res = ctx.resources[id];
    const list = res ? kindsOf(res.objects).get(kind) : undefined;
    if (list) lists.push(list);
  }
  return concatenated(lists);
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

// The degraded status last derived from each feed status: a context record changes on every
// bookmark, and the status derived from it must not change with it.
const lastDerived = new WeakMap<ContextStatus, ContextStatus>();

const effectiveStatusOf = cachedOn((ctx: ContextState): ContextStatus => {
  if (ctx.status.phase !== 'ready' && ctx.status.phase !== 'degraded') return ctx.status;
  const extra: string[] = [];
  for (const res of Object.values(ctx.resources).sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    // Several watches of one resource (`pods#eastwest`, `pods#istio-cni`) are one resource to a reader.
    const name = resourceName(res.resource);
    // The feed's own reasons already say what is wrong with this resource (e.g. `throttled on pods`).
    if (ctx.status.reasons.some((r) => r.includes(name))) continue;
    if (res.sync === 'forbidden') extra.push(`forbidden on ${name}`);
    else if (res.sync === 'error') extra.push(`error on ${name}`);
    else if (res.sync === 'stale') extra.push(`stale ${name}`);
  }
  if (extra.length === 0) return ctx.status;
  const reasons = [...ctx.status.reasons, ...new Set(extra)];
  const previous = lastDerived.get(ctx.status);
  if (previous && previous.reasons.join('\n') === reasons.join('\n')) return previous;
  const derived: ContextStatus = { phase: 'degraded', reasons, since: ctx.status.since };
  lastDerived.set(ctx.status, derived);
  return derived;
});

/**
 * The status to show: the connection status from the feeds, made `degraded` with a reason
 * for each resource that cannot be read while the connection itself is fine. The same object
 * while the status reads the same.
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

/** The status to show for a context (see effectiveStatus), or undefined for an unknown one. */
export function selectContextStatus(state: MeshState, context: ContextId): ContextStatus | undefined {
  const ctx = state.contexts[context];
  return ctx ? effectiveStatus(ctx) : undefined;
}

/** The sync state of one watched resource: a string, so it compares by value. */
export function selectResourceSync(state: MeshState, context: ContextId, resource: ResourceId): ResourceSyncState | undefined {
  return state.contexts[context]?.resources[resource]?.sync;
}

const NO_STREAMS: Readonly<Record<string, LogStreamState>> = Object.freeze({});

/** How each pod log of a context is followed, keyed by `namespace/pod`. */
export function selectLogStreams(state: MeshState, context: ContextId): Readonly<Record<string, LogStreamState>> {
  return state.contexts[context]?.logStreams ?? NO_STREAMS;
}

export function selectFacts(state: MeshState, context: ContextId): ContextFacts {
  return state.facts[context] ?? NO_FACTS;
}

// Every re-fetch makes a new syncz record (its `observedAt` moves); the store keeps a fact's
// value when it did not change, so the rows are rebuilt only when some istiod's rows did.
const proxyRowsOf = memoOnInputs<readonly ProxyStatusRow[], readonly ProxyStatusRow[]>((rowLists) => sortRows(rowLists.flat()), EMPTY);

/** Proxy-status rows of every istiod of a context that answered, sorted by NAME. */
export function selectProxyRows(state: MeshState, context: ContextId): readonly ProxyStatusRow[] {
  const facts = state.facts[context];
  if (!facts) return EMPTY;
  const rowLists: (readonly ProxyStatusRow[])[] = [];
  for (const pod of Object.keys(facts.syncz).sort()) {
    const fact = facts.syncz[pod];
    if (fact?.state === 'known') rowLists.push(fact.value.rows);
  }
  return proxyRowsOf(rowLists);
}

const signaturesOfTable = cachedOn((table: SignatureTable) => mergeSignatureTables([table]));
const signaturesOfAll = cachedOn((logs: MeshState['logSignatures']) => mergeSignatureTables(Object.values(logs)));

/** Log signatures of one context, or of all contexts merged; most frequent first. */
export function selectLogSignatures(state: MeshState, context?: ContextId): readonly SignatureAggregate[] {
  if (context === undefined) return signaturesOfAll(state.logSignatures);
  const table = state.logSignatures[context];
  return table ? signaturesOfTable(table) : EMPTY;
}

// The tail map is new only when some context's tail got a failure line; the merged list is
// rebuilt then, and only then.
const tailOfAll = cachedOn((tails: MeshState['logTail']) => mergeTails(Object.values(tails)));

/**
 * The newest raw failure lines (logTail.ts) of one context, or of all contexts merged by time;
 * oldest first. The same array until a failure line arrives.
 */
export function selectLogTail(state: MeshState, context?: ContextId): readonly LogTailLine[] {
  if (context === undefined) return tailOfAll(state.logTail);
  return state.logTail[context] ?? EMPTY;
}

/**
 * Synced resources that have heard nothing (event, bookmark or relist) for longer than
 * `quietMs`: the feeds mark them `stale` and restart their watch. Bookmarks arrive about
 * once a minute on a healthy watch, so `quietMs` should be a few minutes.
 */
export function selectQuietResources(state: MeshState, now: Date, quietMs: number): { context: ContextId; resource: ResourceId }[] {
  const quiet: { context: ContextId; resource: ResourceId }[] = [];
  for (const ctx of Object.values(state.contexts)) {
    for (const res of Object.values(ctx.resources)) {
      if (res.sync !== 'synced' || res.lastEventAt === undefined) continue;
      if (now.getTime() - Date.parse(res.lastEventAt) > quietMs) quiet.push({ context: ctx.context, resource: res.resource });
    }
  }
  return quiet;
}
