// The store's reducer: (state, updates, now) → next state, pure. A batch of thousands of
// updates copies each touched container once (copy-on-write), so untouched contexts,
// resources and objects keep their references and React skips them.
import { aggregateRecords } from '../mesh/logSignatures.ts';
import { keyOf } from './objectKey.ts';
import { sanitizeObject } from './sanitizeObject.ts';
import type {
  ContextFacts,
  ContextId,
  ContextState,
  IsoTime,
  KubeObjectJson,
  MeshState,
  ObjectKey,
  ResourceId,
  ResourceState,
} from './types.ts';
import type { StoreUpdate, StoreWatchEvent } from './updates.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  return { contexts: {}, facts: {}, logSignatures: {}, updatedAt: now };
}

function newContext(context: ContextId, now: IsoTime): ContextState {
  return { context, status: { phase: 'connecting', reasons: [], since: now }, resources: {} };
}

function newResource(resource: ResourceId): ResourceState {
  return { resource, sync: 'syncing', objects: {} };
}

const EMPTY_FACTS: ContextFacts = { syncz: {}, license: {}, clusterz: {}, sourcePods: {} };

/** Copies made during one batch; each container is copied at most once per batch. */
class Draft {
  readonly now: IsoTime;
  private readonly base: MeshState;
  private contexts: Mutable<MeshState['contexts']> | undefined;
  private facts: Mutable<MeshState['facts']> | undefined;
  private logs: Mutable<MeshState['logSignatures']> | undefined;
  // What has already been copied in this batch (and may therefore be written in place).
  private readonly copiedContexts = new Set<ContextId>();
  private readonly copiedResourceMaps = new Set<ContextId>();
  private readonly copiedResources = new Set<string>();
  private readonly copiedObjectMaps = new Set<string>();
  private readonly copiedFacts = new Set<ContextId>();

  constructor(base: MeshState, now: IsoTime) {
    this.base = base;
    this.now = now;
  }

  /** A context state that may be written, created on first mention. */
  context(id: ContextId): Mutable<ContextState> {
    this.contexts ??= { ...this.base.contexts };
    const existing = this.contexts[id];
    if (existing && this.copiedContexts.has(id)) return existing;
    const copy: Mutable<ContextState> = existing ? { ...existing } : newContext(id, this.now);
    this.contexts[id] = copy;
    this.copiedContexts.add(id);
    return copy;
  }

  resource(id: ContextId, resource: ResourceId): Mutable<ResourceState> {
    const ctx = this.context(id);
    if (!this.copiedResourceMaps.has(id)) {
      ctx.resources = { ...ctx.resources };
      this.copiedResourceMaps.add(id);
    }
    const resources = ctx.resources as Record<ResourceId, ResourceState>;
    const key = `${id}\u0000${resource}`;
    const existing = resources[resource];
    if (existing && this.copiedResources.has(key)) return existing;
    const copy: Mutable<ResourceState> = existing ? { ...existing } : newResource(resource);
    resources[resource] = copy;
    this.copiedResources.add(key);
    return copy;
  }

  /** The objects record of a resource, copied once per batch. */
  objects(id: ContextId, resource: ResourceId): Record<ObjectKey, KubeObjectJson> {
    const res = this.resource(id, resource);
    const key = `${id}\u0000${resource}`;
    if (!this.copiedObjectMaps.has(key)) {
      res.objects = { ...res.objects };
      this.copiedObjectMaps.add(key);
    }
    return res.objects;
  }

  /** Replace a resource's objects wholesale (after a relist). */
  replaceObjects(id: ContextId, resource: ResourceId, objects: Record<ObjectKey, KubeObjectJson>): void {
    this.resource(id, resource).objects = objects;
    this.copiedObjectMaps.add(`${id}\u0000${resource}`);
  }

  readFacts(id: ContextId): ContextFacts | undefined {
    return (this.facts ?? this.base.facts)[id];
  }

  factsForWrite(id: ContextId): Mutable<ContextFacts> {
    this.facts ??= { ...this.base.facts };
    const existing = this.facts[id] ?? EMPTY_FACTS;
    if (this.copiedFacts.has(id)) return existing;
    const copy: Mutable<ContextFacts> = { ...existing };
    this.facts[id] = copy;
    this.copiedFacts.add(id);
    return copy;
  }

  logsForWrite(): Mutable<MeshState['logSignatures']> {
    this.logs ??= { ...this.base.logSignatures };
    return this.logs;
  }

  removeContext(id: ContextId): void {
    if (!(id in (this.contexts ?? this.base.contexts))) return;
    this.contexts ??= { ...this.base.contexts };
    delete this.contexts[id];
    this.facts ??= { ...this.base.facts };
    delete this.facts[id];
    this.logs ??= { ...this.base.logSignatures };
    delete this.logs[id];
    // A context re-added later in the same batch starts from scratch.
    this.copiedContexts.delete(id);
    this.copiedResourceMaps.delete(id);
    this.copiedFacts.delete(id);
    const prefix = `${id}\u0000`;
    for (const k of [...this.copiedResources]) if (k.startsWith(prefix)) this.copiedResources.delete(k);
    for (const k of [...this.copiedObjectMaps]) if (k.startsWith(prefix)) this.copiedObjectMaps.delete(k);
  }

  result(): MeshState {
    if (this.contexts === undefined && this.facts === undefined && this.logs === undefined) return this.base;
    return {
      contexts: this.contexts ?? this.base.contexts,
      facts: this.facts ?? this.base.facts,
      logSignatures: this.logs ?? this.base.logSignatures,
      updatedAt: this.now,
    };
  }
}

function applyOne(d: Draft, u: StoreUpdate): void {
  switch (u.type) {
    case 'watchEvents': {
      if (u.events.length === 0) return;
      const objects = d.objects(u.context, u.resource);
      const res = d.resource(u.context, u.resource);
      // Only the last event per object decides what is stored, so walk backwards and skip
      // earlier ones: a storm of MODIFIED events for one object is sanitized once.
      const done = new Set<ObjectKey>();
      let bookmarked = false;
      for (let i = u.events.length - 1; i >= 0; i--) {
        const ev = u.events[i] as StoreWatchEvent;
        if (ev.type === 'BOOKMARK') {
          const rv = (ev.object as Partial<KubeObjectJson> | undefined)?.metadata?.resourceVersion;
          if (!bookmarked && rv !== undefined) res.resourceVersion = rv;
          bookmarked = true;
          continue;
        }
        if (!isAddressable(ev.object)) continue;
        const key = keyOf(ev.object);
        if (done.has(key)) continue;
        done.add(key);
        if (ev.type === 'DELETED') delete objects[key];
        else objects[key] = sanitizeObject(ev.object);
      }
      res.lastEventAt = d.now;
      // Events flowing again means the watch is alive.
      if (res.sync === 'stale' || res.sync === 'syncing') res.sync = 'synced';
      return;
    }
    case 'relist': {
      const objects: Record<ObjectKey, KubeObjectJson> = {};
      for (const obj of u.objects) if (isAddressable(obj)) objects[keyOf(obj)] = sanitizeObject(obj);
      d.replaceObjects(u.context, u.resource, objects);
      const res = d.resource(u.context, u.resource);
      res.sync = 'synced';
      res.lastEventAt = d.now;
      delete res.error;
      if (u.resourceVersion !== undefined) res.resourceVersion = u.resourceVersion;
      return;
    }
    case 'resourceSync': {
      const res = d.resource(u.context, u.resource);
      res.sync = u.sync;
      if (u.error) res.error = u.error;
      else if (u.sync === 'synced' || u.sync === 'syncing') delete res.error;
      // A resource that is forbidden or not installed holds nothing we can trust.
      if (u.sync === 'forbidden' || u.sync === 'notInstalled') d.replaceObjects(u.context, u.resource, {});
      return;
    }
    case 'contextStatus': {
      const ctx = d.context(u.context);
      const reasons = u.reasons ?? [];
      const same = ctx.status.phase === u.phase && ctx.status.reasons.join('\n') === reasons.join('\n');
      // `since` says how long the context has been in this state, so it moves only on change.
      if (!same) ctx.status = { phase: u.phase, reasons: [...reasons], since: d.now };
      if (u.error) ctx.lastError = u.error;
      return;
    }
    case 'clusterId': {
      d.context(u.context).clusterId = u.clusterId;
      return;
    }
    case 'fact': {
      // Facts exist only for contexts the store knows; mention creates it.
      d.context(u.context);
      const facts = d.factsForWrite(u.context);
      if (u.kind === 'syncz') facts.syncz = { ...facts.syncz, [u.istiodPod]: u.fact };
      else if (u.kind === 'license') facts.license = { ...facts.license, [u.istiodPod]: u.fact };
      else if (u.kind === 'sourcePods') facts.sourcePods = { ...facts.sourcePods, [u.istiodPod]: u.fact };
      else facts.clusterz = { ...facts.clusterz, [u.istiodPod]: u.fact };
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
      d.context(u.context);
      const logs = d.logsForWrite();
      const before = logs[u.context] ?? {};
      const after = aggregateRecords(before, u.records, {
        context: u.context,
        seenAt: d.now,
        ...(u.source !== undefined ? { source: u.source } : {}),
      });
      if (after !== before || logs[u.context] === undefined) logs[u.context] = after;
      return;
    }
    case 'logStream': {
      const ctx = d.context(u.context);
      const streams = { ...ctx.logStreams };
      const before = streams[u.source];
      if (!u.stream) {
        if (!before) return;
        delete streams[u.source];
      } else {
        // `since` says how long it has been in this phase, so it moves only when the phase does.
        const since = before?.phase === u.stream.phase ? before.since : d.now;
        streams[u.source] = {
          phase: u.stream.phase,
          since,
          ...(u.stream.container !== undefined ? { container: u.stream.container } : {}),
          ...(u.stream.error !== undefined ? { error: u.stream.error } : {}),
        };
      }
      ctx.logStreams = streams;
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
  const d = new Draft(state, now);
  for (const u of updates) applyOne(d, u);
  return d.result();
}

/** The facts of a context never fetched from: all empty. */
export const NO_FACTS: ContextFacts = EMPTY_FACTS;
