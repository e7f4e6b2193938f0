// A clock the test moves by hand, so live log lines appear exactly when the test says.
import type { PodClock } from '../../../src/sim/pod/clock.ts';

interface Timer {
  due: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements PodClock {
  private current: number;
  private timers: Timer[] = [];

  constructor(start = Date.parse('2026-01-10T12:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): () => void {
    const timer: Timer = { due: this.current + delayMs, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers.filter((t) => t.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.due);
      next.cancelled = true;
      next.fn();
    }
    this.current = end;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
