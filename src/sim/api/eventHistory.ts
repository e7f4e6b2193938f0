// One type's recent writes, as the watch cache remembers them: watches resume from it and
// lists at an older resourceVersion undo it. Old entries are compacted away.
import type { KubeObject } from './types.ts';
import type { StoreEvent } from './storeTypes.ts';

/** One write: the object after, and before (MODIFIED/DELETED). */
export interface HistoryEntry {
  rv: number;
  type: StoreEvent['type'];
  /** Storage key across namespaces ('ns/name', or 'name' for cluster scope). */
  key: string;
  namespace: string;
  object: KubeObject;
  prev: KubeObject | undefined;
}

export class EventHistory {
  readonly #limit: number;
  /** Oldest first; replaced (never spliced) when trimmed, so a reader holding the old array is unaffected. */
  entries: HistoryEntry[] = [];
  /** Every event with rv > start is in entries; older ones are compacted away. */
  start: number;

  constructor(start: number, limit: number) {
    this.start = start;
    this.#limit = limit;
  }

  append(entry: HistoryEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.#limit * 2) this.#trim();
  }

  /** Forgets everything up to rv: resuming from before it now answers 410. */
  compactTo(rv: number): void {
    this.entries = [];
    this.start = rv;
  }

  /** Drops the oldest entries beyond the limit (in batches, so a write costs O(1) amortised). */
  #trim(): void {
    const drop = this.entries.length - this.#limit;
    if (drop <= 0) return;
    this.start = this.entries[drop - 1]?.rv ?? this.start;
    this.entries = this.entries.slice(drop);
  }
}
