// Splits a byte stream into lines for newline-delimited JSON (watch events) and text (logs).
// Network chunks end anywhere: in the middle of a line, of a multi-byte UTF-8 character, or
// right after a '\r'. We split on bytes and decode whole lines only, so a character cut in two
// is put back together. A line longer than `maxLineBytes` is not buffered: its bytes are
// counted and dropped until its newline, and it is reported once as oversized, so a 50 MB
// line (a broken proxy, a runaway log) costs at most `maxLineBytes` of memory.

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export type SplitLine = { kind: 'line'; text: string } | { kind: 'oversized'; bytes: number };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder('utf-8');
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Bytes of the current line dropped because it is over the limit; -1 when not dropping. */
  #dropped = -1;

  constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The complete lines this chunk finishes, in order. */
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

  /** The last line when the stream ends without a newline (none if nothing is left). */
  end(): SplitLine[] {
    if (this.#pendingBytes === 0 && this.#dropped < 0) return [];
    return [this.#takeLine()];
  }

  #hold(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.#dropped >= 0) {
      this.#dropped += part.length;
      return;
    }
    if (this.#pendingBytes + part.length > this.#maxLineBytes) {
      this.#dropped = this.#pendingBytes + part.length;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    // Copy: the caller's chunk buffer may be reused by the stream after this call.
    this.#pending.push(part.slice());
    this.#pendingBytes += part.length;
  }

  #takeLine(): SplitLine {
    if (this.#dropped >= 0) {
      const bytes = this.#dropped;
      this.#dropped = -1;
      return { kind: 'oversized', bytes };
    }
    const whole = this.#pending.length === 1 ? this.#pending[0]! : concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    const body = whole.length > 0 && whole[whole.length - 1] === CARRIAGE_RETURN ? whole.subarray(0, whole.length - 1) : whole;
    return { kind: 'line', text: this.#decoder.decode(body) };
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
