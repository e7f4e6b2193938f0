// The timer half of log stall detection: re-armed whenever bytes arrive; when a stream has been
// silent for a period it runs a check (logStallProbe.ts asks the kubelet what it holds) and cuts
// the stream only if the check says it is stuck. Between checks it re-arms itself, so a quiet
// pod costs one small read per period and is never cut.

export interface LogStallWatchOptions {
  /** Silence that triggers a check; 0 or less turns checking off. */
  periodMs: number;
  /** Bytes the stream has delivered so far; a change means it is alive. */
  bytesSeen: () => number;
  /** True when the stream is stuck; `stillSilent` says whether it has stayed silent meanwhile. */
  check: (stillSilent: () => boolean, signal: AbortSignal) => Promise<boolean>;
  cut: () => void;
}

export class LogStallWatch {
  readonly #options: LogStallWatchOptions;
  readonly #cancel = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #disarmed = false;

  constructor(options: LogStallWatchOptions) {
    this.#options = options;
  }

  /** (Re)starts the silence timer: call when the stream opens and on every chunk. */
  arm(): void {
    if (this.#options.periodMs <= 0 || this.#disarmed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), this.#options.periodMs);
  }

  /** Stops the timer and any check in flight; resolves once that check has settled. */
  async disarm(): Promise<void> {
    this.#disarmed = true;
    clearTimeout(this.#timer);
    this.#cancel.abort();
    await this.#inFlight;
  }

  #fire(): void {
    this.#timer = undefined;
    // Bytes arriving during a long check re-arm the timer; one check at a time is enough.
    if (this.#inFlight) return this.arm();
    this.#inFlight = this.#runCheck().finally(() => (this.#inFlight = undefined));
  }

  async #runCheck(): Promise<void> {
    const before = this.#options.bytesSeen();
    let stalled = false;
    try {
      stalled = await this.#options.check(() => this.#options.bytesSeen() === before, this.#cancel.signal);
    } catch {
      stalled = false; // a failed check proves nothing; the stream's own errors will speak
    }
    if (this.#disarmed) return;
    if (stalled) this.#options.cut();
    else if (this.#timer === undefined) this.arm();
  }
}
