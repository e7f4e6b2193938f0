// istiod's debug endpoints (/debug/syncz, /debug/license, /debug/clusterz) of every istiod pod
// of one context, fetched over port-forward on an interval and on demand, written to the store as
// facts. Anything that stops a fetch — RBAC on pods/portforward, an older istiod without the
// endpoint, a timeout, a body that is not what istiod writes — becomes an `unknown` fact that
// says why, never an exception: checks must be able to say "unknown because …".
import type { ContextClient } from '../kube/contextClient.ts';
import { sleep } from '../kube/clock.ts';
import { classifyError, type ForbiddenDetail } from '../kube/errors.ts';
import { describePodHttpStatus, portForwardHttpGet, type PodHttpResult } from '../kube/portForwardHttp.ts';
import { parseSyncz } from '../mesh/syncz.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { selectObjects, selectResource } from '../store/selectors.ts';
import type {
  ClusterzEntry,
  ContextId,
  ErrorKind,
  Fact,
  KubeObjectJson,
  LicenseFactValue,
  MeshState,
  SynczFactValue,
} from '../store/types.ts';
import type { FactUpdate } from '../store/updates.ts';
import { RefreshSchedule } from './refreshSchedule.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../store/resourceIds.ts';

/** http-monitoring: where istiod serves /debug. */
export const ISTIOD_DEBUG_PORT = 15014;
export const DEFAULT_ISTIOD_DEBUG_INTERVAL_MS = 15_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface IstiodDebugFeedOptions {
  context: ContextId;
  client: ContextClient;
  store: MeshStore;
  /** Time between the end of one refresh and the start of the next. Default 15 s. */
  intervalMs?: number;
  /** Per endpoint fetch. Default 10 s. */
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
  /** The store resource holding this context's istiod pods (default: the watch feed's `pods#istiod-ztunnel`). */
  podsResource?: string;
  now?: () => Date;
  /** How one endpoint is fetched (default: portForwardHttpGet); tests wrap it to corrupt answers. */
  fetchPod?: FetchPod;
  /**
   * A one-shot snapshot's deadline (epoch ms): a fetch answered 429 is asked again when the
   * server says (Retry-After) if that is before it. Without one, the next refresh is the retry.
   */
  retryThrottledUntil?: number;
}

export type FetchPod = (pod: IstiodPod, path: string, signal: AbortSignal) => Promise<PodHttpResult>;

type PodFetch = (pod: IstiodPod, path: string) => Promise<PodHttpResult>;

export interface IstiodPod {
  namespace: string;
  name: string;
  phase: string;
}

export class IstiodDebugFeed {
  readonly #options: IstiodDebugFeedOptions;
  readonly #schedule: RefreshSchedule;
  readonly #now: () => Date;
  #controller = new AbortController();
  #unsubscribe: (() => void) | undefined;
  /** The istiod pods last seen in the store, so a new or deleted one triggers a refresh at once. */
  #lastPodsKey: string | undefined;
  #lastPodObjects: unknown;

  constructor(options: IstiodDebugFeedOptions) {
    this.#options = options;
    // Every refresh asks every endpoint again: there is no partial one.
    this.#schedule = new RefreshSchedule({
      intervalMs: options.intervalMs ?? DEFAULT_ISTIOD_DEBUG_INTERVAL_MS,
      refresh: () => this.#refreshAll(),
    });
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    if (!this.#schedule.stopped) return;
    this.#schedule.start();
    this.#controller = new AbortController();
    this.#lastPodsKey = this.#podsKey();
    // Pods listed for the first time, an istiod rolled or scaled: fetch now rather than at the next tick.
    this.#unsubscribe = this.#options.store.api.subscribe((state) => {
      // Most commits touch other resources; only a new pods map can change the istiod set.
      const objects = selectResource(state, this.#options.context, this.#options.podsResource ?? ISTIOD_ZTUNNEL_PODS)?.objects;
      if (objects === this.#lastPodObjects) return;
      this.#lastPodObjects = objects;
      const key = this.#podsKey();
      if (key === this.#lastPodsKey) return;
      this.#lastPodsKey = key;
      void this.refresh();
    });
    void this.refresh();
  }

  #pods(): IstiodPod[] | undefined {
    return istiodPods(this.#options.store.getState(), this.#options.context, this.#options.podsResource ?? ISTIOD_ZTUNNEL_PODS);
  }

  /** Names and phases: a pod that starts running is worth asking at once, not a tick later. */
  #podsKey(): string | undefined {
    return this.#pods()
      ?.map((pod) => `${pod.namespace}/${pod.name}/${pod.phase}`)
      .join(',');
  }

  /**
   * Fetch everything now; resolves once the facts are queued in the store. Calls made while a
   * refresh runs share one follow-up refresh, so its answers postdate the call.
   */
  refresh(): Promise<void> {
    return this.#schedule.request(true);
  }

  /** Resolves once the fetches already asked for (on start, on pod or entry changes) have ended; asks for none. */
  idle(): Promise<void> {
    return this.#schedule.idle();
  }

  /** Cancels the running fetches and the timer; resolves when every port-forward is closed. */
  async stop(): Promise<void> {
    const ended = this.#schedule.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#controller.abort();
    await ended;
  }

  async #refreshAll(): Promise<void> {
    const { context, store } = this.#options;
    const pods = this.#pods();
    // Until the pods are listed we cannot tell an istiod that is gone from one not seen yet.
    if (pods === undefined) return;
    const signal = this.#controller.signal;
    const fetchPod: FetchPod =
      this.#options.fetchPod ??
      ((pod, path) =>
        portForwardHttpGet(this.#options.client.kubeConfig, {
          namespace: pod.namespace,
          pod: pod.name,
          port: ISTIOD_DEBUG_PORT,
          path,
          signal,
          timeoutMs: this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
          ...(this.#options.maxBodyBytes !== undefined && { maxBodyBytes: this.#options.maxBodyBytes }),
        }));
    await Promise.all(pods.map((pod) => this.#refreshPod(pod, (p, path) => fetchPod(p, path, signal))));
    if (signal.aborted) return;
    const keepPods = pods.map((pod) => pod.name);
    for (const kind of ['syncz', 'license', 'clusterz'] as const) store.enqueue({ type: 'pruneFacts', context, kind, keepPods });
  }

  async #refreshPod(pod: IstiodPod, fetchPod: PodFetch): Promise<void> {
    const endpoints: readonly { path: string; read: (body: string) => FactUpdate | string; notFound: string }[] = [
      {
        path: '/debug/syncz',
        read: (body) => synczFact(pod.name, body, this.#observedAt()),
        notFound: 'istiod does not serve /debug/syncz (older than Istio 1.27?)',
      },
      {
        path: '/debug/license',
        read: (body) => licenseFact(body, this.#observedAt()),
        notFound: 'istiod has no /debug/license: not supported before Istio 1.27',
      },
      {
        path: '/debug/clusterz',
        read: (body) => clusterzFact(body, this.#observedAt()),
        notFound: 'istiod does not serve /debug/clusterz',
      },
    ];
    await Promise.all(
      endpoints.map(async ({ path, read, notFound }) => {
        const kind = kindOfPath(path);
        let update: FactUpdate;
        try {
          update = await this.#fetchFact(pod, path, fetchPod, read, notFound);
        } catch (error) {
          // A bug in a reader must not lose the other facts or escape as a rejection.
          const classified = classifyError(error, { context: this.#options.context, action: `reading ${path} of ${pod.name}` });
          update = unknownFact(
            kind,
            `cannot read ${path} from istiod pod ${pod.name}: ${classified.message}`,
            classified.kind,
            this.#observedAt(),
            classified.forbidden,
          );
        }
        // After stop() nothing more is written: the context may already be gone from the store.
        if (this.#controller.signal.aborted) return;
        this.#options.store.enqueue({ type: 'fact', context: this.#options.context, istiodPod: pod.name, ...update });
      }),
    );
  }

  async #fetchFact(
    pod: IstiodPod,
    path: string,
    fetchPod: PodFetch,
    read: (body: string) => FactUpdate | string,
    notFound: string,
  ): Promise<FactUpdate> {
    const kind = kindOfPath(path);
    const where = `${path} from istiod pod ${pod.name}`;
    let result = await fetchPod(pod, path);
    for (;;) {
      if (result.ok || result.error.kind !== 'throttled' || this.#options.retryThrottledUntil === undefined) break;
      const waitMs = (result.error.retryAfterSeconds ?? 1) * 1000;
      if (Date.now() + waitMs >= this.#options.retryThrottledUntil) break;
      await sleep(waitMs, this.#controller.signal);
      if (this.#controller.signal.aborted) break;
      result = await fetchPod(pod, path);
    }
    if (!result.ok)
      return unknownFact(
        kind,
        `cannot read ${where}: ${result.error.message}`,
        result.error.kind,
        this.#observedAt(),
        result.error.forbidden,
      );
    const { response } = result;
    if (response.statusCode === 404) return unknownFact(kind, `${notFound} (pod ${pod.name} answered 404)`, 'notFound', this.#observedAt());
    if (response.statusCode !== 200) {
      return unknownFact(
        kind,
        `cannot read ${where}: istiod answered ${describePodHttpStatus(response)}`,
        response.statusCode >= 500 ? 'server' : 'unknown',
        this.#observedAt(),
      );
    }
    const fact = read(response.body.toString('utf8'));
    return typeof fact === 'string' ? unknownFact(kind, `cannot read ${where}: ${fact}`, 'unknown', this.#observedAt()) : fact;
  }

  #observedAt(): string {
    return this.#now().toISOString();
  }
}

/** The context's istiod pods as the store holds them; undefined until pods have been listed. */
function istiodPods(state: MeshState, context: ContextId, podsResource: string): IstiodPod[] | undefined {
  const pods = selectResource(state, context, podsResource);
  if (pods === undefined || pods.sync === 'syncing' || pods.sync === 'forbidden' || pods.sync === 'notInstalled') return undefined;
  return selectObjects(state, context, podsResource)
    .filter((pod: KubeObjectJson) => pod.metadata.labels?.app === 'istiod' && pod.metadata.namespace !== undefined)
    .map((pod) => ({ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, phase: phaseOf(pod) }));
}

function phaseOf(pod: KubeObjectJson): string {
  const status = pod['status'];
  const phase = typeof status === 'object' && status !== null ? (status as { phase?: unknown }).phase : undefined;
  return typeof phase === 'string' ? phase : '';
}

type DebugKind = 'syncz' | 'license' | 'clusterz';

function kindOfPath(path: string): DebugKind {
  return path === '/debug/syncz' ? 'syncz' : path === '/debug/license' ? 'license' : 'clusterz';
}

function unknownFact(kind: DebugKind, reason: string, errorKind: ErrorKind, observedAt: string, forbidden?: ForbiddenDetail): FactUpdate {
  // One branch per kind: an unknown fact fits every kind, but the union only narrows this way.
  // A denial is kept as data (who, which verb on what, where): MC-ACCESS-001 and the capture read it.
  const fact = { state: 'unknown' as const, reason, errorKind, observedAt, ...(forbidden ? { forbidden } : {}) };
  if (kind === 'syncz') return { kind, fact };
  if (kind === 'license') return { kind, fact };
  return { kind, fact };
}

function synczFact(istiodPod: string, body: string, observedAt: string): FactUpdate | string {
  const parsed = parseSyncz(body, { istiodPod });
  if (!parsed.ok) return `not a syncz answer: ${parsed.error}`;
  const value: SynczFactValue = { istiodPod, shape: parsed.shape, rows: parsed.rows, warnings: parsed.warnings };
  return { kind: 'syncz', fact: known(value, observedAt) };
}

function licenseFact(body: string, observedAt: string): FactUpdate | string {
  const json = parseJson(body);
  if (!isRecord(json) || typeof json.State !== 'string')
    return `not a license answer (expected {"State": …, "Product": …}, got ${preview(body)})`;
  const value: LicenseFactValue = {
    state: json.State,
    ...(typeof json.Product === 'string' && json.Product !== '' && { product: json.Product }),
  };
  return { kind: 'license', fact: known(value, observedAt) };
}

function clusterzFact(body: string, observedAt: string): FactUpdate | string {
  const json = parseJson(body);
  if (!Array.isArray(json)) return `not a clusterz answer (expected a list of clusters, got ${preview(body)})`;
  const entries: ClusterzEntry[] = [];
  for (const item of json) {
    if (!isRecord(item) || typeof item.id !== 'string')
      return `not a clusterz answer (an entry has no "id": ${preview(JSON.stringify(item))})`;
    entries.push({
      id: item.id,
      ...(typeof item.secretName === 'string' && { secretName: item.secretName }),
      ...(typeof item.syncStatus === 'string' && { syncStatus: item.syncStatus }),
    });
  }
  return { kind: 'clusterz', fact: known(entries, observedAt) };
}

function known<T>(value: T, observedAt: string): Fact<T> {
  return { state: 'known', value, observedAt };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine === '' ? 'an empty body' : JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 60)}…` : oneLine);
}
