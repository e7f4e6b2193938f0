// Shared by the watches of one context: when one of them learns that the whole context is in
// trouble — credentials rejected, exec plugin failing, server unreachable — the others wait
// for the same moment before trying again instead of each retrying on its own clock. Waking
// together matters for exec plugins: concurrent requests share one plugin run (the provider is
// single-flight), so a context with fifteen watches runs a failing plugin once per retry
// instead of fifteen times, and a machine is not flooded with plugin processes.
import { realClock, sleep, type Clock } from './clock.ts';

export class RetryGate {
  #until = Number.NEGATIVE_INFINITY;
  readonly #clock: Clock;

  constructor(clock: Clock = realClock) {
    this.#clock = clock;
  }

  /** Nobody in this context tries again for `ms` (extends, never shortens, a hold). */
  hold(ms: number): void {
    this.#until = Math.max(this.#until, this.#clock.now() + ms);
  }

  /** Waits out the current hold (returns at once if there is none, or when `signal` aborts). */
  async wait(signal: AbortSignal): Promise<void> {
    const ms = this.#until - this.#clock.now();
    if (ms > 0) await sleep(ms, signal, this.#clock);
  }
}
