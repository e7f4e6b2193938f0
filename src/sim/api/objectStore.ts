// The simulated cluster's storage: etcd plus the watch cache, in memory and synchronous.
// One resourceVersion counter per cluster (like etcd's revision). Stored objects are deeply
// frozen when written, so readers get them without copying and can never change the store.
// This file holds the CRUD; per-kind rules, listing and watching live in the files it imports.
import { randomUUID } from 'node:crypto';
import { MODIFIED_CONFLICT, alreadyExists, conflict, forbiddenObject, invalid, notFound } from './status.ts';
import { clusterIpsOf, applyDefaults } from './defaulting.ts';
import type { ClusterIpsInUse } from './defaulting.ts';
import { EventHistory } from './eventHistory.ts';
import { deepFreeze, frozenCopy, jsonCopy, withMeta } from './frozenJson.ts';
import {
  defaultsWhenSeeded,
  deletedState,
  isNamespaceType,
  isUndeletableNamespace,
  prepareForCreate,
  sameContent,
  specChanged,
  tracksGeneration,
} from './kindStrategies.ts';
import { updatedManagedFields } from './managedFields.ts';
import { now } from './metaTime.ts';
import { apiVersionOf } from './resources.ts';
import type { ResourceRegistry } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { listPage } from './storeList.ts';
import type { DeleteOptions, ListOptions, ListResult, StoreEvent, WatchOptions, WriteOptions } from './storeTypes.ts';
import { TypeBucket, scopeNamespace, typeKey } from './typeBucket.ts';
import type { KubeObject, ResourceType } from './types.ts';
import { invalidValue, validateObject } from './validation.ts';
import { WatchHub } from './watchHub.ts';

export type { DeleteOptions, ListOptions, ListResult, StoreEvent, WatchOptions, WriteOptions } from './storeTypes.ts';

/** Random suffix alphabet for generateName (no vowels, no look-alikes), as the real server uses. */
const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class ObjectStore {
  readonly #registry: ResourceRegistry;
  readonly #historyLimit: number;
  readonly #buckets = new Map<string, TypeBucket>();
  readonly #watches = new WatchHub();
  #rv = 0;
  /** The resourceVersion of the last seed or compaction: a type first touched later has no older history to miss. */
  #compactedAt = 0;

  constructor(registry: ResourceRegistry, opts?: { historyLimit?: number }) {
    this.#registry = registry;
    this.#historyLimit = Math.max(1, opts?.historyLimit ?? 1000);
  }

  currentResourceVersion(): string {
    return String(this.#rv);
  }

  #bucket(rt: ResourceType): TypeBucket {
    const key = typeKey(rt);
    let b = this.#buckets.get(key);
    if (!b) {
      b = new TypeBucket(rt, new EventHistory(this.#compactedAt, this.#historyLimit));
      this.#buckets.set(key, b);
    }
    return b;
  }

  /** Cluster IPs taken by the type's Services, for allocating a new one. */
  #clusterIpsInUse(rt: ResourceType): ClusterIpsInUse {
    return () => {
      const services: KubeObject[] = [];
      for (const names of this.#bucket(rt).byNamespace.values()) services.push(...names.values());
      return clusterIpsOf(services);
    };
  }

  // --- reads --------------------------------------------------------------------------------

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.#bucket(rt).lookup(scopeNamespace(rt, namespace), name);
    if (!obj) throw notFound(rt, name);
    return obj;
  }

  list(rt: ResourceType, opts: ListOptions): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, rt);
    return listPage(this.#bucket(rt), opts, { labels, fields }, this.#rv);
  }

  watch(rt: ResourceType, opts: WatchOptions, listener: (e: StoreEvent) => void): () => void {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, rt);
    const namespace = rt.namespaced ? opts.namespace || undefined : undefined;
    return this.#watches.open(this.#bucket(rt), { namespace, labels, fields, resourceVersion: opts.resourceVersion }, listener);
  }

  /** Number of stored objects of a type (cheap; for benchmarks and the sim's status line). */
  count(rt: ResourceType): number {
    return this.#bucket(rt).count;
  }

  // --- writes -------------------------------------------------------------------------------

  seed(objects: KubeObject[]): void {
    const namespacesFirst = [...objects].sort(
      (a, b) => Number(b.kind === 'Namespace' && b.apiVersion === 'v1') - Number(a.kind === 'Namespace' && a.apiVersion === 'v1'),
    );
    for (const input of namespacesFirst) {
      const rt = this.#registry.anyByKind(input.apiVersion, input.kind);
      if (!rt) throw new Error(`seed: no served type for ${input.apiVersion} ${input.kind} (${input.metadata.name})`);
      const meta = { ...input.metadata };
      if (!rt.namespaced) delete meta.namespace;
      meta.uid ??= randomUUID();
      meta.creationTimestamp ??= now();
      if (tracksGeneration(rt)) meta.generation ??= 1;
      if (isNamespaceType(rt)) meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
      meta.resourceVersion = String(++this.#rv);
      // Stored objects are always defaulted, so a first write does not look like a change.
      const obj = { ...input, metadata: meta };
      if (defaultsWhenSeeded(rt)) {
        const copy = jsonCopy(obj);
        applyDefaults(rt, copy, undefined, undefined);
        this.#bucket(rt).put(deepFreeze(copy));
      } else {
        this.#bucket(rt).put(frozenCopy(obj) as KubeObject);
      }
    }
    // Seeding is the initial state, not history: watches resume from here on.
    this.#compactTo(this.#rv);
  }

  create(rt: ResourceType, input: KubeObject, opts: WriteOptions): KubeObject {
    const obj = jsonCopy(input);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    obj.metadata ??= { name: '' };
    const meta = obj.metadata;
    if (!rt.namespaced) delete meta.namespace;
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
      meta.name = `${meta.generateName}${suffix}`;
    }
    applyDefaults(rt, obj, undefined, this.#clusterIpsInUse(rt));
    const causes = validateObject(rt, obj);
    if (causes.length > 0) throw invalid(rt, meta.name ?? '', causes);

    const b = this.#bucket(rt);
    const ns = scopeNamespace(rt, meta.namespace);
    if (rt.namespaced) {
      const nsType = this.#registry.byKind('v1', 'Namespace');
      if (nsType && !this.#bucket(nsType).lookup('', ns)) throw notFound(nsType, ns);
    }
    if (b.lookup(ns, meta.name)) throw alreadyExists(rt, meta.name);

    // System fields are the server's, whatever the client sent.
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (tracksGeneration(rt)) meta.generation = 1;
    else delete meta.generation;
    prepareForCreate(rt, obj);
    meta.managedFields = updatedManagedFields(undefined, rt, opts, undefined);
    if (meta.managedFields.length === 0) delete meta.managedFields;

    if (opts.dryRun) return deepFreeze(obj);
    meta.resourceVersion = String(++this.#rv);
    const stored = deepFreeze(obj);
    b.put(stored);
    this.#watches.record(b, 'ADDED', stored, undefined);
    return stored;
  }

  update(rt: ResourceType, input: KubeObject, opts: WriteOptions & { subresource?: 'status' }): KubeObject {
    const incoming = jsonCopy(input);
    incoming.metadata ??= { name: '' };
    const b = this.#bucket(rt);
    const ns = scopeNamespace(rt, incoming.metadata.namespace);
    const name = incoming.metadata.name;
    const old = b.lookup(ns, name);
    if (!old) throw notFound(rt, name);

    const givenRv = incoming.metadata.resourceVersion;
    if (givenRv) {
      if (givenRv !== old.metadata.resourceVersion) throw conflict(rt, name, MODIFIED_CONFLICT);
    } else if (rt.crd) {
      // Custom resources refuse unconditional updates; the real error names the resource, not the kind.
      throw invalid({ ...rt, kind: rt.plural }, name, [invalidValue('metadata.resourceVersion', 0, 'must be specified for an update')]);
    }
    const givenUid = incoming.metadata.uid;
    if (givenUid && givenUid !== old.metadata.uid) throw invalid(rt, name, [invalidValue('metadata.uid', givenUid, 'field is immutable')]);

    let next: KubeObject;
    if (opts.subresource === 'status') {
      // A status write changes status and nothing else.
      next = jsonCopy(old);
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else {
      next = incoming;
      next.apiVersion = apiVersionOf(rt);
      next.kind = rt.kind;
      if (rt.subresources.includes('status')) {
        if (old.status === undefined) delete next.status;
        else next.status = jsonCopy(old.status);
      }
      const meta = next.metadata;
      meta.name = old.metadata.name;
      if (rt.namespaced) meta.namespace = old.metadata.namespace;
      else delete meta.namespace;
      meta.uid = old.metadata.uid;
      meta.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
      else delete meta.generation;
      // An update can never set, move or clear a deletion timestamp.
      if (old.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = old.metadata.deletionTimestamp;
      else delete meta.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      else delete meta.deletionGracePeriodSeconds;
      if (isNamespaceType(rt)) {
        meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
        // spec.finalizers only change through /finalize.
        next.spec = jsonCopy(old.spec ?? {});
      }
      const clusterIpsInUse = this.#clusterIpsInUse(rt);
      applyDefaults(rt, next, old, clusterIpsInUse);
      const causes = validateObject(rt, next);
      if (causes.length > 0) throw invalid(rt, name, causes);
      if (tracksGeneration(rt) && specChanged(rt, old, next, clusterIpsInUse)) meta.generation = (old.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.metadata.managedFields = old.metadata.managedFields ? jsonCopy(old.metadata.managedFields) : [];

    if (sameContent(old, next)) return old;
    next.metadata.managedFields = updatedManagedFields(old.metadata.managedFields, rt, opts, opts.subresource);
    if (next.metadata.managedFields.length === 0) delete next.metadata.managedFields;

    // A terminating object whose last finalizer this update removes is deleted, as the real store
    // does. (A seeded terminating object without finalizers stays: it waits for its kubelet.)
    const finalizersGone =
      next.metadata.deletionTimestamp !== undefined &&
      (old.metadata.finalizers ?? []).length > 0 &&
      (next.metadata.finalizers ?? []).length === 0;
    if (opts.dryRun) return deepFreeze(next);
    next.metadata.resourceVersion = String(++this.#rv);
    const stored = deepFreeze(next);
    if (finalizersGone) {
      b.remove(ns, name);
      this.#watches.record(b, 'DELETED', stored, old);
    } else {
      b.put(stored);
      this.#watches.record(b, 'MODIFIED', stored, old);
    }
    return stored;
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): KubeObject {
    const b = this.#bucket(rt);
    const ns = scopeNamespace(rt, namespace);
    const old = b.lookup(ns, name);
    if (!old) throw notFound(rt, name);
    // BeforeDelete's early precondition check names the kind where the resource belongs.
    const byKind = { ...rt, plural: rt.kind };
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== old.metadata.uid)
      throw conflict(
        byKind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ''}). ` +
          `The object might have been deleted and then recreated`,
      );
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        byKind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion ` +
          `in record (${old.metadata.resourceVersion ?? ''}). The object might have been modified`,
      );
    const isNamespace = isNamespaceType(rt);
    if (isNamespace && isUndeletableNamespace(name)) throw forbiddenObject(rt, name, 'this namespace may not be deleted');

    const timestamp = old.metadata.deletionTimestamp ?? now();
    const finalizers = old.metadata.finalizers ?? [];
    if (!isNamespace && finalizers.length > 0) {
      // Finalizers hold the object: it is only marked, and goes when an update clears them.
      if (old.metadata.deletionTimestamp !== undefined) return old;
      const marked = withMeta(old, { deletionTimestamp: timestamp, deletionGracePeriodSeconds: 0 });
      if (opts.dryRun) return marked;
      const stored = withMeta(marked, { resourceVersion: String(++this.#rv) });
      b.put(stored);
      this.#watches.record(b, 'MODIFIED', stored, old);
      return stored;
    }

    const final = deletedState(rt, old, timestamp, opts.gracePeriodSeconds);
    if (opts.dryRun) return final;
    if (isNamespace) this.#emptyNamespace(name, timestamp);
    const stored = withMeta(final, { resourceVersion: String(++this.#rv) });
    b.remove(ns, name);
    this.#watches.record(b, 'DELETED', stored, old);
    return stored;
  }

  /** The namespace controller's job, done at once: everything in the namespace goes. */
  #emptyNamespace(namespace: string, timestamp: string): void {
    for (const b of this.#buckets.values()) {
      if (!b.rt.namespaced) continue;
      const names = b.byNamespace.get(namespace);
      if (!names) continue;
      for (const obj of [...names.values()]) {
        const final = deletedState(b.rt, obj, obj.metadata.deletionTimestamp ?? timestamp, 0);
        const stored = withMeta(final, { resourceVersion: String(++this.#rv) });
        b.remove(namespace, obj.metadata.name);
        this.#watches.record(b, 'DELETED', stored, obj);
      }
    }
  }

  /**
   * Deletes every object of a type, as removing its CRD does (the CRD's cleanup finalizer).
   * Watchers get DELETED events; the caller then marks the type not installed.
   */
  removeAll(rt: ResourceType): void {
    const b = this.#bucket(rt);
    for (const sk of [...b.sorted(undefined)]) {
      const obj = b.lookup(sk.namespace, sk.name);
      if (!obj) continue;
      const stored = withMeta(obj, { resourceVersion: String(++this.#rv) });
      b.remove(sk.namespace, sk.name);
      this.#watches.record(b, 'DELETED', stored, obj);
    }
  }

  // --- history ------------------------------------------------------------------------------

  /** Forgets all history: every watch resumed from an older resourceVersion now gets 410. */
  compact(): void {
    this.#compactTo(this.#rv);
  }

  #compactTo(rv: number): void {
    this.#compactedAt = rv;
    for (const b of this.#buckets.values()) b.history.compactTo(rv);
  }
}
