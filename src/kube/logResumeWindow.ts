// What makes a resumed log follow lose nothing and repeat nothing. `sinceTime` has whole-second
// resolution on the apiserver, so a resume replays every line of the last second we saw. We
// remember the lines delivered in that second (timestamp + text, counted: a pod may print the
// same line twice in one nanosecond-stamped instant) and skip exactly those when they come again.

import type { KubeletTimestamp } from './kubeletTimestamp.ts';

/** Beyond this many lines in one second we stop remembering (a resume may then repeat some). */
export const MAX_REMEMBERED_LINES = 20_000;

function keyOf(timestamp: KubeletTimestamp, text: string): string {
  return `${timestamp.sortKey} ${text}`;
}

/** Lines of a replay that were delivered before; each is recognised once per delivery. */
export class ReplayFilter {
  readonly #pending: Map<string, number>;
  readonly #floor: string | undefined;

  constructor(pending: Map<string, number>, floor: string | undefined) {
    this.#pending = pending;
    this.#floor = floor;
  }

  /** True (and forgotten) when this line was already delivered before the resume, or predates the start. */
  isRepeat(timestamp: KubeletTimestamp, text: string): boolean {
    if (this.#floor !== undefined && timestamp.sortKey < this.#floor) return true;
    const key = keyOf(timestamp, text);
    const count = this.#pending.get(key);
    if (count === undefined) return false;
    if (count <= 1) this.#pending.delete(key);
    else this.#pending.set(key, count - 1);
    return true;
  }
}

export class LogResumeWindow {
  #latestSecond: number | undefined;
  /** Lines older than this were left out on purpose (a tail read) and stay out on resume. */
  #floor: string | undefined;
  #remembered = new Map<string, number>();
  #size = 0;

  /** The second to resume from, or undefined when no timestamped line was delivered yet. */
  get resumeSecond(): number | undefined {
    return this.#latestSecond;
  }

  /** Note a delivered line. */
  record(timestamp: KubeletTimestamp, text: string): void {
    const second = timestamp.epochSeconds;
    if (this.#latestSecond !== undefined && second < this.#latestSecond) return; // before what a resume replays
    if (this.#latestSecond === undefined || second > this.#latestSecond) {
      this.#latestSecond = second;
      this.#remembered = new Map();
      this.#size = 0;
    }
    if (this.#size >= MAX_REMEMBERED_LINES) return;
    const key = keyOf(timestamp, text);
    this.#remembered.set(key, (this.#remembered.get(key) ?? 0) + 1);
    this.#size += 1;
  }

  /**
   * The follow began with a tail read at this line: a resume replays the whole second it is in,
   * and the lines before it in that second were never meant to be read.
   */
  startAt(timestamp: KubeletTimestamp): void {
    this.#floor ??= timestamp.sortKey;
  }

  /** A filter for the replay of a resume from `resumeSecond`. */
  replay(): ReplayFilter {
    return new ReplayFilter(new Map(this.#remembered), this.#floor);
  }
}
