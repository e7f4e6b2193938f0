// Shared by the watches of one context: when one of them learns that the whole context is in
// trouble — credentials rejected, exec plugin failing, server unreachable — the others wait
// for the same moment before trying again instead of each retrying on its own clock. Waking
// together matters for exec plugins: concurrent requests share one plugin run (the provider is
// single-flight), so a context with fifteen watches runs a failing plugin once per retry
// instead of fifteen times, and a machine is not flooded with plugin processes.
import { sleep } from './backoff.ts';

export class RetryGate {
  #until = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Nobody in this context tries again for `ms` (extends, never shortens, a hold). */
  hold(ms: number): void {
    this.#until = Math.max(this.#until, this.#now() + ms);
  }

  /** Waits out the current hold (returns at once if there is none, or when `signal` aborts). */
  async wait(signal: AbortSignal): Promise<void> {
    const ms = this.#until - this.#now();
    if (ms > 0) await sleep(ms, signal);
  }
}
