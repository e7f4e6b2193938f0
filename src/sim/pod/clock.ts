// The time source of the pod services. Live log lines are scheduled on it, so tests can
// drive a simulated cluster's clock by hand instead of waiting for real seconds to pass.

export interface PodClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, fn: () => void): () => void;
}

export const systemClock: PodClock = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    const timer = setTimeout(fn, delayMs);
    // A simulator's log schedule alone must not keep a finished process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
