// One container's log as the kubelet keeps it: timestamped lines, oldest first, bounded
// in memory. Followers (open `?follow=true` requests) are told about every new line.

export interface LogLine {
  /** Milliseconds since the epoch: when the container wrote the line. */
  time: number;
  text: string;
}

export type LogListener = (event: { kind: 'line'; line: LogLine } | { kind: 'end' }) => void;

/** Enough for hours of a chatty scripted container while keeping a 50-pod scenario small. */
export const DEFAULT_LOG_CAPACITY = 10_000;

export class LogBuffer {
  private readonly capacity: number;
  // Grows as lines come and wraps only when full: a ring allocated at capacity up front cost
  // 80 KB per container, 4 GB for the bench's 50 clusters of 500 nodes, most of them quiet.
  private readonly ring: LogLine[] = [];
  private start = 0;
  private count = 0;
  private readonly listeners = new Set<LogListener>();
  private ended = false;

  constructor(capacity = DEFAULT_LOG_CAPACITY) {
    this.capacity = Math.max(1, capacity);
  }

  append(line: LogLine): void {
    if (this.ended) return;
    if (this.count < this.capacity) {
      this.ring.push(line);
      this.count++;
    } else {
      this.ring[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const listener of [...this.listeners]) listener({ kind: 'line', line });
  }

  /** A copy of what the buffer holds now, oldest first. */
  lines(): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 0; i < this.count; i++) {
      const line = this.ring[(this.start + i) % this.count];
      if (line) out.push(line);
    }
    return out;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Listens for new lines until the returned function is called or the container ends. */
  subscribe(listener: LogListener): () => void {
    if (this.ended) {
      listener({ kind: 'end' });
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The container is gone (replaced or simulator stopped): followers' streams end, as the kubelet's do. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener({ kind: 'end' });
  }
}
