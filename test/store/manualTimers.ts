// A hand-cranked clock for batching tests: time moves only when the test says so, so the
// number of commits is a fact of the code, not of how busy the machine is.
import type { Timers } from '../../src/store/batcher.ts';

interface Task {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualTimers implements Timers {
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
}
