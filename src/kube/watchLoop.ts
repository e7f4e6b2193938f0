// List-then-watch for one resource of one context, kept alive for as long as the console runs.
//
// Why not client-node's informer (makeInformer / ListWatch)? reference/client-node.md §3.2:
// in 2.0.1 it stops for good on any error other than 410 and timeouts (connection refused, a
// reset, 401, 403, 404, 429, exec plugin failures), its stop() emits an error that resurrects
// it, stop() during its reconnect sleep leaves a zombie watch, handler exceptions become
// unhandled rejections, exec failures while reconnecting crash the process, it never asks for
// bookmarks and it lists without pagination. Its Watch has a fixed 30 s idle timeout shorter
// than the apiserver's one-minute bookmark interval (§3.1). We need the opposite of all of that,
// so this loop owns the whole cycle on top of ContextClient's raw streaming fetch:
//
//   list (limit/continue) → watch from the list's resourceVersion (allowWatchBookmarks,
//   timeoutSeconds) → on a normal end re-watch from the last resourceVersion → on 410 relist;
//   silent for longer than the stall timeout → abort and re-watch; network, 5xx, 401 and exec
//   failures → back off with jitter and try again; 403 and a missing CRD → say so and re-probe
//   slowly (RBAC fixed or CRD installed later is noticed); 429 → wait Retry-After.
//
// A one-shot snapshot (`--once`) needs what is there now, not what changes later: with
// `watch: false` the loop lists (retrying failures the same way) and ends after the first
// complete list, so no long-lived stream is opened at all.
//
// The loop never throws and never rejects: every failure is classified and handed to `state`.
import { ApiException } from '@kubernetes/client-node';
import type { Response } from 'undici';
import type { ContextClient } from './contextClient.ts';
import { classifyError, type ClassifiedError } from './errors.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { realClock, sleep, type Clock } from './clock.ts';
import { DEFAULT_WATCH_LINE_BYTES, LineSplitter, type SplitLine } from './lineSplitter.ts';
import type { KubeObjectJson } from '../store/types.ts';
import type { RetryGate } from './retryGate.ts';

/** What is listed and watched: one collection, optionally narrowed by selectors. */
export interface WatchTarget {
  /** Collection path: `/api/v1/pods`, `/api/v1/namespaces/istio-system/configmaps`, `/apis/<g>/<v>/gateways`. */
  path: string;
  /** Filled into list items, which the apiserver sends without them for built-in types. */
  apiVersion: string;
  kind: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A Kubernetes object as JSON: what the store keeps, so events go in without conversion. */
export type WatchedObject = KubeObjectJson;

export interface WatchLoopEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: WatchedObject;
}

export type WatchLoopState =
  /** Listing: the first time, or again after 410 / a lost event / access regained. */
  | { phase: 'listing' }
  /** Listed and watching: what was handed over is current. */
  | { phase: 'watching' }
  /** Listed, and not watched (`watch: false`): what was handed over was current at the list; the loop has ended. */
  | { phase: 'listed' }
  /** Nothing (not even a bookmark) for longer than the stall timeout; the watch is being replaced. */
  | { phase: 'stalled'; silentMs: number }
  | { phase: 'forbidden'; error: ClassifiedError; retryInMs: number }
  | { phase: 'notInstalled'; error: ClassifiedError; retryInMs: number }
  /** Any other failure (unreachable, auth, exec plugin, throttled, server error…); retried. */
  | { phase: 'failing'; error: ClassifiedError; retryInMs: number };

export interface WatchLoopHandlers {
  /** After a complete (paginated) list: the objects are exactly these. */
  relisted(objects: WatchedObject[], resourceVersion: string): void;
  /** Events in arrival order, a network chunk's worth at a time. */
  events(events: WatchLoopEvent[]): void;
  state(state: WatchLoopState): void;
}

export interface WatchLoopOptions {
  /** Items per list page (default 500, as kubectl and client-go). */
  pageSize?: number;
  /** Server-side watch duration; default a random 5–10 min, so watches do not all renew at once. */
  watchTimeoutSeconds?: number;
  /**
   * A watch that delivers nothing, not even a bookmark, for this long is presumed dead (a
   * half-open connection, a stuck proxy) and replaced. The apiserver bookmarks about once a
   * minute; default 150 s.
   */
  stallTimeoutMs?: number;
  /** Retry delays after failures (default about 1 s doubling to 30 s, jittered). */
  backoff?: BackoffOptions;
  /** How often a forbidden or not-installed resource is tried again (default 60 s). */
  slowRetryMs?: number;
  /** Watch events longer than this are dropped and cause a relist (default 16 MiB). */
  maxLineBytes?: number;
  /** Shared by a context's watches: context-wide failures make them all retry together. */
  gate?: RetryGate;
  /** false: list once (retrying failures) and end, for a one-shot snapshot. Default true. */
  watch?: boolean;
  /** What backoff, re-probes and the stall timer wait on; tests pass a manual one. */
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter and the spread of watch timeouts; tests pin it. */
  random?: () => number;
  /** Told of every list page and watch as it is requested: for diagnostics, and for tests that must know a watch was renewed. */
  onRequest?: (request: WatchLoopRequest) => void;
}

export interface WatchLoopRequest {
  verb: 'list' | 'watch';
  target: WatchTarget;
  /** A watch's resume point ('' for one that starts from now). */
  resourceVersion?: string;
  /** A list page's continue token (absent on the first page). */
  continue?: string;
}

const DEFAULT_STALL_TIMEOUT_MS = 150_000;
const DEFAULT_SLOW_RETRY_MS = 60_000;
const DEFAULT_PAGE_SIZE = 500;
/** Failures of the context, not of one resource: its credentials or its connection. */
const CONTEXT_WIDE_KINDS = new Set(['auth', 'exec', 'unreachable', 'tls', 'config']);
const PROBLEM_PHASES = new Set<WatchLoopState['phase'] | undefined>(['failing', 'forbidden', 'notInstalled']);

/** How one watch request ended, when it did not throw. */
type WatchEnd = { kind: 'ended' } | { kind: 'gone' } | { kind: 'stalled' } | { kind: 'lostEvent'; error: ClassifiedError };
/** …and whether it delivered anything before (a watch that never does must not be retried hot). */
type WatchOutcome = WatchEnd & { progressed: boolean };

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: unknown[];
}

export class WatchLoop {
  readonly #client: ContextClient;
  readonly #target: WatchTarget;
  readonly #handlers: WatchLoopHandlers;
  readonly #options: WatchLoopOptions;
  readonly #backoff: Backoff;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #stop = new AbortController();
  /** Where the next watch resumes; undefined means a list is needed first. */
  #resourceVersion: string | undefined;
  #running: Promise<void> | undefined;
  #lastPhase: WatchLoopState['phase'] | undefined;
  /** The last watch was replaced for silence; the next must deliver before it counts as healthy. */
  #stalledBefore = false;

  constructor(client: ContextClient, target: WatchTarget, handlers: WatchLoopHandlers, options: WatchLoopOptions = {}) {
    this.#client = client;
    this.#target = target;
    this.#handlers = handlers;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    this.#backoff = new Backoff({ random: this.#random, ...options.backoff });
  }

  start(): void {
    if (this.#running || this.#stop.signal.aborted) return;
    this.#running = this.#run().catch((error: unknown) => {
      // #run catches everything it expects; this is the net under a bug, never a crash.
      this.#report({ phase: 'failing', error: this.#classify(error, 'watch'), retryInMs: 0 });
    });
  }

  /** Cancels the request, stream and timer in progress; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#stop.abort(new DOMException('watch stopped', 'AbortError'));
    await this.#running;
  }

  get #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let wait = 0;
      try {
        await this.#options.gate?.wait(this.#stop.signal);
        if (this.#stopped) break;
        if (this.#resourceVersion === undefined) {
          // A retry after a failure keeps showing the failure until it succeeds or fails anew,
          // so a status does not flicker to "listing" on every attempt.
          if (!PROBLEM_PHASES.has(this.#lastPhase)) this.#report({ phase: 'listing' });
          await this.#list();
        }
        if (this.#options.watch === false) {
          this.#report({ phase: 'listed' });
          break;
        }
        const outcome = await this.#watch(this.#resourceVersion ?? '');
        if (outcome.progressed) this.#backoff.reset();
        switch (outcome.kind) {
          case 'ended':
            break;
          case 'gone':
            this.#resourceVersion = undefined;
            break;
          case 'stalled':
            break;
          case 'lostEvent':
            this.#resourceVersion = undefined;
            this.#report({ phase: 'failing', error: outcome.error, retryInMs: 0 });
            break;
        }
        // A watch that ends, stalls or fails before delivering anything would otherwise spin.
        if (!outcome.progressed) wait = this.#backoff.next();
      } catch (error) {
        if (this.#stopped) break;
        const classified = this.#classify(error, this.#resourceVersion === undefined ? 'list' : 'watch');
        wait = this.#failed(classified);
        if (CONTEXT_WIDE_KINDS.has(classified.kind)) this.#options.gate?.hold(wait);
      }
      if (wait > 0) await sleep(wait, this.#stop.signal, this.#clock);
    }
  }

  /** Reports a failure and returns how long to wait before the next attempt. */
  #failed(error: ClassifiedError): number {
    switch (error.kind) {
      case 'gone': {
        // A list continue token or a resume point expired: start over from a fresh list, at
        // once the first time, with backoff when it keeps happening (a 410 storm).
        this.#resourceVersion = undefined;
        const first = this.#backoff.failures === 0;
        const delay = this.#backoff.next();
        return first ? 0 : delay;
      }
      case 'forbidden': {
        // Objects read before the RBAC change can no longer be trusted; regained access relists.
        this.#resourceVersion = undefined;
        const retryInMs = this.#options.slowRetryMs ?? DEFAULT_SLOW_RETRY_MS;
        this.#report({ phase: 'forbidden', error, retryInMs });
        return retryInMs;
      }
      case 'notInstalled': {
        this.#resourceVersion = undefined;
        const retryInMs = this.#options.slowRetryMs ?? DEFAULT_SLOW_RETRY_MS;
        this.#report({ phase: 'notInstalled', error, retryInMs });
        return retryInMs;
      }
      case 'throttled': {
        const retryInMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : this.#backoff.next();
        this.#report({ phase: 'failing', error, retryInMs });
        return retryInMs;
      }
      default: {
        // Unreachable, timeouts, 401 (the client already dropped its cached exec credential),
        // exec plugin failures, 5xx, TLS and config problems: keep the resume point (a later
        // watch from it either replays what was missed or answers 410) and back off.
        const retryInMs = this.#backoff.next();
        this.#report({ phase: 'failing', error, retryInMs });
        return retryInMs;
      }
    }
  }

  async #list(): Promise<void> {
    const items: WatchedObject[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const query = this.#query({
        limit: String(this.#options.pageSize ?? DEFAULT_PAGE_SIZE),
        ...(continueToken !== undefined && { continue: continueToken }),
      });
      this.#observe({ verb: 'list', target: this.#target, ...(continueToken !== undefined && { continue: continueToken }) });
      const page = await this.#client.getJson<ListBody>(`${this.#target.path}?${query}`, { signal: this.#stop.signal });
      for (const item of page.items ?? []) {
        const object = this.#asObject(item);
        if (object) items.push(object);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken !== undefined && !this.#stopped);
    this.#stop.signal.throwIfAborted();
    this.#resourceVersion = resourceVersion;
    this.#deliver(() => this.#handlers.relisted(items, resourceVersion));
    this.#backoff.reset();
  }

  async #watch(resourceVersion: string): Promise<WatchOutcome> {
    const attempt = new AbortController();
    const stopAttempt = (): void => attempt.abort(this.#stop.signal.reason);
    this.#stop.signal.addEventListener('abort', stopAttempt, { once: true });
    const stallTimeoutMs = this.#options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    let stalled = false;
    let stallTimer: unknown;
    const armStallTimer = (): void => {
      this.#clock.clearTimeout(stallTimer);
      stallTimer = this.#clock.setTimeout(() => {
        stalled = true;
        attempt.abort(new DOMException('watch stalled', 'AbortError'));
      }, stallTimeoutMs);
    };
    let progressed = false;
    try {
      const query = this.#query({
        watch: 'true',
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(this.#options.watchTimeoutSeconds ?? 300 + Math.floor(this.#random() * 300)),
        ...(resourceVersion !== '' && { resourceVersion }),
      });
      const path = `${this.#target.path}?${query}`;
      this.#observe({ verb: 'watch', target: this.#target, resourceVersion });
      armStallTimer();
      const response = await this.#client.fetch(path, { stream: true, signal: attempt.signal, headers: { Accept: 'application/json' } });
      if (response.status !== 200) throw await responseError(response);
      // After a stall, a new watch proves itself with its first event, not with its headers: a
      // stuck server answers headers and then nothing.
      if (!this.#stalledBefore) this.#report({ phase: 'watching' });
      const splitter = new LineSplitter({ maxLineBytes: this.#options.maxLineBytes ?? DEFAULT_WATCH_LINE_BYTES, overLong: 'drop' });
      const body = response.body;
      if (!body) return { kind: 'ended', progressed };
      // Returning from inside the loop (410, a lost event) cancels the body and frees the connection.
      for await (const chunk of body) {
        armStallTimer();
        const result = this.#consume(splitter.push(chunk as Uint8Array));
        if (result.delivered) {
          progressed = true;
          if (this.#stalledBefore) {
            this.#stalledBefore = false;
            this.#report({ phase: 'watching' });
          }
        }
        if (result.stop) return { ...result.stop, progressed };
      }
      const last = this.#consume(splitter.end());
      if (last.delivered) progressed = true;
      if (last.stop) return { ...last.stop, progressed };
      return { kind: 'ended', progressed };
    } catch (error) {
      if (stalled && !this.#stopped) {
        this.#stalledBefore = true;
        this.#report({ phase: 'stalled', silentMs: stallTimeoutMs });
        return { kind: 'stalled', progressed };
      }
      throw error;
    } finally {
      this.#clock.clearTimeout(stallTimer);
      this.#stop.signal.removeEventListener('abort', stopAttempt);
      attempt.abort();
    }
  }

  /** Parses complete lines, hands the events over, and says whether the watch must end. */
  #consume(lines: readonly SplitLine[]): { delivered: boolean; stop?: WatchEnd } {
    const events: WatchLoopEvent[] = [];
    let stop: WatchEnd | undefined;
    for (const line of lines) {
      if (line.kind === 'oversized') {
        stop = { kind: 'lostEvent', error: this.#lost(`a watch event of ${line.bytes} bytes exceeded the line limit and was dropped`) };
        break;
      }
      if (line.text.trim() === '') continue;
      const parsed = parseEvent(line.text);
      if (!parsed) {
        stop = { kind: 'lostEvent', error: this.#lost('the server sent a watch event that is not valid JSON') };
        break;
      }
      if (parsed.type === 'ERROR') {
        const status = parsed.object as { code?: unknown; message?: unknown };
        if (status.code === 410) {
          stop = { kind: 'gone' };
          break;
        }
        stop = {
          kind: 'lostEvent',
          error: this.#classify(
            Object.assign(new Error(typeof status.message === 'string' ? status.message : 'watch error'), {
              statusCode: Number(status.code),
              body: parsed.object,
            }),
            'watch',
          ),
        };
        break;
      }
      const object = this.#asObject(parsed.object, parsed.type === 'BOOKMARK');
      if (!object) continue;
      const rv = object.metadata.resourceVersion;
      if (rv !== undefined && rv !== '') this.#resourceVersion = rv;
      events.push({ type: parsed.type, object });
    }
    if (events.length > 0) this.#deliver(() => this.#handlers.events(events));
    return { delivered: events.length > 0, ...(stop && { stop }) };
  }

  #lost(message: string): ClassifiedError {
    return { kind: 'unknown', message: `${this.#client.name}: watch ${this.#describe()}: ${message}; listing again`, retryable: true };
  }

  /** Fills in kind/apiVersion (absent on built-in list items); drops what cannot be an object. */
  #asObject(value: unknown, bookmark = false): WatchedObject | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const raw = value as Partial<WatchedObject>;
    const metadata = raw.metadata;
    if (typeof metadata !== 'object' || metadata === null) return undefined;
    if (!bookmark && typeof metadata.name !== 'string') return undefined;
    if (raw.kind === this.#target.kind && raw.apiVersion === this.#target.apiVersion) return raw as WatchedObject;
    return { ...raw, apiVersion: raw.apiVersion ?? this.#target.apiVersion, kind: raw.kind ?? this.#target.kind, metadata };
  }

  #query(extra: Record<string, string>): string {
    const params = new URLSearchParams();
    if (this.#target.labelSelector) params.set('labelSelector', this.#target.labelSelector);
    if (this.#target.fieldSelector) params.set('fieldSelector', this.#target.fieldSelector);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return params.toString();
  }

  #describe(): string {
    const selectors = [this.#target.labelSelector, this.#target.fieldSelector].filter((s) => s);
    return selectors.length > 0 ? `${this.#target.path} (${selectors.join(', ')})` : this.#target.path;
  }

  #classify(error: unknown, verb: 'list' | 'watch'): ClassifiedError {
    return classifyError(error, {
      context: this.#client.name,
      server: this.#client.server,
      action: `${verb} ${this.#describe()}`,
      path: this.#target.path,
    });
  }

  /** A handler's bug is reported, never allowed to end or wedge the watch. */
  #deliver(hand: () => void): void {
    try {
      hand();
    } catch (error) {
      this.#report({ phase: 'failing', error: this.#classify(error, 'watch'), retryInMs: 0 });
    }
  }

  #observe(request: WatchLoopRequest): void {
    try {
      this.#options.onRequest?.(request);
    } catch {
      // An observer's bug must not end the watch.
    }
  }

  #report(state: WatchLoopState): void {
    if (this.#stopped) return;
    this.#lastPhase = state.phase;
    try {
      this.#handlers.state(state);
    } catch {
      // A handler's bug must not end the watch; the feed reports its own errors.
    }
  }
}

function parseEvent(line: string): { type: WatchLoopEvent['type'] | 'ERROR'; object: unknown } | undefined {
  try {
    const value = JSON.parse(line) as { type?: unknown; object?: unknown };
    const type = value.type;
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK' && type !== 'ERROR') return undefined;
    return { type, object: value.object };
  } catch {
    return undefined;
  }
}

/** A non-200 answer as the ApiException the classifier reads (code, Status body, headers). */
async function responseError(response: Response): Promise<ApiException<string>> {
  const text = await response.text().catch(() => '');
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return new ApiException<string>(
    response.status,
    `HTTP-Code: ${response.status}\nMessage: ${response.statusText}\nBody: ${text}`,
    text,
    headers,
  );
}
