// Coalesces a stream of items into commits at most once per interval. A watch relist or an
// event storm of thousands of items becomes a few commits a second, so screens re-render a
// few times a second instead of thousands.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  // Kept ref'd on purpose: a pending commit is at most one interval away, and a process that
  // exits before it would lose data; `--once` and shutdown call flush() instead of waiting.
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface Batcher<T> {
  enqueue(items: readonly T[]): void;
  /** Commit whatever is pending now (no-op when nothing is). */
  flush(): void;
  pending(): number;
  /** Drop the timer; pending items are discarded. */
  dispose(): void;
}

export function createBatcher<T>(options: { intervalMs: number; commit: (items: T[]) => void; timers?: Timers }): Batcher<T> {
  const timers = options.timers ?? realTimers;
  let queue: T[] = [];
  let timer: unknown;
  let lastCommit = Number.NEGATIVE_INFINITY;
  let disposed = false;

  function flush(): void {
    if (timer !== undefined) {
      timers.clearTimeout(timer);
      timer = undefined;
    }
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    lastCommit = timers.now();
    options.commit(items);
  }

  return {
    enqueue(items) {
      if (disposed || items.length === 0) return;
      for (const item of items) queue.push(item);
      if (timer !== undefined) return;
      // After a quiet period the first item commits on the next turn of the event loop (all
      // synchronous enqueues still land together); during a storm, once per interval.
      const wait = Math.max(0, lastCommit + options.intervalMs - timers.now());
      timer = timers.setTimeout(() => {
        timer = undefined;
        flush();
      }, wait);
    },
    flush,
    pending: () => queue.length,
    dispose() {
      disposed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      queue = [];
    },
  };
}
