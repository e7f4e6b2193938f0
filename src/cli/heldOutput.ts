// While the console owns the terminal, nothing may write to it behind Ink's back: a line on
// stderr lands in the middle of the frame, and Ink's line accounting (which rows to rewrite)
// no longer matches the screen. So the process's own warnings (main.ts) and anything a library
// prints through console.* are held here and printed, in order, once the terminal is restored.
import { format } from 'node:util';

/** Enough to see what went wrong; a library that logs in a loop must not grow memory. */
const MAX_HELD_LINES = 200;

let held: string[] | undefined;
let dropped = 0;
let restoreConsole: (() => void) | undefined;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

function hold(text: string): void {
  if (held === undefined) return;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (held.length < MAX_HELD_LINES) held.push(line);
    else dropped++;
  }
}

/** A warning of mesh-tui itself: to stderr now, or after the console when it is running. */
export function warn(text: string): void {
  const line = text.endsWith('\n') ? text : `${text}\n`;
  if (held !== undefined) hold(line);
  else process.stderr.write(line);
}

/** From now on hold warnings and console.* output (the console is about to draw). */
export function holdOutput(): void {
  if (held !== undefined) return;
  held = [];
  dropped = 0;
  const originals = new Map(CONSOLE_METHODS.map((name) => [name, Reflect.get(console, name) as unknown]));
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]): void => hold(format(...args));
  }
  restoreConsole = () => {
    for (const [name, original] of originals) Reflect.set(console, name, original);
  };
}

/** The terminal is ours again: print what was held, below the restored screen. */
export function releaseOutput(): void {
  if (held === undefined) return;
  const lines = held;
  held = undefined;
  restoreConsole?.();
  restoreConsole = undefined;
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  if (dropped > 0) process.stderr.write(`mesh-tui: ${dropped} more lines of output were dropped\n`);
}

export function isHoldingOutput(): boolean {
  return held !== undefined;
}
