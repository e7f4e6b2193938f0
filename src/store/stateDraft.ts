// The copies one batch makes of the state (copy-on-write): each container on the path to a
// write — the context map, a context, its resources map, a resource, its objects map, a
// context's facts, the log signature map, the log tail map — is copied at most once per batch, on its first
// write. Reads see the batch so far. Deciding whether an update changes anything is the
// reducer's job (applyUpdates.ts): what is never written here is never copied.
import type { SignatureTable } from '../mesh/logSignatures.ts';
import type {
  ContextFacts,
  LogStreamState,
  LogTailLine,
  ContextId,
  ContextState,
  IsoTime,
  KubeObjectJson,
  MeshState,
  ObjectKey,
  ResourceId,
  ResourceState,
} from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function newContext(context: ContextId, now: IsoTime): ContextState {
  return { context, status: { phase: 'connecting', reasons: [], since: now }, resources: {} };
}

function newResource(resource: ResourceId): ResourceState {
  return { resource, sync: 'syncing', objects: {} };
}

export const EMPTY_FACTS: ContextFacts = { syncz: {}, license: {}, clusterz: {}, sourcePods: {} };

/** Copies made during one batch; each container is copied at most once per batch. */
export class StateDraft {
  readonly now: IsoTime;
  private readonly base: MeshState;
  private contexts: Mutable<MeshState['contexts']> | undefined;
  private facts: Mutable<MeshState['facts']> | undefined;
  private logs: Mutable<MeshState['logSignatures']> | undefined;
  private tails: Mutable<MeshState['logTail']> | undefined;
  private windows: Record<ContextId, IsoTime> | undefined;
  // What has already been copied in this batch (and may therefore be written in place).
  private readonly copiedContexts = new Set<ContextId>();
  private readonly copiedResourceMaps = new Set<ContextId>();
  private readonly copiedResources = new Set<string>();
  private readonly copiedObjectMaps = new Set<string>();
  private readonly copiedFacts = new Set<ContextId>();
  private readonly copiedLogStreams = new Set<ContextId>();

  constructor(base: MeshState, now: IsoTime) {
    this.base = base;
    this.now = now;
  }

  readContext(id: ContextId): ContextState | undefined {
    return (this.contexts ?? this.base.contexts)[id];
  }

  readResource(id: ContextId, resource: ResourceId): ResourceState | undefined {
    return this.readContext(id)?.resources[resource];
  }

  /** Create the context if it is new; an existing one is left as it is (not copied). */
  ensureContext(id: ContextId): void {
    if (this.readContext(id) === undefined) this.context(id);
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

  /**
   * A context's log stream phases, copied once per batch: the feed reports every pod of a
   * 500-node DaemonSet in one batch, and a copy per pod would make that batch quadratic.
   */
  logStreams(id: ContextId): Record<string, LogStreamState> {
    const ctx = this.context(id);
    if (!this.copiedLogStreams.has(id)) {
      ctx.logStreams = { ...ctx.logStreams };
      this.copiedLogStreams.add(id);
    }
    return ctx.logStreams as Record<string, LogStreamState>;
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

  readLogs(id: ContextId): SignatureTable | undefined {
    return (this.logs ?? this.base.logSignatures)[id];
  }

  logsForWrite(): Mutable<MeshState['logSignatures']> {
    this.logs ??= { ...this.base.logSignatures };
    return this.logs;
  }

  readTail(id: ContextId): readonly LogTailLine[] | undefined {
    return (this.tails ?? this.base.logTail)[id];
  }

  tailsForWrite(): Mutable<MeshState['logTail']> {
    this.tails ??= { ...this.base.logTail };
    return this.tails;
  }

  readWindow(id: ContextId): IsoTime | undefined {
    return (this.windows ?? this.base.logWindowSince)?.[id];
  }

  windowsForWrite(): Record<ContextId, IsoTime> {
    this.windows ??= { ...this.base.logWindowSince };
    return this.windows;
  }

  removeContext(id: ContextId): void {
    if (!(id in (this.contexts ?? this.base.contexts))) return;
    this.contexts ??= { ...this.base.contexts };
    delete this.contexts[id];
    this.copiedLogStreams.delete(id);
    this.facts ??= { ...this.base.facts };
    delete this.facts[id];
    this.logs ??= { ...this.base.logSignatures };
    delete this.logs[id];
    if (id in (this.tails ?? this.base.logTail)) {
      this.tails ??= { ...this.base.logTail };
      delete this.tails[id];
    }
    if (this.readWindow(id) !== undefined) delete this.windowsForWrite()[id];
    // A context re-added later in the same batch starts from scratch.
    this.copiedContexts.delete(id);
    this.copiedResourceMaps.delete(id);
    this.copiedFacts.delete(id);
    const prefix = `${id}\u0000`;
    for (const k of [...this.copiedResources]) if (k.startsWith(prefix)) this.copiedResources.delete(k);
    for (const k of [...this.copiedObjectMaps]) if (k.startsWith(prefix)) this.copiedObjectMaps.delete(k);
  }

  result(): MeshState {
    if (
      this.contexts === undefined &&
      this.facts === undefined &&
      this.logs === undefined &&
      this.tails === undefined &&
      this.windows === undefined
    )
      return this.base;
    const windows = this.windows ?? this.base.logWindowSince;
    return {
      contexts: this.contexts ?? this.base.contexts,
      facts: this.facts ?? this.base.facts,
      logSignatures: this.logs ?? this.base.logSignatures,
      logTail: this.tails ?? this.base.logTail,
      ...(windows !== undefined ? { logWindowSince: windows } : {}),
      updatedAt: this.now,
    };
  }
}
