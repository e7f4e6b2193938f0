// Splits a byte stream into lines: newline-delimited JSON (watch events) and text (logs).
// Network chunks end anywhere: in the middle of a line, of a multi-byte UTF-8 character, or
// right after a '\r'. We split on bytes and decode whole lines only, so a character cut in two
// is put back together. Memory per line is capped at `maxLineBytes` whatever the stream sends
// (a broken proxy, a runaway log, a container printing a megabyte without a newline); what
// happens to the rest of an over-long line is the caller's choice:
// - 'drop': nothing of it is kept; it is counted to its newline and reported once as
//   oversized. For watch events, where half an event is worthless and a lost one means a relist.
// - 'truncate': its first `maxLineBytes` are kept and the line is marked truncated. For logs,
//   where the head of a line still tells the reader something.

/** Watch events: far above any real object, so only a broken stream reaches it. */
export const DEFAULT_WATCH_LINE_BYTES = 16 * 1024 * 1024;
/** Log lines: enough for any line a person reads; the rest of a runaway one is cut. */
export const DEFAULT_LOG_LINE_BYTES = 64 * 1024;

export interface LineSplitterOptions {
  maxLineBytes: number;
  overLong: 'drop' | 'truncate';
}

export type SplitLine =
  /** `truncated` only when 'truncate' cut the line to its first `maxLineBytes`. */
  | { kind: 'line'; text: string; truncated?: true }
  /** Only with 'drop': the whole line's length without its newline. */
  | { kind: 'oversized'; bytes: number };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #overLong: LineSplitterOptions['overLong'];
  readonly #decoder = new TextDecoder('utf-8');
  /** The kept bytes of the current line; never more than `#maxLineBytes` of them. */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** All bytes of the current line so far, kept or not. */
  #lineBytes = 0;

  constructor(options: LineSplitterOptions) {
    this.#maxLineBytes = Math.max(1, options.maxLineBytes);
    this.#overLong = options.overLong;
  }

  /** The complete lines this chunk finishes, in order, without their newline. */
  push(chunk: Uint8Array): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        this.#hold(chunk.subarray(start));
        break;
      }
      this.#hold(chunk.subarray(start, end));
      out.push(this.#takeLine());
      start = end + 1;
    }
    return out;
  }

  /** The last line when the stream ends cleanly without a newline (none if nothing is left). */
  end(): SplitLine[] {
    if (this.#lineBytes === 0) return [];
    return [this.#takeLine()];
  }

  /** Forgets a partial line (a broken log stream resends it whole on resume). */
  reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#lineBytes = 0;
  }

  #hold(part: Uint8Array): void {
    if (part.length === 0) return;
    this.#lineBytes += part.length;
    if (this.#lineBytes > this.#maxLineBytes && this.#overLong === 'drop') {
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    const room = this.#maxLineBytes - this.#pendingBytes;
    if (room <= 0) return;
    const kept = part.length > room ? part.subarray(0, room) : part;
    // Copy: the caller's chunk buffer may be reused by the stream after this call.
    this.#pending.push(kept.slice());
    this.#pendingBytes += kept.length;
  }

  #takeLine(): SplitLine {
    const over = this.#lineBytes > this.#maxLineBytes;
    if (over && this.#overLong === 'drop') {
      const bytes = this.#lineBytes;
      this.reset();
      return { kind: 'oversized', bytes };
    }
    const whole = this.#pending.length === 1 ? this.#pending[0]! : concat(this.#pending, this.#pendingBytes);
    this.reset();
    const body = whole.length > 0 && whole[whole.length - 1] === CARRIAGE_RETURN ? whole.subarray(0, whole.length - 1) : whole;
    const text = this.#decoder.decode(body);
    return over ? { kind: 'line', text, truncated: true } : { kind: 'line', text };
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
