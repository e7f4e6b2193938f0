// When a polling feed (istiod's debug endpoints, source pods) refreshes: one refresh at a time,
// again `intervalMs` after one ends, and at once when asked. Asks that arrive while a refresh
// runs share a single follow-up, so their answers postdate the ask without piling up runs.
//
// A refresh is full (everything fetched again; the interval restarts) or partial (only what is
// new since the last one; the interval keeps running, so a stream of small changes cannot
// starve the full refresh). A follow-up is full when any of the asks it serves was.

export interface RefreshScheduleOptions {
  intervalMs: number;
  /** One refresh. Failures are the feed's to turn into facts: a rejection here is a bug, and is swallowed. */
  refresh: (full: boolean) => Promise<void>;
}

export class RefreshSchedule {
  readonly #options: RefreshScheduleOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #queuedFull = false;
  #stopped = true;

  constructor(options: RefreshScheduleOptions) {
    this.#options = options;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Allows refreshes again; the first is the caller's to ask for. */
  start(): void {
    this.#stopped = false;
  }

  /** Resolves once the asked-for refresh (or the follow-up that serves it) has ended. */
  request(full: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (!this.#running) return this.#run(full);
    this.#queuedFull ||= full;
    this.#queued ??= this.#running.then(() => {
      const queuedFull = this.#queuedFull;
      this.#queued = undefined;
      this.#queuedFull = false;
      return this.#stopped ? undefined : this.#run(queuedFull);
    });
    return this.#queued;
  }

  /** Resolves once the refresh running now and its follow-up, if any, have ended (at once when idle). */
  async idle(): Promise<void> {
    await this.#running;
    await this.#queued;
  }

  /**
   * No refresh starts from now on; resolves when the running one and its follow-up have ended.
   * The caller aborts what the refresh is waiting on after calling this, not before, so the
   * refresh finds the schedule stopped when it ends.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.#queued;
  }

  #run(full: boolean): Promise<void> {
    if (full) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // A bug in one refresh must not become an unhandled rejection nor stop the next one.
    const run = this.#options
      .refresh(full)
      .catch(() => undefined)
      .finally(() => {
        this.#running = undefined;
        if (!this.#stopped && this.#timer === undefined) this.#timer = setTimeout(() => void this.request(true), this.#options.intervalMs);
      });
    this.#running = run;
    return run;
  }
}
