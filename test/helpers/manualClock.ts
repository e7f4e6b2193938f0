// A hand-cranked clock: time moves only when the test says so, so how often something retried,
// committed or ran is a fact of the code, not of how busy the machine was. It serves the store's
// batching (Timers) and the watch loop's waits (kube/clock.ts Clock), which share one shape.
import type { Clock } from '../../src/kube/clock.ts';

interface Task {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private tasks: Task[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const task = { id: this.nextId++, at: this.time + Math.max(0, ms), fn };
    this.tasks.push(task);
    return task.id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }

  /** Timers set and not yet run or cleared: for a retry loop, the loops now waiting. */
  get pending(): number {
    return this.tasks.length;
  }

  /** When the next timer is due; undefined when none is set. */
  get nextAt(): number | undefined {
    return this.tasks.reduce<number | undefined>((min, t) => (min === undefined || t.at < min ? t.at : min), undefined);
  }

  /** Move time forward, running due tasks in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = target;
  }

  /** Move time to the next due timer and run every timer due at that instant. */
  advanceToNext(): void {
    const next = this.nextAt;
    if (next !== undefined) this.advance(next - this.time);
  }
}
