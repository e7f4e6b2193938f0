// Splits a log body into lines as bytes arrive. Chunks end anywhere — mid-line, mid-character —
// so lines are cut on the newline byte and only then decoded. A container can print a
// megabyte without a newline: a line keeps at most `maxLineBytes` and the rest up to the next
// newline is dropped (and the line marked truncated), so memory never follows the pod.

export interface SplitLine {
  text: string;
  truncated: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

export class LogLineSplitter {
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder('utf-8');
  #parts: Uint8Array[] = [];
  #length = 0;
  #truncated = false;

  constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.#maxLineBytes = Math.max(1, maxLineBytes);
  }

  /** The complete lines this chunk finished, without their newline. */
  push(chunk: Uint8Array): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        this.#append(chunk.subarray(start));
        break;
      }
      this.#append(chunk.subarray(start, end));
      lines.push(this.#take());
      start = end + 1;
    }
    return lines;
  }

  /** A last line that never got its newline (the stream ended cleanly after it), if any. */
  flush(): SplitLine | undefined {
    if (this.#length === 0 && !this.#truncated) return undefined;
    return this.#take();
  }

  /** Forget a partial line (the stream broke: the line will come again, whole, on resume). */
  reset(): void {
    this.#parts = [];
    this.#length = 0;
    this.#truncated = false;
  }

  #append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const room = this.#maxLineBytes - this.#length;
    if (room <= 0) {
      this.#truncated = true;
      return;
    }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (kept.length < bytes.length) this.#truncated = true;
    // Copy: the caller's chunk buffer may be reused once we return.
    this.#parts.push(Uint8Array.from(kept));
    this.#length += kept.length;
  }

  #take(): SplitLine {
    const whole = this.#parts.length === 1 ? this.#parts[0]! : concat(this.#parts, this.#length);
    let text = this.#decoder.decode(whole);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { text, truncated: this.#truncated };
    this.reset();
    return line;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
