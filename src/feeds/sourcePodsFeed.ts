// Do the remote pods behind this context's flat-network WorkloadEntries still exist? Solo's
// peering makes one `autogenflat.…` WorkloadEntry per remote pod (reference istio-internals §6.2)
// and names the pod in `solo.io/peered-workload-uid` = `<cluster>//Pod/<ns>/<name>`; an entry
// whose pod is gone sends traffic to an address nobody answers on. The pod is looked up in the
// loaded context whose istiod CLUSTER_ID is `<cluster>` (the store learns CLUSTER_IDs).
//
// Why targeted GETs and not a watch: a source cluster may run 20,000 pods, while the entries
// name only the pods of federated services. A metadata-only watch of every pod would list and
// then follow all 20,000 (tens of MB, plus every pod churn event) to answer for a few hundred; a
// GET per named pod costs exactly what is asked. We ask for PartialObjectMetadata (a pod's spec
// and status are most of its bytes and tell us nothing here), GET a pod again only on the
// interval, and on entry changes GET just the pods not looked up yet, a few at a time.
import type { ContextClient } from '../kube/contextClient.ts';
import { classifyError } from '../kube/errors.ts';
import {
  AUTOGENFLAT_PREFIX,
  PEERED_WORKLOAD_UID_ANNOTATION,
  SOURCE_CLUSTER_LABEL,
  SOURCE_WORKLOAD_LABEL,
  parsePeeredWorkloadUid,
} from '../mesh/autogenflat.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { selectObjects, selectResource } from '../store/selectors.ts';
import type { ContextId, ErrorKind, IsoTime, KubeObjectJson, MeshState, SourcePodEntry, SourcePodsFactValue } from '../store/types.ts';
import { RefreshSchedule } from './refreshSchedule.ts';
import { WORKLOAD_ENTRIES } from '../store/resourceIds.ts';

export const DEFAULT_SOURCE_PODS_INTERVAL_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONCURRENCY = 8;
/** Metadata only; plain JSON as a fallback for a server that cannot convert (then it sends the pod). */
const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export interface SourcePodsFeedOptions {
  /** The context whose WorkloadEntries are checked. */
  context: ContextId;
  store: MeshStore;
  /** The client of a loaded context (the one a source cluster turns out to be). */
  clientFor: (context: ContextId) => ContextClient | undefined;
  /** Every pod is looked up again this often. Default 30 s. */
  intervalMs?: number;
  requestTimeoutMs?: number;
  /** Pod GETs in flight at once. Default 8. */
  concurrency?: number;
  /** The store resource holding this context's WorkloadEntries. */
  workloadEntriesResource?: string;
  now?: () => Date;
}

/** One autogenflat entry as read from the store. */
interface FlatEntry {
  workloadEntry: string;
  sourceCluster: string;
  podNamespace: string;
  podName: string;
  /** Why the entry names no pod we can look up. */
  invalid?: string;
}

interface Lookup {
  state: 'present' | 'missing' | 'unknown';
  reason?: string;
  errorKind?: ErrorKind;
  checkedAt: IsoTime;
}

export class SourcePodsFeed {
  readonly #options: SourcePodsFeedOptions;
  readonly #schedule: RefreshSchedule;
  readonly #now: () => Date;
  /** Last answer per `<source context>/<namespace>/<pod>`. */
  #lookups = new Map<string, Lookup>();
  #controller = new AbortController();
  #unsubscribe: (() => void) | undefined;
  #lastInputs: unknown[] = [];
  #lastEntriesKey: string | undefined;

  constructor(options: SourcePodsFeedOptions) {
    this.#options = options;
    // Full: every pod again (the interval, refresh()); partial: only pods not looked up yet (entry changes).
    this.#schedule = new RefreshSchedule({
      intervalMs: options.intervalMs ?? DEFAULT_SOURCE_PODS_INTERVAL_MS,
      refresh: (full) => this.#check(full),
    });
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    if (!this.#schedule.stopped) return;
    this.#schedule.start();
    this.#controller = new AbortController();
    this.#unsubscribe = this.#options.store.api.subscribe((state) => this.#onState(state));
    this.#onState(this.#options.store.getState());
  }

  /** Look every named pod up again now; resolves once the facts are queued in the store. */
  refresh(): Promise<void> {
    return this.#schedule.request(true);
  }

  /** Resolves once the fetches already asked for (on start, on pod or entry changes) have ended; asks for none. */
  idle(): Promise<void> {
    return this.#schedule.idle();
  }

  async stop(): Promise<void> {
    const ended = this.#schedule.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#controller.abort();
    await ended;
  }

  /** Entries or CLUSTER_IDs changed: look up what is new (cheap when nothing is). */
  #onState(state: MeshState): void {
    // Most commits change neither the entries nor any CLUSTER_ID: two cheap comparisons skip them.
    const inputs = [selectResource(state, this.#options.context, this.#entriesResource())?.objects, clusterIdsKey(state)];
    if (inputs.every((input, i) => input === this.#lastInputs[i])) return;
    this.#lastInputs = inputs;
    const key = inputsKey(state, this.#options.context, this.#entriesResource());
    if (key === this.#lastEntriesKey) return;
    this.#lastEntriesKey = key;
    void this.#schedule.request(false);
  }

  #entriesResource(): string {
    return this.#options.workloadEntriesResource ?? WORKLOAD_ENTRIES;
  }

  async #check(full: boolean): Promise<void> {
    const { context, store } = this.#options;
    const state = store.getState();
    const entries = flatEntries(state, context, this.#entriesResource());
    if (entries === undefined) return;
    const groups = groupBySource(entries);
    const signal = this.#controller.signal;

    const wanted = new Map<string, { sourceContext: ContextId; namespace: string; name: string }>();
    const sourceOf = new Map<string, SourceResolution>();
    for (const sourceCluster of groups.keys()) {
      const resolution = resolveSource(state, sourceCluster);
      sourceOf.set(sourceCluster, resolution);
      if (resolution.kind !== 'loaded') continue;
      for (const entry of groups.get(sourceCluster) ?? []) {
        if (entry.invalid !== undefined) continue;
        const key = lookupKey(resolution.context, entry.podNamespace, entry.podName);
        if (full || !this.#lookups.has(key))
          wanted.set(key, { sourceContext: resolution.context, namespace: entry.podNamespace, name: entry.podName });
      }
    }

    const fresh = new Map(this.#lookups);
    await runLimited([...wanted], this.#options.concurrency ?? DEFAULT_CONCURRENCY, async ([key, pod]) => {
      if (signal.aborted) return;
      fresh.set(key, await this.#lookUp(pod.sourceContext, pod.namespace, pod.name, signal));
    });
    if (signal.aborted) return;

    // Keep answers only for pods some entry still names.
    const named = new Set<string>();
    const observedAt = this.#now().toISOString();
    for (const [sourceCluster, group] of groups) {
      const resolution = sourceOf.get(sourceCluster) ?? { kind: 'pending', reason: '' };
      if (resolution.kind === 'pending') {
        store.enqueue({
          type: 'fact',
          context,
          istiodPod: sourceCluster,
          kind: 'sourcePods',
          fact: { state: 'unknown', reason: resolution.reason, observedAt },
        });
        continue;
      }
      const value: SourcePodsFactValue = {
        sourceCluster,
        ...(resolution.kind === 'loaded' && { sourceContext: resolution.context }),
        entries: group.map((entry) => {
          if (resolution.kind === 'notLoaded') return entryOf(entry, { state: 'notLoaded', reason: resolution.reason });
          if (entry.invalid !== undefined) return entryOf(entry, { state: 'unknown', reason: entry.invalid });
          const key = lookupKey(resolution.context, entry.podNamespace, entry.podName);
          named.add(key);
          return entryOf(entry, fresh.get(key) ?? { state: 'unknown', reason: 'not looked up yet' });
        }),
      };
      store.enqueue({ type: 'fact', context, istiodPod: sourceCluster, kind: 'sourcePods', fact: { state: 'known', value, observedAt } });
    }
    store.enqueue({ type: 'pruneFacts', context, kind: 'sourcePods', keepPods: [...groups.keys()] });
    this.#lookups = new Map([...fresh].filter(([key]) => named.has(key)));
  }

  async #lookUp(sourceContext: ContextId, namespace: string, name: string, signal: AbortSignal): Promise<Lookup> {
    const client = this.#options.clientFor(sourceContext);
    const checkedAt = (): IsoTime => this.#now().toISOString();
    if (!client) return { state: 'unknown', reason: `no client for context ${sourceContext}`, checkedAt: checkedAt() };
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    try {
      await client.getJson<unknown>(path, {
        headers: { Accept: METADATA_ACCEPT },
        signal,
        timeoutMs: this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      });
      return { state: 'present', checkedAt: checkedAt() };
    } catch (error) {
      const classified = classifyError(error, {
        context: sourceContext,
        server: client.server,
        action: `get pod ${namespace}/${name}`,
        path,
      });
      if (classified.kind === 'notFound') return { state: 'missing', checkedAt: checkedAt() };
      return {
        state: 'unknown',
        reason: `cannot look pod ${namespace}/${name} up: ${classified.message}`,
        errorKind: classified.kind,
        checkedAt: checkedAt(),
      };
    }
  }
}

type SourceResolution =
  { kind: 'loaded'; context: ContextId } | { kind: 'notLoaded'; reason: string } | { kind: 'pending'; reason: string };

/** Which loaded context is the source cluster — or why that cannot be said (yet). */
function resolveSource(state: MeshState, sourceCluster: string): SourceResolution {
  const contexts = Object.values(state.contexts);
  const match = contexts.find((ctx) => ctx.clusterId === sourceCluster);
  if (match) return { kind: 'loaded', context: match.context };
  if (sourceCluster === '') return { kind: 'notLoaded', reason: 'the entry names no source cluster' };
  const unlearned = contexts.filter((ctx) => ctx.clusterId === undefined).map((ctx) => ctx.context);
  if (unlearned.length > 0) {
    return {
      kind: 'pending',
      reason: `no loaded context is known to be cluster ${sourceCluster} yet: the CLUSTER_ID of ${unlearned.join(', ')} is not known`,
    };
  }
  const known = contexts.map((ctx) => `${ctx.context}=${ctx.clusterId ?? '?'}`).join(', ');
  return {
    kind: 'notLoaded',
    reason: `cluster ${sourceCluster} is not one of the loaded contexts (${known}); its pods cannot be checked from here`,
  };
}

/** The autogenflat entries the store holds for the context; undefined until they are listed. */
function flatEntries(state: MeshState, context: ContextId, resource: string): FlatEntry[] | undefined {
  const res = selectResource(state, context, resource);
  if (res === undefined || res.sync === 'syncing' || res.sync === 'forbidden' || res.sync === 'notInstalled') return undefined;
  return selectObjects(state, context, resource).filter(isAutogenflat).map(toFlatEntry);
}

function isAutogenflat(entry: KubeObjectJson): boolean {
  return (
    entry.metadata.name.startsWith(AUTOGENFLAT_PREFIX) ||
    (entry.metadata.labels?.[SOURCE_WORKLOAD_LABEL] ?? '').startsWith(AUTOGENFLAT_PREFIX)
  );
}

function toFlatEntry(entry: KubeObjectJson): FlatEntry {
  const workloadEntry = `${entry.metadata.namespace ?? ''}/${entry.metadata.name}`;
  const labelCluster = entry.metadata.labels?.[SOURCE_CLUSTER_LABEL] ?? '';
  const annotation = entry.metadata.annotations?.[PEERED_WORKLOAD_UID_ANNOTATION];
  const uid = annotation !== undefined ? parsePeeredWorkloadUid(annotation) : undefined;
  if (!uid || uid.kind !== 'Pod' || uid.group !== '') {
    const invalid =
      annotation === undefined
        ? `no ${PEERED_WORKLOAD_UID_ANNOTATION} annotation`
        : `${PEERED_WORKLOAD_UID_ANNOTATION} does not name a pod`;
    return { workloadEntry, sourceCluster: labelCluster, podNamespace: '', podName: '', invalid };
  }
  return { workloadEntry, sourceCluster: uid.cluster, podNamespace: uid.namespace, podName: uid.name };
}

function groupBySource(entries: readonly FlatEntry[]): Map<string, FlatEntry[]> {
  const groups = new Map<string, FlatEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.sourceCluster);
    if (group) group.push(entry);
    else groups.set(entry.sourceCluster, [entry]);
  }
  return groups;
}

function entryOf(entry: FlatEntry, lookup: { state: SourcePodEntry['state']; reason?: string; checkedAt?: IsoTime }): SourcePodEntry {
  return {
    workloadEntry: entry.workloadEntry,
    podNamespace: entry.podNamespace,
    podName: entry.podName,
    state: lookup.state,
    ...(lookup.reason !== undefined && { reason: lookup.reason }),
    ...(lookup.checkedAt !== undefined && { checkedAt: lookup.checkedAt }),
  };
}

/** What decides the lookups: the entries' pods and which context is which cluster. */
function inputsKey(state: MeshState, context: ContextId, resource: string): string {
  const entries = flatEntries(state, context, resource);
  if (entries === undefined) return '';
  const pods = entries.map((e) => `${e.workloadEntry}=${e.sourceCluster}/${e.podNamespace}/${e.podName}`).sort();
  return `${pods.join(',')}|${clusterIdsKey(state)}`;
}

function clusterIdsKey(state: MeshState): string {
  return Object.values(state.contexts)
    .map((ctx) => `${ctx.context}=${ctx.clusterId ?? ''}`)
    .sort()
    .join(',');
}

function lookupKey(context: ContextId, namespace: string, name: string): string {
  return `${context}/${namespace}/${name}`;
}

async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
