// The logs feed of one context: follows every ztunnel pod's log and istiod's `discovery`
// container (peering lines), turns the lines into parsed records and hands the failures to the
// store, where they become signature counts. Which pods exist comes from the store's Pod objects
// (the watch feed keeps them current), so pods are picked up and dropped as they come and go.
//
// At most `maxStreams` follows run per context (each holds an apiserver and a kubelet stream);
// pods left over are shown as `notFollowed` and get a slot when one frees up. How each follow
// is doing is in the context's `logStreams`; the pseudo-resource `pods/log` sums them up, so a
// context whose user may not read logs shows `degraded: forbidden on pods/log` while every
// other context, and every other resource of this one, goes on.
//
// With `history: true` (a one-shot snapshot) each pod's log is read once, bounded, to its end
// (logHistory.ts) instead of followed: the stream states end in `following` once a pod's history
// is in — for the checks that is the same "this log was read" — or in a failure.
import { LogHistoryReader } from '../kube/logHistory.ts';
import { LogFollower, type FollowedLine, type LogClient, type LogFollowerOptions, type LogFollowState } from '../kube/logFollower.ts';
import { classifyError, type ClassifiedError } from '../kube/errors.ts';
import { parseLogLine, type LogRecord, type LogSource } from '../mesh/ztunnelLog.ts';
import { classifyRecord } from '../mesh/logSignatures.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { selectObjectsOfKind } from '../store/selectors.ts';
import type { Feed, FeedFactory } from './feed.ts';
import { observedError, type ContextId, type KubeObjectJson, type MeshState, type ResourceSyncState } from '../store/types.ts';
import type { LogStreamUpdate } from '../store/updates.ts';

/** The pseudo-resource whose sync state says whether this context's logs can be read. */
export const POD_LOGS_RESOURCE = 'pods/log';

export const DEFAULT_MAX_STREAMS = 16;
/** History read when a pod is first followed; enough for recent errors, bounded on chatty pods. */
export const DEFAULT_TAIL_LINES = 500;

export interface LogFeedOptions {
  /** Concurrent follows in this context (default 16). */
  maxStreams?: number;
  /** Lines of history per pod on its first read (default 500). */
  tailLines?: number;
  follower?: Pick<LogFollowerOptions, 'backoff' | 'idleCheckMs' | 'stallGraceMs' | 'maxLineBytes' | 'connectTimeoutMs' | 'sinceSeconds'>;
  /** Read each log's history once and stop, instead of following it (default false). */
  history?: boolean;
  now?: () => Date;
}

/** FeedContext, with only what a log follow needs from the client. */
export interface LogFeedContext {
  context: ContextId;
  client: LogClient;
  store: MeshStore;
}

interface LogTarget {
  /** Identity of the pod instance: a pod recreated under the same name is a new log. */
  key: string;
  /** `namespace/pod`, as the store names log sources. */
  source: string;
  namespace: string;
  pod: string;
  container: string | undefined;
  kind: Exclude<LogSource, 'unknown'>;
  running: boolean;
}

interface Follow {
  target: LogTarget;
  follower: LogFollower | LogHistoryReader;
  state: Exclude<LogFollowState['phase'], 'stopped' | 'failed'> | 'forbidden';
  error: ClassifiedError | undefined;
}

export class LogFeed implements Feed {
  readonly #feed: LogFeedContext;
  readonly #options: LogFeedOptions;
  readonly #follows = new Map<string, Follow>();
  /** Pods wanted but over the cap, by key. */
  readonly #waiting = new Map<string, LogTarget>();
  readonly #stopping = new Set<Promise<void>>();
  #unsubscribe: (() => void) | undefined;
  #lastPods: unknown;
  #lastSync: string | undefined;
  #stopped = false;

  constructor(feed: LogFeedContext, options: LogFeedOptions = {}) {
    this.#feed = feed;
    this.#options = options;
  }

  get #context(): ContextId {
    return this.#feed.context;
  }

  start(): void {
    if (this.#unsubscribe || this.#stopped) return;
    this.#unsubscribe = this.#feed.store.api.subscribe((state) => this.#guard(() => this.#onState(state)));
    this.#guard(() => this.#onState(this.#feed.store.getState()));
  }

  /** Stops every follow (their requests, timers and streams) and forgets their stream states. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const follows = [...this.#follows.values()];
    this.#follows.clear();
    const sources = [...follows.map((f) => f.target.source), ...[...this.#waiting.values()].map((t) => t.source)];
    this.#waiting.clear();
    await Promise.all([...follows.map((f) => f.follower.stop()), ...this.#stopping]);
    this.#guard(() => {
      for (const source of sources) this.#feed.store.enqueue({ type: 'logStream', context: this.#context, source });
    });
  }

  #onState(state: MeshState): void {
    if (this.#stopped) return;
    // Pods may sit in several watched resources (`pods#istiod-ztunnel`…): go by kind. The list is
    // cached per resources map, so an unchanged one means nothing to reconcile.
    const pods = selectObjectsOfKind(state, this.#context, 'Pod');
    if (pods === this.#lastPods) return;
    this.#lastPods = pods;
    this.#reconcile(pods);
  }

  #reconcile(pods: readonly KubeObjectJson[]): void {
    const wanted = new Map<string, LogTarget>();
    for (const pod of pods) {
      const target = targetOf(pod);
      if (target) wanted.set(target.key, target);
    }
    for (const [key, follow] of this.#follows) {
      if (wanted.has(key)) continue;
      this.#follows.delete(key);
      this.#forget(follow.target.source, key);
      const stopping = follow.follower.stop().finally(() => this.#stopping.delete(stopping));
      this.#stopping.add(stopping);
    }
    for (const [key, target] of this.#waiting) {
      if (wanted.has(key)) continue;
      this.#waiting.delete(key);
      this.#forget(target.source, key);
    }
    const max = Math.max(0, this.#options.maxStreams ?? DEFAULT_MAX_STREAMS);
    for (const target of [...wanted.values()].sort(byPriority)) {
      if (this.#follows.has(target.key)) continue;
      if (this.#follows.size < max) {
        this.#waiting.delete(target.key);
        this.#follow(target);
      } else if (!this.#waiting.has(target.key)) {
        this.#waiting.set(target.key, target);
        this.#publish(target, { phase: 'notFollowed', ...(target.container !== undefined ? { container: target.container } : {}) });
      }
    }
    this.#publishSync();
  }

  /** Drop a pod's stream state unless another instance of the same pod name still uses it. */
  #forget(source: string, key: string): void {
    const inUse = [...this.#follows.values(), ...this.#waiting.values()].some((x) => {
      const target = 'target' in x ? x.target : x;
      return target.source === source && target.key !== key;
    });
    if (!inUse) this.#feed.store.enqueue({ type: 'logStream', context: this.#context, source });
  }

  #follow(target: LogTarget): void {
    const follow: Follow = { target, state: 'connecting', error: undefined, follower: this.#reader(target, () => follow) };
    this.#follows.set(target.key, follow);
    this.#publish(target, { phase: 'connecting', ...(target.container !== undefined ? { container: target.container } : {}) });
    follow.follower.start();
  }

  #reader(target: LogTarget, follow: () => Follow): LogFollower | LogHistoryReader {
    const common = {
      client: this.#feed.client,
      namespace: target.namespace,
      pod: target.pod,
      ...(target.container !== undefined ? { container: target.container } : {}),
      tailLines: this.#options.tailLines ?? DEFAULT_TAIL_LINES,
      onLines: (lines: FollowedLine[]) => this.#guard(() => this.#onLines(follow(), lines), follow()),
      onState: (state: LogFollowState) => this.#guard(() => this.#onFollowState(follow(), state), follow()),
      onHandlerError: (error: unknown) => this.#reportError(follow(), error),
    };
    if (!this.#options.history) return new LogFollower({ ...this.#options.follower, ...common });
    const { sinceSeconds, maxLineBytes, connectTimeoutMs, backoff } = this.#options.follower ?? {};
    return new LogHistoryReader({
      ...common,
      ...(sinceSeconds !== undefined && { sinceSeconds }),
      ...(maxLineBytes !== undefined && { maxLineBytes }),
      ...(connectTimeoutMs !== undefined && { timeoutMs: connectTimeoutMs }),
      ...(backoff !== undefined && { backoff }),
    });
  }

  #onLines(follow: Follow, lines: readonly FollowedLine[]): void {
    if (this.#follows.get(follow.target.key) !== follow) return; // a late batch from a follow being stopped
    const records: LogRecord[] = [];
    for (const line of lines) {
      const parsed = parseLogLine(line.text, follow.target.kind);
      // The store keeps signature aggregates only; lines that are no failure would be dropped there.
      if (classifyRecord(parsed) === undefined) continue;
      // A line without its own time gets the kubelet's: when it was written.
      records.push(parsed.time === undefined && line.timestamp !== undefined ? { ...parsed, time: line.timestamp } : parsed);
    }
    if (records.length > 0) {
      this.#feed.store.enqueue({ type: 'logRecords', context: this.#context, source: follow.target.source, records });
    }
  }

  #onFollowState(follow: Follow, state: LogFollowState): void {
    if (this.#follows.get(follow.target.key) !== follow || state.phase === 'stopped') return;
    const container = follow.target.container !== undefined ? { container: follow.target.container } : {};
    if (state.phase === 'connecting') {
      // A reconnect attempt changes nothing yet: the last outcome (forbidden, unreachable…) stands
      // until it succeeds, so statuses do not flicker with every retry.
      if (follow.state !== 'connecting') return;
      this.#publish(follow.target, { phase: 'connecting', ...container });
    } else if (state.phase === 'retrying' || state.phase === 'failed') {
      // The store knows no `failed`: a read that gave up shows, like a follow between attempts, its error.
      follow.state = state.error?.kind === 'forbidden' ? 'forbidden' : 'retrying';
      follow.error = state.error;
      const error = state.error !== undefined ? { error: observedError(state.error, this.#now()) } : {};
      this.#publish(follow.target, { phase: follow.state, ...container, ...error });
    } else {
      follow.state = 'following';
      follow.error = undefined;
      this.#publish(follow.target, { phase: 'following', ...container });
    }
    this.#publishSync();
  }

  #publish(target: LogTarget, stream: LogStreamUpdate): void {
    this.#feed.store.enqueue({ type: 'logStream', context: this.#context, source: target.source, stream });
  }

  /** `pods/log`: synced while any follow is live; forbidden when follows are refused for RBAC. */
  #publishSync(): void {
    const follows = [...this.#follows.values()];
    if (follows.length === 0) return;
    let sync: ResourceSyncState = 'syncing';
    let error: ClassifiedError | undefined;
    if (follows.some((f) => f.state === 'following')) sync = 'synced';
    else if ((error = follows.find((f) => f.state === 'forbidden')?.error)) sync = 'forbidden';
    // A stream that ended cleanly and is being reopened is no error.
    else if ((error = follows.find((f) => f.state === 'retrying' && f.error !== undefined)?.error)) sync = 'error';
    const signature = `${sync}\n${error?.message ?? ''}`;
    if (signature === this.#lastSync) return;
    this.#lastSync = signature;
    this.#feed.store.enqueue({
      type: 'resourceSync',
      context: this.#context,
      resource: POD_LOGS_RESOURCE,
      sync,
      ...(error !== undefined ? { error: observedError(error, this.#now()) } : {}),
    });
  }

  /** Runs a handler; whatever it throws is classified and shown on the stream (or the context). */
  #guard(run: () => void, follow?: Follow): void {
    try {
      run();
    } catch (error) {
      this.#reportError(follow, error);
    }
  }

  #reportError(follow: Follow | undefined, thrown: unknown): void {
    try {
      const error = classifyError(thrown, {
        context: this.#context,
        action: follow ? `read the log of ${follow.target.source}` : 'follow pod logs',
      });
      if (follow) {
        this.#publish(follow.target, {
          phase: follow.state,
          ...(follow.target.container !== undefined ? { container: follow.target.container } : {}),
          error: observedError(error, this.#now()),
        });
      } else {
        this.#feed.store.enqueue({
          type: 'resourceSync',
          context: this.#context,
          resource: POD_LOGS_RESOURCE,
          sync: 'error',
          error: observedError(error, this.#now()),
        });
      }
    } catch {
      // Reporting itself failed (store disposed): nothing left to tell.
    }
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }
}

/** For MeshFeeds' `extraFeeds`: a logs feed for every context. */
export function logFeedFactory(options: LogFeedOptions = {}): FeedFactory {
  return (feed) => new LogFeed(feed, options);
}

/** A pod whose log we read, and which container; undefined for every other pod. */
function targetOf(pod: KubeObjectJson): LogTarget | undefined {
  const app = pod.metadata.labels?.app;
  const kind = app === 'ztunnel' ? 'ztunnel' : app === 'istiod' ? 'istiod' : undefined;
  if (kind === undefined) return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name;
  const containers = containerNames(pod);
  const preferred = kind === 'istiod' ? 'discovery' : 'istio-proxy';
  // A pod with one container needs no name; with several, ours by name, else the first.
  const container = containers.includes(preferred) ? preferred : containers.length > 1 ? containers[0] : undefined;
  return {
    key: pod.metadata.uid ?? `${namespace}/${name}`,
    source: `${namespace}/${name}`,
    namespace,
    pod: name,
    container,
    kind,
    running: (pod.status as { phase?: unknown } | undefined)?.phase === 'Running',
  };
}

function containerNames(pod: KubeObjectJson): string[] {
  const spec = pod.spec;
  if (typeof spec !== 'object' || spec === null) return [];
  const containers = (spec as { containers?: unknown }).containers;
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((c: unknown) => {
    const name = typeof c === 'object' && c !== null ? (c as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

/** istiod first (few pods, the peering lines), then ztunnels; running pods before others. */
function byPriority(a: LogTarget, b: LogTarget): number {
  if (a.kind !== b.kind) return a.kind === 'istiod' ? -1 : 1;
  if (a.running !== b.running) return a.running ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}
