// Renders an Ink tree into a fake terminal of a chosen size, with the render options the console
// ships (interactive, alternate screen, incremental rendering, maxFps), and reads back what the
// user would see. ink-testing-library cannot do this: its stdout is not a TTY and has no rows, so
// Ink renders in debug mode and none of the paths we ship (incremental diffs, the full-clear
// fallback of an over-tall frame) are exercised (tui-anchors §5). Here every byte Ink writes is
// replayed onto a small screen emulator, so `frame()` is the screen, not a guess at the last frame.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { render } from 'ink';
import type { ReactNode } from 'react';
import { ScreenEmulator, type ScreenStats } from './screenEmulator.ts';

/** What terminals send for the keys the console uses. */
export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  /** Ink's interactive mode (cursor moves, erases, resize handling); false writes only the final frame. */
  interactive?: boolean;
  /** `incrementalRendering`: only changed lines are rewritten. */
  incremental?: boolean;
  /** `alternateScreen` (default true, as shipped). */
  alternateScreen?: boolean;
  /** Ink's render throttle; default 1000 so tests see every change promptly. */
  maxFps?: number;
  /** Replay writes onto the screen emulator (default true). Benchmarks turn it off to time Ink alone; frame() is then empty. */
  emulate?: boolean;
  /** Ink's per-frame metrics callback. */
  onRender?: (metrics: { renderTime: number }) => void;
}

export interface Terminal {
  /** The screen as text, colours stripped, trailing spaces and trailing blank rows removed. */
  frame(): string;
  /** The screen as exactly `rows` lines (blank rows included), trailing spaces removed. */
  lines(): string[];
  /** Sends one key (a KEYS value or one character) and lets Ink read it before the next. */
  press(key: string): Promise<void>;
  /** Types text one character per write, as a person at a keyboard does. */
  type(text: string): Promise<void>;
  /** Resolves with the first frame for which `predicate` holds (checked now and after every write). */
  waitForFrame(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Bytes Ink has written so far (UTF-8). */
  bytesWritten(): number;
  /** Number of write calls so far. */
  writes(): number;
  /** Everything Ink wrote, escapes included (for checks on the byte stream itself); empty with `emulate: false`. */
  output(): string;
  /** Full clears and scrolls the screen has seen (an over-tall frame forces both on every update). */
  stats(): Readonly<ScreenStats>;
  /** Writes that carried Ink's full-clear sequence (cursor home + erase down): whole-screen redraws, counted from the bytes. */
  fullRedraws(): number;
  /** Changes the terminal size and tells Ink, as SIGWINCH does. */
  resize(columns: number, rows: number): void;
  /** Renders a new tree in place (new props for the same components). */
  rerender(element: ReactNode): void;
  /** Unmounts and waits until Ink has flushed its last writes. */
  unmount(): Promise<void>;
}

/** The stdout Ink is given: a TTY of a fixed size whose writes go to the emulator. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  bytes = 0;
  count = 0;
  fullRedraws = 0;
  chunks: string[] = [];
  keepChunks = true;
  readonly #onWrite: (data: string) => void;

  constructor(columns: number, rows: number, onWrite: (data: string) => void) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.#onWrite = onWrite;
  }

  write(chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | (() => void), callback?: () => void): boolean {
    const data = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.bytes += Buffer.byteLength(data);
    this.count += 1;
    if (data.includes(FULL_CLEAR)) this.fullRedraws += 1;
    if (this.keepChunks) this.chunks.push(data);
    this.#onWrite(data);
    // Ink 8 waits for a write's callback before its exit promise settles: always call it.
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (done) queueMicrotask(done);
    return true;
  }
}

/** Ink 8's full-clear fallback (`homeAndEraseDown` in ink/build/ink.js): cursor to 1;1, erase down. */
const FULL_CLEAR = '\x1b[1;1H\x1b[J';

/** The stdin Ink is given: a readable TTY whose raw mode is a no-op. */
function fakeStdin(): PassThrough & { isTTY: boolean; setRawMode(mode: boolean): unknown; ref(): unknown; unref(): unknown } {
  const stream = new PassThrough() as PassThrough & {
    isTTY: boolean;
    setRawMode(mode: boolean): unknown;
    ref(): unknown;
    unref(): unknown;
  };
  stream.isTTY = true;
  stream.setRawMode = () => stream;
  stream.ref = () => stream;
  stream.unref = () => stream;
  return stream;
}

/** One macrotask: Ink has read the input (a `readable` event is a nextTick) and React has committed. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Ink holds a lone Esc 20 ms to tell it from the start of an escape sequence. */
const ESCAPE_HOLD_MS = 40;

export function renderTerminal(element: ReactNode, options: TerminalOptions = {}): Terminal {
  const {
    columns = 80,
    rows = 24,
    interactive = true,
    incremental = true,
    alternateScreen = true,
    maxFps = 1000,
    emulate = true,
  } = options;
  const screen = new ScreenEmulator(columns, rows);
  const watchers = new Set<() => void>();
  const stdout = new FakeStdout(columns, rows, (data) => {
    if (emulate) screen.write(data);
    for (const watcher of watchers) watcher();
  });
  // Without the emulator nobody reads the byte stream back: do not keep megabytes of it.
  stdout.keepChunks = emulate;
  const stdin = fakeStdin();
  const stderr = new FakeStdout(columns, rows, () => {});
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WritableStream,
    stdin: stdin as unknown as NodeJS.ReadableStream,
    stderr: stderr as unknown as NodeJS.WritableStream,
    interactive,
    incrementalRendering: incremental,
    alternateScreen,
    maxFps,
    patchConsole: false,
    exitOnCtrlC: false,
    ...(options.onRender ? { onRender: options.onRender } : {}),
  });
  let unmounted = false;

  const frame = (): string => screen.text();

  return {
    frame,
    lines: () => screen.lines(),
    async press(key) {
      stdin.write(key);
      await nextTurn();
      if (key === KEYS.escape) await sleep(ESCAPE_HOLD_MS);
    },
    async type(text) {
      for (const char of text) {
        stdin.write(char);
        await nextTurn();
      }
    },
    waitForFrame(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const text = frame();
          if (!predicate(text)) return false;
          watchers.delete(onWrite);
          clearTimeout(timer);
          resolve(text);
          return true;
        };
        const onWrite = (): void => void check();
        const timer = setTimeout(() => {
          watchers.delete(onWrite);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a frame; the screen shows:\n${frame()}`));
        }, timeoutMs);
        if (!check()) watchers.add(onWrite);
      });
    },
    bytesWritten: () => stdout.bytes,
    writes: () => stdout.count,
    output: () => stdout.chunks.join(''),
    stats: () => ({ ...screen.stats }),
    fullRedraws: () => stdout.fullRedraws,
    resize(newColumns, newRows) {
      screen.resize(newColumns, newRows);
      stdout.columns = newColumns;
      stdout.rows = newRows;
      stdout.emit('resize');
    },
    rerender(next) {
      instance.rerender(next);
    },
    async unmount() {
      if (unmounted) return;
      unmounted = true;
      instance.unmount();
      await instance.waitUntilExit();
      stdin.end();
    },
  };
}
