// The store's reducer: (state, updates, now) → next state, pure. A batch of thousands of
// updates copies each touched container once (copy-on-write), so untouched contexts,
// resources and objects keep their references and React skips them. Nothing is copied until
// an update is known to change something: an update that restates what is stored (the same
// status, a re-delivered object, info-level log lines) leaves every reference as it was, and a
// batch of only those returns the state itself, so no subscriber wakes. Whatever does change
// keeps the references of its unchanged parts (a fact re-fetched with the same value, objects
// a relist brings back). Log signatures and facts sit beside a context, not in it: their
// updates never replace the ContextState.
//
// Hand-written rather than Immer (which zustand supports), because it measured faster where it
// matters (`npm run bench -- store`: 20 contexts × 1,000 pods, batches of 1,000 events, Immer
// 11.2, Node 24, 2 shared cores; ranges over three runs). MODIFIED events: 113k–118k/s here,
// 51k–55k/s with Immer (auto-freeze on, its default), 55k–70k/s (off). Re-delivered objects:
// 262k–368k/s here, 144k–279k/s and 131k–214k/s. A commit of 10 events in one context:
// 327–340 µs here (mostly copying that resource's 1,000-entry map, which Immer copies too),
// 385–1,178 µs and 513–845 µs. Immer would not spare the equality checks either: to it an
// assignment of an equal object is a change.
import { aggregateRecords } from '../mesh/logSignatures.ts';
import type { SignatureTable } from '../mesh/logSignatures.ts';
import { keepUnchanged, sameJson } from './keepUnchanged.ts';
import { appendToTail } from './logTail.ts';
import { keyOf } from './objectKey.ts';
import { sanitizeObject } from './sanitizeObject.ts';
import { EMPTY_FACTS, StateDraft } from './stateDraft.ts';
import type {
  ContextFacts,
  ContextId,
  Fact,
  IsoTime,
  KubeObjectJson,
  LogTailLine,
  MeshState,
  ObjectKey,
  ObservedError,
  ResourceId,
  ResourceState,
  ResourceSyncState,
} from './types.ts';
import type { StoreUpdate, StoreWatchEvent } from './updates.ts';

/**
 * Objects come off the network; one without kind or name cannot be keyed and is skipped
 * rather than allowed to throw in the middle of a commit (which would lose the whole batch).
 */
function isAddressable(obj: unknown): obj is KubeObjectJson {
  if (typeof obj !== 'object' || obj === null) return false;
  const o = obj as { kind?: unknown; metadata?: { name?: unknown } | null };
  return typeof o.kind === 'string' && typeof o.metadata === 'object' && o.metadata !== null && typeof o.metadata.name === 'string';
}

export function emptyState(now: IsoTime): MeshState {
  return { contexts: {}, facts: {}, logSignatures: {}, logTail: {}, updatedAt: now };
}

const NO_OBJECTS: ResourceState['objects'] = {};
const NO_SIGNATURES: SignatureTable = {};
const NO_TAIL: readonly LogTailLine[] = [];

/** A stored object and a re-delivered one hold the same data. */
function sameObject(stored: KubeObjectJson, next: KubeObjectJson): boolean {
  const a = stored.metadata.resourceVersion;
  const b = next.metadata.resourceVersion;
  // The apiserver gives every write a new resourceVersion, so different versions are a change
  // without looking further; the same version is confirmed field by field (hand-made objects,
  // and simulators, may reuse one).
  if (a !== undefined && b !== undefined && a !== b) return false;
  return sameJson(stored, next);
}

interface ResourceFields {
  sync?: ResourceSyncState;
  lastEventAt?: IsoTime;
  resourceVersion?: string;
  /** `null` clears the error; absent leaves it as it is. */
  error?: ObservedError | null;
}

/** Write the bookkeeping fields that differ; a resource whose fields are all the same is not copied. */
function setResourceFields(d: StateDraft, context: ContextId, resource: ResourceId, fields: ResourceFields): void {
  const current = d.readResource(context, resource);
  const sync = fields.sync ?? current?.sync;
  const lastEventAt = fields.lastEventAt ?? current?.lastEventAt;
  const resourceVersion = fields.resourceVersion ?? current?.resourceVersion;
  const error =
    fields.error === null ? undefined : fields.error === undefined ? current?.error : keepUnchanged(current?.error, fields.error);
  if (
    current !== undefined &&
    sync === current.sync &&
    lastEventAt === current.lastEventAt &&
    resourceVersion === current.resourceVersion &&
    error === current.error
  ) {
    return;
  }
  const res = d.resource(context, resource);
  if (sync !== undefined) res.sync = sync;
  if (lastEventAt !== undefined) res.lastEventAt = lastEventAt;
  if (resourceVersion !== undefined) res.resourceVersion = resourceVersion;
  if (error !== undefined) res.error = error;
  else delete res.error;
}

/** The table with `key` set to `fact`, or undefined when the stored fact is the same data. */
function withFact<T>(table: Readonly<Record<string, Fact<T>>>, key: string, fact: Fact<T>): Readonly<Record<string, Fact<T>>> | undefined {
  const before = table[key];
  // A re-fetch whose value did not change still moves `observedAt`, so the fact is new, but its
  // value (the proxy rows a pane shows) keeps its reference.
  const kept = keepUnchanged(before, fact);
  return kept === before ? undefined : { ...table, [key]: kept };
}

function applyWatchEvents(d: StateDraft, u: Extract<StoreUpdate, { type: 'watchEvents' }>): void {
  if (u.events.length === 0) return;
  const stored = d.readResource(u.context, u.resource)?.objects ?? NO_OBJECTS;
  // Copied on the first event that really changes something: a batch of bookmarks, of
  // re-delivered objects or of deletions of absent ones leaves the objects map as it was.
  let objects: Record<ObjectKey, KubeObjectJson> | undefined;
  // Only the last event per object decides what is stored, so walk backwards and skip
  // earlier ones: a storm of MODIFIED events for one object is sanitized once.
  const done = new Set<ObjectKey>();
  let bookmarked = false;
  let bookmarkVersion: string | undefined;
  for (let i = u.events.length - 1; i >= 0; i--) {
    const ev = u.events[i] as StoreWatchEvent;
    if (ev.type === 'BOOKMARK') {
      if (!bookmarked) bookmarkVersion = (ev.object as Partial<KubeObjectJson> | undefined)?.metadata?.resourceVersion;
      bookmarked = true;
      continue;
    }
    if (!isAddressable(ev.object)) continue;
    const key = keyOf(ev.object);
    if (done.has(key)) continue;
    done.add(key);
    const have = (objects ?? stored)[key];
    if (ev.type === 'DELETED') {
      if (have === undefined) continue;
      objects ??= d.objects(u.context, u.resource);
      delete objects[key];
      continue;
    }
    const next = sanitizeObject(ev.object);
    if (have !== undefined && sameObject(have, next)) continue;
    objects ??= d.objects(u.context, u.resource);
    objects[key] = next;
  }
  const current = d.readResource(u.context, u.resource);
  // Events flowing again means the watch is alive.
  const sync = current === undefined || current.sync === 'stale' || current.sync === 'syncing' ? 'synced' : current.sync;
  // Events that changed nothing say nothing new either. Bookmarks do: `lastEventAt` is how a
  // quiet watch is told from a dead one (selectQuietResources), so they move it every time.
  if (objects === undefined && !bookmarked && current !== undefined && sync === current.sync) return;
  setResourceFields(d, u.context, u.resource, {
    sync,
    lastEventAt: d.now,
    ...(bookmarkVersion !== undefined ? { resourceVersion: bookmarkVersion } : {}),
  });
}

function applyRelist(d: StateDraft, u: Extract<StoreUpdate, { type: 'relist' }>): void {
  const stored = d.readResource(u.context, u.resource)?.objects ?? NO_OBJECTS;
  const objects: Record<ObjectKey, KubeObjectJson> = {};
  // A relist after a reconnect mostly brings back what is already stored: keep those objects,
  // and the whole map when all of them are, so the panes showing them do not redraw.
  let same = true;
  for (const obj of u.objects) {
    if (!isAddressable(obj)) continue;
    const key = keyOf(obj);
    const next = sanitizeObject(obj);
    const have = stored[key];
    if (have !== undefined && sameObject(have, next)) objects[key] = have;
    else {
      objects[key] = next;
      same = false;
    }
  }
  if (!same || Object.keys(objects).length !== Object.keys(stored).length) d.replaceObjects(u.context, u.resource, objects);
  setResourceFields(d, u.context, u.resource, {
    sync: 'synced',
    lastEventAt: d.now,
    error: null,
    ...(u.resourceVersion !== undefined ? { resourceVersion: u.resourceVersion } : {}),
  });
}

function applyOne(d: StateDraft, u: StoreUpdate): void {
  switch (u.type) {
    case 'watchEvents':
      applyWatchEvents(d, u);
      return;
    case 'relist':
      applyRelist(d, u);
      return;
    case 'resourceSync': {
      const stored = d.readResource(u.context, u.resource)?.objects ?? NO_OBJECTS;
      const clearsError = u.sync === 'synced' || u.sync === 'syncing';
      setResourceFields(d, u.context, u.resource, {
        sync: u.sync,
        ...(u.error ? { error: u.error } : clearsError ? { error: null } : {}),
      });
      // A resource that is forbidden or not installed holds nothing we can trust.
      if ((u.sync === 'forbidden' || u.sync === 'notInstalled') && Object.keys(stored).length > 0)
        d.replaceObjects(u.context, u.resource, {});
      return;
    }
    case 'contextStatus': {
      const ctx = d.readContext(u.context) ?? d.context(u.context);
      const reasons = u.reasons ?? [];
      const sameStatus = ctx.status.phase === u.phase && ctx.status.reasons.join('\n') === reasons.join('\n');
      const lastError = u.error ? keepUnchanged(ctx.lastError, u.error) : ctx.lastError;
      if (sameStatus && lastError === ctx.lastError) return;
      const w = d.context(u.context);
      // `since` says how long the context has been in this state, so it moves only on change.
      if (!sameStatus) w.status = { phase: u.phase, reasons: [...reasons], since: d.now };
      if (lastError) w.lastError = lastError;
      return;
    }
    case 'clusterId': {
      if (d.readContext(u.context)?.clusterId === u.clusterId) return;
      d.context(u.context).clusterId = u.clusterId;
      return;
    }
    case 'endpoint': {
      if (d.readContext(u.context)?.endpoint === u.endpoint) return;
      d.context(u.context).endpoint = u.endpoint;
      return;
    }
    case 'fact': {
      // Facts exist only for contexts the store knows; mention creates it (and nothing else of
      // the context changes: a pane reading its status or objects does not redraw).
      d.ensureContext(u.context);
      const current = d.readFacts(u.context) ?? EMPTY_FACTS;
      if (u.kind === 'syncz') {
        const table = withFact(current.syncz, u.istiodPod, u.fact);
        if (table) d.factsForWrite(u.context).syncz = table;
      } else if (u.kind === 'license') {
        const table = withFact(current.license, u.istiodPod, u.fact);
        if (table) d.factsForWrite(u.context).license = table;
      } else if (u.kind === 'sourcePods') {
        const table = withFact(current.sourcePods, u.istiodPod, u.fact);
        if (table) d.factsForWrite(u.context).sourcePods = table;
      } else {
        const table = withFact(current.clusterz, u.istiodPod, u.fact);
        if (table) d.factsForWrite(u.context).clusterz = table;
      }
      return;
    }
    case 'pruneFacts': {
      const current = d.readFacts(u.context)?.[u.kind];
      if (current === undefined) return;
      const keep = new Set(u.keepPods);
      const kept = Object.fromEntries(Object.entries(current).filter(([pod]) => keep.has(pod)));
      if (Object.keys(kept).length === Object.keys(current).length) return;
      const facts = d.factsForWrite(u.context);
      if (u.kind === 'syncz') facts.syncz = kept;
      else if (u.kind === 'license') facts.license = kept;
      else if (u.kind === 'sourcePods') facts.sourcePods = kept;
      else facts.clusterz = kept;
      return;
    }
    case 'logRecords': {
      if (u.records.length === 0) return;
      // Signatures live beside the context, not in it: a log batch never copies the context.
      d.ensureContext(u.context);
      const before = d.readLogs(u.context) ?? NO_SIGNATURES;
      const origin = { context: u.context, seenAt: d.now, ...(u.source !== undefined ? { source: u.source } : {}) };
      const after = aggregateRecords(before, u.records, origin);
      // Info-level lines leave the table as it was.
      if (after !== before) d.logsForWrite()[u.context] = after;
      // The raw lines behind the table: the same classification, so both change together.
      const tailBefore = d.readTail(u.context) ?? NO_TAIL;
      const tailAfter = appendToTail(tailBefore, u.records, origin);
      if (tailAfter !== tailBefore) d.tailsForWrite()[u.context] = tailAfter;
      return;
    }
    case 'restartLogWindow': {
      // Only contexts the store knows have logs; a reset must not invent one.
      if (d.readContext(u.context) === undefined) return;
      const table = d.readLogs(u.context);
      const counted = table !== undefined && Object.keys(table).length > 0;
      // No-op rule: an empty window restarted at the time it already starts from changes nothing.
      if (!counted && d.readWindow(u.context) === u.since) return;
      if (counted) d.logsForWrite()[u.context] = NO_SIGNATURES;
      if (d.readWindow(u.context) !== u.since) d.windowsForWrite()[u.context] = u.since;
      return;
    }
    case 'logStream': {
      const ctx = d.readContext(u.context) ?? d.context(u.context);
      const before = ctx.logStreams?.[u.source];
      if (!u.stream) {
        if (!before) return;
        delete d.logStreams(u.context)[u.source];
        return;
      }
      // `since` says how long it has been in this phase, so it moves only when the phase does.
      const since = before?.phase === u.stream.phase ? before.since : d.now;
      const next = keepUnchanged(before, {
        phase: u.stream.phase,
        since,
        ...(u.stream.container !== undefined ? { container: u.stream.container } : {}),
        ...(u.stream.error !== undefined ? { error: u.stream.error } : {}),
      });
      if (next === before) return;
      d.logStreams(u.context)[u.source] = next;
      return;
    }
    case 'removeContext': {
      d.removeContext(u.context);
      return;
    }
  }
}

/** Apply a batch. Returns the same state object when nothing changed. */
export function applyUpdates(state: MeshState, updates: readonly StoreUpdate[], now: IsoTime): MeshState {
  const d = new StateDraft(state, now);
  for (const u of updates) applyOne(d, u);
  return d.result();
}

/** The facts of a context never fetched from: all empty. */
export const NO_FACTS: ContextFacts = EMPTY_FACTS;
