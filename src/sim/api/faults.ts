// Run-time faults of one simulated API server: what an on-call engineer meets in real
// clusters (slow apiserver, stalled or reset watches, 410 Gone, expired credentials, RBAC
// changes, a CRD uninstalled, throttling, an unreachable endpoint). Tests and scenarios
// switch them on and off while clients are connected.
import { constants, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { FaultSpec, ForbiddenRule } from '../scenario/model.ts';

/** What the faults act on; the server binds itself here when it is constructed. */
export interface FaultTarget {
  compact(): void;
  setCrdInstalled(crdName: string, installed: boolean): void;
  setReachable(reachable: boolean): Promise<void>;
}

interface ThrottleState {
  remaining: number;
  retryAfterSeconds: number;
  resource?: string;
}

type StallListener = () => void;

export class FaultController {
  #target: FaultTarget | undefined;
  #latencyMs = 0;
  #tokensExpired = false;
  /** undefined: not stalled; '*': every resource; else one plural resource. */
  #stalled: string | undefined;
  #stallListeners = new Set<StallListener>();
  #streams = new Set<Duplex>();
  #watchesByCrd = new Map<string, Set<() => void>>();
  #goneNextWatch = new Set<string>();
  #forbidden = new Map<string, ForbiddenRule[]>();
  #throttle: ThrottleState | undefined;
  #timers = new Set<NodeJS.Timeout>();

  /** Called by SimApiServer; faults that change the server wait for it. */
  bind(target: FaultTarget): void {
    this.#target = target;
  }

  // ---- latency ----
  setLatency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }
  get latencyMs(): number {
    return this.#latencyMs;
  }

  // ---- stalled watches ----
  /** Open and new watches (of `resource`, or all) stop delivering events and bookmarks but stay open. */
  stallWatches(resource = '*'): void {
    this.#stalled = resource;
    this.#notifyStall();
  }
  /** Watches deliver again, starting with what they held back. */
  resumeWatches(): void {
    this.#stalled = undefined;
    this.#notifyStall();
  }
  isStalled(resource: string): boolean {
    return this.#stalled === '*' || this.#stalled === resource;
  }
  onStallChange(listener: StallListener): () => void {
    this.#stallListeners.add(listener);
    return () => this.#stallListeners.delete(listener);
  }
  #notifyStall(): void {
    for (const l of [...this.#stallListeners]) l();
  }

  // ---- reset streams ----
  /** Long-running connections (watch, log, port-forward) register so a reset can cut them. */
  trackStream(socket: Duplex): () => void {
    this.#streams.add(socket);
    const onClose = (): void => {
      this.#streams.delete(socket);
    };
    socket.once('close', onClose);
    // Keep-alive sockets carry many requests: forget this one without piling up listeners.
    return () => {
      socket.off('close', onClose);
      this.#streams.delete(socket);
    };
  }
  /** Destroys every open watch, log and port-forward connection now (clients see a reset). */
  resetStreams(): void {
    for (const s of [...this.#streams]) cut(s);
    this.#streams.clear();
  }
  get openStreams(): number {
    return this.#streams.size;
  }

  // ---- 410 Gone ----
  /** Forgets the watch history (resumes get 410); with `resource`, that resource's next watch is answered 410 whatever its resourceVersion. */
  gone(resource?: string): void {
    this.#target?.compact();
    if (resource) this.#goneNextWatch.add(resource);
  }
  /** True once per armed resource: the watch handler answers that watch with 410. */
  takeGone(resource: string): boolean {
    return this.#goneNextWatch.delete(resource);
  }

  // ---- credentials ----
  expireTokens(expired = true): void {
    this.#tokensExpired = expired;
  }
  get tokensExpired(): boolean {
    return this.#tokensExpired;
  }

  // ---- RBAC changes ----
  forbid(user: string, rule: ForbiddenRule): void {
    const rules = this.#forbidden.get(user) ?? [];
    rules.push(rule);
    this.#forbidden.set(user, rules);
  }
  /** Lifts run-time rules for a user (all of them without `rule`); scenario rules stay. */
  allow(user: string, rule?: ForbiddenRule): void {
    if (!rule) {
      this.#forbidden.delete(user);
      return;
    }
    const same = (r: ForbiddenRule): boolean =>
      r.verb === rule.verb && r.resource === rule.resource && r.group === rule.group && r.namespace === rule.namespace;
    this.#forbidden.set(
      user,
      (this.#forbidden.get(user) ?? []).filter((r) => !same(r)),
    );
  }
  forbiddenRules(user: string): ForbiddenRule[] {
    return this.#forbidden.get(user) ?? [];
  }

  // ---- CRD removed / added ----
  /** `crdName` is '<plural>.<group>', e.g. 'workloadentries.networking.istio.io'. Removing it ends its open watches. */
  setCrdMissing(crdName: string, missing: boolean): void {
    this.#target?.setCrdInstalled(crdName, !missing);
    if (!missing) return;
    // The real server tears down a deleted CRD's handler, closing its watches; the re-watch then 404s.
    const enders = this.#watchesByCrd.get(crdName);
    this.#watchesByCrd.delete(crdName);
    for (const end of enders ?? []) end();
  }
  /** Open watches of custom resources register how to end them cleanly. */
  trackCustomWatch(crdName: string, end: () => void): () => void {
    const set = this.#watchesByCrd.get(crdName) ?? new Set();
    set.add(end);
    this.#watchesByCrd.set(crdName, set);
    return () => {
      set.delete(end);
    };
  }

  // ---- 429 ----
  /** The next `count` requests (of `resource` if given) are answered 429 with Retry-After. */
  tooManyRequests(count: number, retryAfterSeconds: number, resource?: string): void {
    this.#throttle = count > 0 ? { remaining: count, retryAfterSeconds, ...(resource ? { resource } : {}) } : undefined;
  }
  /** Consumes one throttled request if this one matches; returns the Retry-After seconds. */
  takeThrottle(resource: string | undefined): number | undefined {
    const t = this.#throttle;
    if (!t) return undefined;
    if (t.resource !== undefined && t.resource !== resource) return undefined;
    t.remaining -= 1;
    if (t.remaining <= 0) this.#throttle = undefined;
    return t.retryAfterSeconds;
  }

  // ---- unreachable ----
  async setUnreachable(unreachable: boolean): Promise<void> {
    await this.#target?.setReachable(!unreachable);
  }

  // ---- scenario faults ----
  /** Applies a scenario's FaultSpec[]; timed ones start their timers now. */
  applySpecs(specs: FaultSpec[]): void {
    for (const spec of specs) this.#applySpec(spec);
  }

  #later(seconds: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, seconds * 1000);
    // A scenario timer must never keep a finished process (or test) alive.
    timer.unref();
    this.#timers.add(timer);
  }

  #applySpec(spec: FaultSpec): void {
    switch (spec.kind) {
      case 'latency':
        this.setLatency(spec.ms);
        return;
      case 'stallWatches':
        this.stallWatches(spec.resource);
        return;
      case 'resetStreams':
        this.#later(spec.afterSeconds, () => this.resetStreams());
        return;
      case 'gone':
        this.gone(spec.resource);
        return;
      case 'tooManyRequests':
        this.tooManyRequests(spec.count ?? Number.MAX_SAFE_INTEGER, spec.retryAfterSeconds, spec.resource);
        return;
      case 'unreachable': {
        const goDown = (): void => {
          void this.setUnreachable(true);
          if (spec.forSeconds !== undefined) this.#later(spec.forSeconds, () => void this.setUnreachable(false));
        };
        if (spec.afterSeconds) this.#later(spec.afterSeconds, goDown);
        else goDown();
        return;
      }
    }
  }

  /** Cancels pending scenario timers (the server is closing). */
  dispose(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#stallListeners.clear();
  }
}

/**
 * Ends a watch, log or port-forward as a broken connection does. An HTTP/2 stream is reset with
 * INTERNAL_ERROR: a plain destroy sends RST_STREAM NO_ERROR, which a client reads as a clean end.
 */
function cut(stream: Duplex): void {
  // node:http2 does not export its stream class: an HTTP/2 stream is the Duplex with a session.
  const h2 = stream as Partial<ServerHttp2Stream>;
  if (h2.session !== undefined && typeof h2.close === 'function') h2.close(constants.NGHTTP2_INTERNAL_ERROR);
  else stream.destroy();
}
