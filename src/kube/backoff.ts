// Exponential backoff with full jitter. Jitter matters here: when a
// cluster comes back, every watch of every console pointed at it would otherwise reconnect in
// the same instant; spreading them out is what the apiserver's priority-and-fairness expects.

export interface BackoffOptions {
  /** First delay's upper bound. Default 1 s. */
  initialMs?: number;
  /** Largest delay. Default 30 s. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /** Random source in [0, 1); tests may pin it. */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 1_000;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#failures);
    this.#failures += 1;
    // Half fixed, half random: never a zero delay (a hot loop), still spread out.
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }

  reset(): void {
    this.#failures = 0;
  }

  get failures(): number {
    return this.#failures;
  }
}

// The abortable sleep lives with the clock it sleeps on; re-exported for the followers that use it.
export { sleep } from './clock.ts';
