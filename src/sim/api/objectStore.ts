// The simulated cluster's storage: etcd plus the watch cache, in memory and synchronous.
// One resourceVersion counter per cluster (like etcd's revision). Stored objects are deeply
// frozen when written, so readers get them without copying and can never change the store.
import { randomUUID } from 'node:crypto';
import type { ApiError } from './status.ts';
import {
  MODIFIED_CONFLICT,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbiddenObject,
  invalid,
  notFound,
  tooLargeResourceVersion,
} from './status.ts';
import { apiVersionOf } from './resources.ts';
import type { ResourceRegistry } from './resources.ts';
import { parseFieldSelector, parseLabelSelector, selectableFields } from './selectors.ts';
import type { FieldSelector, LabelSelector } from './selectors.ts';
import { invalidValue, validateObject } from './validation.ts';
import type { JsonObject, KubeObject, ResourceType } from './types.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Absent, '' or '0': the latest state. A number: at least that new, or exactly it with resourceVersionMatch 'Exact'. */
  resourceVersion?: string;
  resourceVersionMatch?: string;
}
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** managedFields operation; 'Apply' for server-side apply patches. Defaults to 'Update'. */
  fieldOperation?: 'Update' | 'Apply';
}
export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}
export type StoreEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };

/** A storage key relative to the listed scope ('ns/name' across namespaces, else 'name'), and where it lives. */
interface SortedKey {
  key: string;
  namespace: string;
  name: string;
}

/** One write as the watch cache remembers it: the object after, and before (MODIFIED/DELETED). */
interface HistoryEntry {
  rv: number;
  type: StoreEvent['type'];
  key: string;
  namespace: string;
  object: KubeObject;
  prev: KubeObject | undefined;
}

interface Watcher {
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  listener: (e: StoreEvent) => void;
  active: boolean;
}

/** Everything stored for one resource type. */
class TypeBucket {
  readonly rt: ResourceType;
  /** namespace ('' for cluster-scoped) → name → frozen object */
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  /** Sorted storage keys per namespace ('*' for all); dropped when a key is added or removed. */
  readonly sortedKeys = new Map<string, SortedKey[]>();
  readonly watchers: Watcher[] = [];
  history: HistoryEntry[] = [];
  /** Every event with rv > historyStart is in history; older ones are compacted away. */
  historyStart = 0;
  count = 0;

  constructor(rt: ResourceType) {
    this.rt = rt;
  }
}

const CONTINUE_VERSION = 'meta.k8s.io/v1';

const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Kinds whose metadata.generation the real server maintains (built-ins with a spec it tracks, and every CR). */
const GENERATION_KINDS = new Set(['/Pod', 'apps/Deployment', 'apps/DaemonSet']);

/** Namespaces the NamespaceLifecycle admission plugin refuses to delete. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Random suffix alphabet for generateName (no vowels, no look-alikes), as the real server uses. */
const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

let cachedSecond = -1;
let cachedTimestamp = '';
/** RFC 3339 without fractions, as metav1.Time serialises; cached per second (bulk loads call it a lot). */
function now(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTimestamp = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return cachedTimestamp;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A mutable JSON copy of what a caller handed us: undefined members are dropped like
 * JSON.stringify would, without the cost of a string round trip.
 */
function jsonCopy<T>(value: T): T {
  return copyJson(value) as T;
}

/** Copy and deep-freeze in one pass (bulk loads). */
function frozenCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v) => (v === undefined ? null : frozenCopy(v))));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return deepFreeze(JSON.parse(JSON.stringify(value)) as unknown);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'function') out[k] = frozenCopy(v);
  }
  return Object.freeze(out);
}

function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : copyJson(v)));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value)) as unknown;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'function') out[k] = copyJson(v);
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

function typeKey(rt: ResourceType): string {
  return `${rt.group}/${rt.kind}`;
}

/** A copy of a frozen object with a few metadata fields replaced; nested parts stay shared and frozen. */
function withMeta(obj: KubeObject, meta: Partial<KubeObject['metadata']>): KubeObject {
  return Object.freeze({ ...obj, metadata: Object.freeze({ ...obj.metadata, ...meta }) });
}

/** Go's RawURLEncoding of the JSON continue token, as the real storage layer writes it. */
function encodeContinue(rv: number, startKey: string): string {
  return Buffer.from(JSON.stringify({ v: CONTINUE_VERSION, rv, start: startKey })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  const bad = (why: string): ApiError => badRequest(`invalid continue token: continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
  if (parsed === null || typeof parsed !== 'object') throw bad('not a token');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== CONTINUE_VERSION) throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(v)}`);
  if (typeof rv !== 'number' || rv === 0) throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || start === '') throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  return { rv, start };
}

function qosClass(spec: unknown): string {
  const containers = [
    ...((spec as { containers?: unknown[] } | undefined)?.containers ?? []),
    ...((spec as { initContainers?: unknown[] } | undefined)?.initContainers ?? []),
  ] as { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined || limits[r] !== undefined) any = true;
      const request = requests[r] ?? limits[r];
      if (limits[r] === undefined || request !== limits[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

// --- defaulting (what the real server's SetDefaults_* functions fill in) -----------------------

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function asList(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((e): e is Obj => asObj(e) !== undefined) : [];
}

function defaultContainer(c: Obj): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined) {
    const image = typeof c.image === 'string' ? c.image : '';
    const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
    c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  for (const port of asList(c.ports)) port.protocol ??= 'TCP';
}

function defaultPodSpec(spec: Obj): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const list of ['containers', 'initContainers']) for (const c of asList(spec[list])) defaultContainer(c);
}

function randomIp(): string {
  // kubeadm's default service range, 10.96.0.0/12, skipping the network and the first few addresses.
  const n = 10 + Math.floor(Math.random() * ((1 << 20) - 12));
  return `10.${96 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}`;
}

function defaultServiceSpec(spec: Obj, old: Obj | undefined, used: Set<string>): void {
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const port of asList(spec.ports)) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port ?? 0;
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && port.nodePort === undefined)
      port.nodePort = 30000 + Math.floor(Math.random() * 2768);
  }
  if (spec.type === 'ExternalName') return;
  // A cluster IP is allocated once and never changes; an update that omits it keeps the old one.
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    let ip = typeof old?.clusterIP === 'string' ? old.clusterIP : '';
    while (!ip || used.has(ip)) ip = randomIp();
    spec.clusterIP = ip;
  }
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function defaultWorkloadSpec(kind: string, spec: Obj): void {
  spec.revisionHistoryLimit ??= 10;
  if (kind === 'Deployment') {
    spec.replicas ??= 1;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
  } else {
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  }
  const podSpec = asObj(asObj(spec.template)?.spec);
  if (podSpec) defaultPodSpec(podSpec);
}

export class ObjectStore {
  readonly #registry: ResourceRegistry;
  readonly #historyLimit: number;
  readonly #buckets = new Map<string, TypeBucket>();
  #rv = 0;
  /** The resourceVersion of the last seed or compaction: a type first touched later has no older history to miss. */
  #compactedAt = 0;
  /** Events raised while listeners run are queued so every watcher sees them in rv order. */
  readonly #pending: { bucket: TypeBucket; entry: HistoryEntry }[] = [];
  #delivering = false;

  constructor(registry: ResourceRegistry, opts?: { historyLimit?: number }) {
    this.#registry = registry;
    this.#historyLimit = Math.max(1, opts?.historyLimit ?? 1000);
  }

  currentResourceVersion(): string {
    return String(this.#rv);
  }

  // --- buckets and keys ---------------------------------------------------------------------

  #bucket(rt: ResourceType): TypeBucket {
    const key = typeKey(rt);
    let b = this.#buckets.get(key);
    if (!b) {
      b = new TypeBucket(rt);
      b.historyStart = this.#compactedAt;
      this.#buckets.set(key, b);
    }
    return b;
  }

  #scopeNamespace(rt: ResourceType, namespace: string | undefined): string {
    return rt.namespaced ? (namespace ?? '') : '';
  }

  #storageKey(rt: ResourceType, namespace: string, name: string): string {
    return rt.namespaced ? `${namespace}/${name}` : name;
  }

  #lookup(b: TypeBucket, namespace: string, name: string): KubeObject | undefined {
    return b.byNamespace.get(namespace)?.get(name);
  }

  #put(b: TypeBucket, obj: KubeObject): void {
    const ns = this.#scopeNamespace(b.rt, obj.metadata.namespace);
    let names = b.byNamespace.get(ns);
    if (!names) {
      names = new Map();
      b.byNamespace.set(ns, names);
    }
    if (!names.has(obj.metadata.name)) {
      b.count++;
      b.sortedKeys.delete(ns);
      b.sortedKeys.delete('*');
    }
    names.set(obj.metadata.name, obj);
  }

  #remove(b: TypeBucket, namespace: string, name: string): void {
    const names = b.byNamespace.get(namespace);
    if (names?.delete(name)) {
      b.count--;
      if (names.size === 0) b.byNamespace.delete(namespace);
      b.sortedKeys.delete(namespace);
      b.sortedKeys.delete('*');
    }
  }

  /** Storage keys in etcd order: all namespaces ('ns/name'), or one namespace ('name'), or cluster scope. */
  #sorted(b: TypeBucket, namespace: string | undefined): SortedKey[] {
    const scope = b.rt.namespaced && namespace === undefined ? '*' : (namespace ?? '');
    let keys = b.sortedKeys.get(scope);
    if (!keys) {
      keys = [];
      if (scope === '*') {
        for (const [ns, names] of b.byNamespace) for (const name of names.keys()) keys.push({ key: `${ns}/${name}`, namespace: ns, name });
      } else {
        for (const name of b.byNamespace.get(scope)?.keys() ?? []) keys.push({ key: name, namespace: scope, name });
      }
      keys.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      b.sortedKeys.set(scope, keys);
    }
    return keys;
  }

  // --- reads --------------------------------------------------------------------------------

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.#lookup(this.#bucket(rt), this.#scopeNamespace(rt, namespace), name);
    if (!obj) throw notFound(rt, name);
    return obj;
  }

  list(rt: ResourceType, opts: ListOptions): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, rt);
    const b = this.#bucket(rt);
    const namespace = rt.namespaced ? opts.namespace || undefined : undefined;
    const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : undefined;

    let rv = this.#rv;
    let start: string | undefined;
    const asked = opts.resourceVersion;
    if (asked !== undefined && asked !== '' && asked !== '0') {
      const n = this.#parseResourceVersion(rt, asked);
      if (n > this.#rv) throw tooLargeResourceVersion(n, this.#rv);
      if (opts.resourceVersionMatch === 'Exact') {
        if (n < b.historyStart) throw expired('The resourceVersion for the provided list is too old.');
        rv = n;
      }
    }
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      start = token.start;
      if (token.rv !== -1) {
        if (token.rv < b.historyStart) {
          // The snapshot the token points at is compacted; offer a token that continues at "now".
          throw expired(INCONSISTENT_CONTINUE, encodeContinue(-1, start));
        }
        rv = token.rv;
      }
    }

    const view = this.#snapshot(b, namespace, rv, start);
    const matches = (obj: KubeObject): boolean =>
      labels.matches(obj.metadata.labels) && (fields.requirements.length === 0 || fields.matches(selectableFields(rt, obj)));

    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    let i = view.from;
    for (; i < view.keys.length; i++) {
      const sk = view.keys[i];
      const obj = sk && view.get(sk);
      if (!sk || !obj || !matches(obj)) continue;
      if (limit !== undefined && items.length === limit) break;
      items.push(obj);
      lastKey = sk.key;
    }
    const result: ListResult = { items, resourceVersion: String(rv) };
    if (limit !== undefined && i < view.keys.length && lastKey !== undefined) {
      result.continue = encodeContinue(rv, `${lastKey}\u0000`);
      // Like etcd, the count of what remains is only given when nothing filters it.
      if (labels.requirements.length === 0 && fields.requirements.length === 0) {
        let remaining = view.keys.length - i;
        if (view.exact === false) {
          remaining = 0;
          for (let j = i; j < view.keys.length; j++) {
            const sk = view.keys[j];
            if (sk && view.get(sk)) remaining++;
          }
        }
        result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  /**
   * The keys (from index `from`, all ≥ start) and their objects as of resourceVersion rv: the
   * current state with every later event undone from history, which keeps each write's
   * previous object. `exact` says every key has an object (no undone creations).
   */
  #snapshot(
    b: TypeBucket,
    namespace: string | undefined,
    rv: number,
    start: string | undefined,
  ): { keys: SortedKey[]; from: number; exact: boolean; get(sk: SortedKey): KubeObject | undefined } {
    const current = this.#sorted(b, namespace);
    const from = start === undefined ? 0 : lowerBound(current, start);
    const live = (sk: SortedKey): KubeObject | undefined => this.#lookup(b, sk.namespace, sk.name);
    const overrides = new Map<string, { sk: SortedKey; obj: KubeObject | undefined }>();
    if (rv < this.#rv) {
      for (let i = b.history.length - 1; i >= 0; i--) {
        const e = b.history[i];
        if (!e || e.rv <= rv) break;
        if (namespace !== undefined && b.rt.namespaced && e.namespace !== namespace) continue;
        const key = b.rt.namespaced && namespace !== undefined ? e.object.metadata.name : e.key;
        if (start !== undefined && key < start) continue;
        const sk = { key, namespace: e.namespace, name: e.object.metadata.name };
        overrides.set(key, { sk, obj: e.type === 'ADDED' ? undefined : e.prev });
      }
    }
    if (overrides.size === 0) return { keys: current, from, exact: true, get: live };
    const merged = new Map<string, SortedKey>();
    for (let i = from; i < current.length; i++) {
      const sk = current[i];
      if (sk) merged.set(sk.key, sk);
    }
    for (const { sk } of overrides.values()) merged.set(sk.key, sk);
    const keys = [...merged.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    return {
      keys,
      from: 0,
      exact: false,
      get: (sk) => {
        const o = overrides.get(sk.key);
        return o ? o.obj : live(sk);
      },
    };
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
      if (this.#tracksGeneration(rt)) meta.generation ??= 1;
      if (rt.group === '' && rt.kind === 'Namespace') meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
      meta.resourceVersion = String(++this.#rv);
      this.#put(this.#bucket(rt), frozenCopy({ ...input, metadata: meta }) as KubeObject);
    }
    // Seeding is the initial state, not history: watches resume from here on.
    this.#compactedAt = this.#rv;
    for (const b of this.#buckets.values()) {
      b.history = [];
      b.historyStart = this.#rv;
    }
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
    this.#applyDefaults(rt, obj, undefined);
    const causes = validateObject(rt, obj);
    if (causes.length > 0) throw invalid(rt, meta.name ?? '', causes);

    const b = this.#bucket(rt);
    const ns = this.#scopeNamespace(rt, meta.namespace);
    if (rt.namespaced) {
      const nsType = this.#registry.byKind('v1', 'Namespace');
      if (nsType && !this.#lookup(this.#bucket(nsType), '', ns)) throw notFound(nsType, ns);
    }
    if (this.#lookup(b, ns, meta.name)) throw alreadyExists(rt, meta.name);

    // System fields are the server's, whatever the client sent.
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.#tracksGeneration(rt)) meta.generation = 1;
    else delete meta.generation;
    this.#prepareForCreate(rt, obj);
    meta.managedFields = this.#managedFields(undefined, rt, opts, undefined);
    if (meta.managedFields.length === 0) delete meta.managedFields;

    if (opts.dryRun) return deepFreeze(obj);
    meta.resourceVersion = String(++this.#rv);
    const stored = deepFreeze(obj);
    this.#put(b, stored);
    this.#record(b, 'ADDED', stored, undefined);
    return stored;
  }

  update(rt: ResourceType, input: KubeObject, opts: WriteOptions & { subresource?: 'status' }): KubeObject {
    const incoming = jsonCopy(input);
    incoming.metadata ??= { name: '' };
    const b = this.#bucket(rt);
    const ns = this.#scopeNamespace(rt, incoming.metadata.namespace);
    const name = incoming.metadata.name;
    const old = this.#lookup(b, ns, name);
    if (!old) throw notFound(rt, name);

    const givenRv = incoming.metadata.resourceVersion;
    if (givenRv) {
      if (givenRv !== old.metadata.resourceVersion) throw conflict(rt, name, MODIFIED_CONFLICT);
    } else if (rt.crd) {
      // Custom resources refuse unconditional updates; the real error names the resource, not the kind.
      throw invalid({ ...rt, kind: rt.plural }, name, [invalidValue('metadata.resourceVersion', 0, 'must be specified for an update')]);
    }
    const givenUid = incoming.metadata.uid;
    if (givenUid && givenUid !== old.metadata.uid)
      throw invalid(rt, name, [invalidValue('metadata.uid', givenUid, 'field is immutable')]);

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
      if (old.metadata.deletionGracePeriodSeconds !== undefined)
        meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      else delete meta.deletionGracePeriodSeconds;
      if (rt.group === '' && rt.kind === 'Namespace') {
        meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
        // spec.finalizers only change through /finalize.
        next.spec = jsonCopy(old.spec ?? {});
      }
      this.#applyDefaults(rt, next, old);
      const causes = validateObject(rt, next);
      if (causes.length > 0) throw invalid(rt, name, causes);
      if (this.#tracksGeneration(rt) && this.#specChanged(rt, old, next)) meta.generation = (old.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.metadata.managedFields = old.metadata.managedFields ? jsonCopy(old.metadata.managedFields) : [];

    if (this.#sameContent(old, next)) return old;
    next.metadata.managedFields = this.#managedFields(old.metadata.managedFields, rt, opts, opts.subresource);
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
      this.#remove(b, ns, name);
      this.#record(b, 'DELETED', stored, old);
    } else {
      this.#put(b, stored);
      this.#record(b, 'MODIFIED', stored, old);
    }
    return stored;
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): KubeObject {
    const b = this.#bucket(rt);
    const ns = this.#scopeNamespace(rt, namespace);
    const old = this.#lookup(b, ns, name);
    if (!old) throw notFound(rt, name);
    // BeforeDelete's early precondition check names the kind where the resource belongs.
    const byKind = { ...rt, plural: rt.kind };
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== old.metadata.uid)
      throw conflict(
        byKind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
      );
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        byKind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion ?? ''}). The object might have been modified`,
      );
    const isNamespace = rt.group === '' && rt.kind === 'Namespace';
    if (isNamespace && UNDELETABLE_NAMESPACES.has(name)) throw forbiddenObject(rt, name, 'this namespace may not be deleted');

    const timestamp = old.metadata.deletionTimestamp ?? now();
    const finalizers = old.metadata.finalizers ?? [];
    if (!isNamespace && finalizers.length > 0) {
      // Finalizers hold the object: it is only marked, and goes when an update clears them.
      if (old.metadata.deletionTimestamp !== undefined) return old;
      const marked = withMeta(old, { deletionTimestamp: timestamp, deletionGracePeriodSeconds: 0 });
      if (opts.dryRun) return marked;
      const stored = withMeta(marked, { resourceVersion: String(++this.#rv) });
      this.#put(b, stored);
      this.#record(b, 'MODIFIED', stored, old);
      return stored;
    }

    const final = this.#finalState(rt, old, timestamp, opts.gracePeriodSeconds);
    if (opts.dryRun) return final;
    if (isNamespace) this.#emptyNamespace(name, timestamp);
    const stored = withMeta(final, { resourceVersion: String(++this.#rv) });
    this.#remove(b, ns, name);
    this.#record(b, 'DELETED', stored, old);
    return stored;
  }

  /** What the last event and the delete response show: pods and namespaces are deleted gracefully. */
  #finalState(rt: ResourceType, old: KubeObject, timestamp: string, grace: number | undefined): KubeObject {
    if (rt.group === '' && rt.kind === 'Pod') {
      const spec = old.spec as { terminationGracePeriodSeconds?: number } | undefined;
      return withMeta(old, {
        deletionTimestamp: timestamp,
        deletionGracePeriodSeconds: grace ?? spec?.terminationGracePeriodSeconds ?? 30,
      });
    }
    if (rt.group === '' && rt.kind === 'Namespace') {
      const status = { ...((old.status as JsonObject | undefined) ?? {}), phase: 'Terminating' };
      return deepFreeze({ ...withMeta(old, { deletionTimestamp: timestamp }), status });
    }
    return old;
  }

  /** The namespace controller's job, done at once: everything in the namespace goes. */
  #emptyNamespace(namespace: string, timestamp: string): void {
    for (const b of this.#buckets.values()) {
      if (!b.rt.namespaced) continue;
      const names = b.byNamespace.get(namespace);
      if (!names) continue;
      for (const obj of [...names.values()]) {
        const final = this.#finalState(b.rt, obj, obj.metadata.deletionTimestamp ?? timestamp, 0);
        const stored = withMeta(final, { resourceVersion: String(++this.#rv) });
        this.#remove(b, namespace, obj.metadata.name);
        this.#record(b, 'DELETED', stored, obj);
      }
    }
  }

  #tracksGeneration(rt: ResourceType): boolean {
    return rt.crd || GENERATION_KINDS.has(typeKey(rt));
  }

  /** Built-ins bump generation on spec changes; custom resources on anything but metadata (and status when it is a subresource). */
  #specChanged(rt: ResourceType, old: KubeObject, next: KubeObject): boolean {
    if (!rt.crd) {
      // Seeded objects may lack defaults; filling them in is not a spec change.
      const oldDefaulted = jsonCopy(old);
      this.#applyDefaults(rt, oldDefaulted, old);
      return !deepEqual(oldDefaulted.spec, next.spec);
    }
    const ignored = new Set(['metadata', 'apiVersion', 'kind']);
    if (rt.subresources.includes('status')) ignored.add('status');
    const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
    for (const k of keys) if (!ignored.has(k) && !deepEqual(old[k], next[k])) return true;
    return false;
  }

  /** Equal apart from resourceVersion and managedFields: the write is a no-op. */
  #sameContent(old: KubeObject, next: KubeObject): boolean {
    const strip = (o: KubeObject): KubeObject => ({
      ...o,
      metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined },
    });
    return deepEqual(strip(old), strip(next));
  }

  /** Defaulting runs on every write of the main resource, as decoding does in the real server. */
  #applyDefaults(rt: ResourceType, obj: KubeObject, old: KubeObject | undefined): void {
    const spec = asObj(obj.spec);
    if (!spec || rt.crd) return;
    switch (typeKey(rt)) {
      case '/Pod':
        defaultPodSpec(spec);
        return;
      case '/Service': {
        const used = new Set<string>();
        for (const names of this.#bucket(rt).byNamespace.values())
          for (const svc of names.values()) {
            const ip = asObj(svc.spec)?.clusterIP;
            if (typeof ip === 'string') used.add(ip);
          }
        defaultServiceSpec(spec, asObj(old?.spec), used);
        return;
      }
      case 'apps/Deployment':
      case 'apps/DaemonSet':
        defaultWorkloadSpec(rt.kind, spec);
        return;
    }
  }

  /** What each kind's create strategy does to status (and a Namespace's spec) before storing. */
  #prepareForCreate(rt: ResourceType, obj: KubeObject): void {
    switch (typeKey(rt)) {
      case '/Namespace':
        obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
        obj.spec = { finalizers: ['kubernetes'] };
        obj.status = { phase: 'Active' };
        return;
      case '/Pod':
        obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
        return;
      case '/Service':
        obj.status = { loadBalancer: {} };
        return;
      case 'apps/Deployment':
      case 'apps/DaemonSet':
        obj.status = {};
        return;
      case '/Node':
        // Nodes may set status on create (the kubelet registers itself that way).
        return;
      default:
        if (rt.crd && rt.subresources.includes('status')) delete obj.status;
    }
  }

  /** managedFields: one entry per manager, operation and subresource, replaced on each write. */
  #managedFields(
    existing: readonly JsonObject[] | undefined,
    rt: ResourceType,
    opts: WriteOptions,
    subresource: string | undefined,
  ): JsonObject[] {
    const entries = existing ? (jsonCopy(existing) as JsonObject[]) : [];
    if (!opts.fieldManager) return entries;
    const operation = opts.fieldOperation ?? 'Update';
    const entry: JsonObject = {
      manager: opts.fieldManager,
      operation,
      apiVersion: apiVersionOf(rt),
      time: now(),
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    };
    if (subresource) entry.subresource = subresource;
    const same = (e: JsonObject): boolean =>
      e.manager === entry.manager && e.operation === operation && (e.subresource ?? undefined) === (entry.subresource ?? undefined);
    const i = entries.findIndex(same);
    if (i >= 0) entries[i] = entry;
    else entries.push(entry);
    return entries;
  }

  // --- history and watch --------------------------------------------------------------------

  #record(b: TypeBucket, type: StoreEvent['type'], object: KubeObject, prev: KubeObject | undefined): void {
    const namespace = this.#scopeNamespace(b.rt, object.metadata.namespace);
    const entry: HistoryEntry = {
      rv: Number(object.metadata.resourceVersion),
      type,
      key: this.#storageKey(b.rt, namespace, object.metadata.name),
      namespace,
      object,
      prev,
    };
    b.history.push(entry);
    if (b.history.length > this.#historyLimit * 2) this.#trim(b);
    this.#pending.push({ bucket: b, entry });
    this.#drain();
  }

  /** Drops the oldest history beyond the limit (in batches, so a write costs O(1) amortised). */
  #trim(b: TypeBucket): void {
    const drop = b.history.length - this.#historyLimit;
    if (drop <= 0) return;
    b.historyStart = b.history[drop - 1]?.rv ?? b.historyStart;
    b.history = b.history.slice(drop);
  }

  #drain(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
        for (const w of [...next.bucket.watchers]) this.#deliver(next.bucket.rt, w, next.entry);
      }
    } finally {
      this.#delivering = false;
    }
  }

  /** The watch cache's per-watcher view of one event (selector transitions become ADDED/DELETED). */
  #deliver(rt: ResourceType, w: Watcher, e: HistoryEntry): void {
    if (!w.active) return;
    if (w.namespace !== undefined && rt.namespaced && e.namespace !== w.namespace) return;
    const passes = (obj: KubeObject | undefined): boolean =>
      obj !== undefined &&
      w.labels.matches(obj.metadata.labels) &&
      (w.fields.requirements.length === 0 || w.fields.matches(selectableFields(rt, obj)));
    let event: StoreEvent | undefined;
    if (e.type === 'DELETED') {
      if (passes(e.object) || passes(e.prev)) event = { type: 'DELETED', object: e.object };
    } else {
      const cur = passes(e.object);
      const was = e.type === 'MODIFIED' && passes(e.prev);
      if (cur && was) event = { type: 'MODIFIED', object: e.object };
      else if (cur) event = { type: 'ADDED', object: e.object };
      else if (was && e.prev) event = { type: 'DELETED', object: withMeta(e.prev, { resourceVersion: String(e.rv) }) };
    }
    if (!event) return;
    try {
      w.listener(event);
    } catch (err) {
      // A broken listener must not corrupt the store or starve the other watchers; fail loudly later.
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  watch(rt: ResourceType, opts: WatchOptions, listener: (e: StoreEvent) => void): () => void {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, rt);
    const b = this.#bucket(rt);
    const namespace = rt.namespaced ? opts.namespace || undefined : undefined;
    const w: Watcher = { namespace, labels, fields, listener, active: true };
    const rvText = opts.resourceVersion;

    if (rvText === undefined || rvText === '' || rvText === '0') {
      for (const sk of this.#sorted(b, namespace)) {
        const obj = this.#lookup(b, sk.namespace, sk.name);
        if (obj && labels.matches(obj.metadata.labels) && (fields.requirements.length === 0 || fields.matches(selectableFields(rt, obj))))
          this.#safeCall(listener, { type: 'ADDED', object: obj });
      }
    } else {
      const from = this.#parseResourceVersion(rt, rvText);
      if (from < b.historyStart) throw expired(`too old resource version: ${from} (${b.historyStart})`);
      // Length is re-read each turn: a write made by the listener during replay is replayed too.
      for (let i = 0; i < b.history.length; i++) {
        const e = b.history[i];
        if (e && e.rv > from) this.#deliver(rt, w, e);
      }
    }
    b.watchers.push(w);
    return () => {
      w.active = false;
      const i = b.watchers.indexOf(w);
      if (i >= 0) b.watchers.splice(i, 1);
    };
  }

  /** The storage layer's parse error, reported (oddly, but really) as a 422 about the resource. */
  #parseResourceVersion(rt: ResourceType, text: string): number {
    if (!/^\d+$/.test(text))
      throw invalid({ ...rt, kind: rt.plural }, '', [
        invalidValue('resourceVersion', text, `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`),
      ]);
    return Number(text);
  }

  #safeCall(listener: (e: StoreEvent) => void, event: StoreEvent): void {
    try {
      listener(event);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  /** Forgets all history: every watch resumed from an older resourceVersion now gets 410. */
  compact(): void {
    this.#compactedAt = this.#rv;
    for (const b of this.#buckets.values()) {
      b.history = [];
      b.historyStart = this.#rv;
    }
  }

  /**
   * Deletes every object of a type, as removing its CRD does (the CRD's cleanup finalizer).
   * Watchers get DELETED events; the caller then marks the type not installed.
   */
  removeAll(rt: ResourceType): void {
    const b = this.#bucket(rt);
    for (const sk of [...this.#sorted(b, undefined)]) {
      const obj = this.#lookup(b, sk.namespace, sk.name);
      if (!obj) continue;
      const stored = withMeta(obj, { resourceVersion: String(++this.#rv) });
      this.#remove(b, sk.namespace, sk.name);
      this.#record(b, 'DELETED', stored, obj);
    }
  }

  /** Number of stored objects of a type (cheap; for benchmarks and the sim's status line). */
  count(rt: ResourceType): number {
    return this.#bucket(rt).count;
  }
}

/** First index whose key is ≥ target in a sorted array. */
function lowerBound(keys: SortedKey[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid]?.key ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
