// One open watch response: newline-delimited JSON events over a chunked HTTP 200, with
// periodic BOOKMARKs, the timeoutSeconds cut-off, and the stall/reset faults. What an event
// looks like (full object, Table row, metadata only) is the caller's `encode`.
import type { ServerResponse } from 'node:http';
import type { FaultController } from './faults.ts';
import { isHttp2, responseStream } from './responseStream.ts';
import type { JsonObject, StatusObject, WatchEventType } from './types.ts';

export interface OutgoingEvent {
  type: WatchEventType;
  object: JsonObject;
}

export interface WatchStreamOptions {
  res: ServerResponse;
  /** Plural resource, matched against the stall fault. */
  resource: string;
  faults: FaultController;
  headers: Record<string, string>;
  /** 0 disables bookmarks (the client did not ask for them). */
  bookmarkIntervalMs: number;
  /** The bookmark body, built when it is sent (it carries the then-current resourceVersion). */
  bookmark: () => JsonObject;
  timeoutMs: number;
  /** Called once when the stream ends, whichever side ends it. */
  onClose: () => void;
}

export class WatchStream {
  readonly #o: WatchStreamOptions;
  readonly #held: OutgoingEvent[] = [];
  #closed = false;
  #deadlinePassed = false;
  #bookmarkTimer: NodeJS.Timeout | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #unsubscribeStall: () => void = () => {};
  #untrack: () => void = () => {};

  constructor(o: WatchStreamOptions) {
    this.#o = o;
  }

  /** Sends the 200 headers; from now on the client sees a watch. */
  start(): void {
    const { res, faults } = this.#o;
    res.writeHead(200, {
      ...this.#o.headers,
      'Content-Type': 'application/json',
      ...(isHttp2(res) ? {} : { 'Transfer-Encoding': 'chunked' }),
    });
    // Headers go out now, as the real server flushes them before the first event.
    res.flushHeaders();
    this.#untrack = faults.trackStream(responseStream(res));
    res.on('close', () => this.#finish());
    this.#unsubscribeStall = faults.onStallChange(() => this.#flushHeld());
    if (this.#o.bookmarkIntervalMs > 0) {
      this.#bookmarkTimer = setInterval(() => this.#sendBookmark(), this.#o.bookmarkIntervalMs);
    }
    this.#timeoutTimer = setTimeout(() => this.#timeout(), this.#o.timeoutMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(event: OutgoingEvent): void {
    if (this.#closed) return;
    if (this.#stalled() || this.#held.length > 0) {
      this.#held.push(event);
      return;
    }
    this.#write(event);
  }

  /** One ERROR event carrying a Status, then the end: how the real server reports 410 mid-watch. */
  fail(status: StatusObject): void {
    if (this.#closed) return;
    this.#write({ type: 'ERROR', object: status as unknown as JsonObject });
    this.end();
  }

  end(): void {
    if (this.#closed) return;
    this.#o.res.end();
    this.#finish();
  }

  #stalled(): boolean {
    return this.#o.faults.isStalled(this.#o.resource);
  }

  #write(event: OutgoingEvent): void {
    this.#o.res.write(JSON.stringify(event) + '\n');
  }

  #flushHeld(): void {
    if (this.#closed || this.#stalled()) return;
    while (this.#held.length > 0) this.#write(this.#held.shift()!);
    if (this.#deadlinePassed) this.#timeout();
  }

  #sendBookmark(): void {
    // A bookmark promises every earlier event was delivered; a stalled stream cannot promise that.
    if (this.#closed || this.#stalled() || this.#held.length > 0) return;
    this.#write({ type: 'BOOKMARK', object: this.#o.bookmark() });
  }

  #timeout(): void {
    if (this.#closed) return;
    // A stalled server does not even close on time; it ends once it delivers again.
    if (this.#stalled()) {
      this.#deadlinePassed = true;
      return;
    }
    // The real server sends a last bookmark just before the deadline, so the client resumes from it.
    if (this.#o.bookmarkIntervalMs > 0) this.#sendBookmark();
    this.end();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#bookmarkTimer);
    clearTimeout(this.#timeoutTimer);
    this.#unsubscribeStall();
    this.#untrack();
    this.#o.onClose();
  }
}
