// The console's hold on the terminal, from the first frame to the restored shell. Ink restores
// the terminal when it unmounts (leaves the alternate screen, shows the cursor, raw mode off);
// this makes sure it unmounts on every way out: a quit key, SIGINT/SIGTERM/SIGHUP, an uncaught
// exception, a render error. Whatever ended it, the caller learns how and can stop the feeds,
// and an error is written below the restored screen, where the user can read it.
import React from 'react';
import { render, useApp, type Instance, type SuspendTerminal } from 'ink';
import { holdOutput, releaseOutput } from './heldOutput.ts';
import { SIGNAL_EXIT_CODES, HANDLED_SIGNALS, type HandledSignal } from './signals.ts';

const h = React.createElement;

export type SessionEnd = { how: 'quit' } | { how: 'signal'; signal: HandledSignal } | { how: 'crash'; error: unknown };

export interface TerminalSessionOptions {
  maxFps: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

export interface TerminalSession {
  /** Settles once the terminal is restored, saying what ended the session. */
  readonly ended: Promise<SessionEnd>;
  /** `q`, `:q`, Ctrl-C (a key in raw mode): unmount and restore. */
  quit(): void;
  /**
   * Hands the terminal to `work` (an exec plugin's interactive login) and takes it back after:
   * Ink stops drawing and reading, leaves the alternate screen, and repaints when it resumes.
   * Undefined until the first render has run.
   */
  suspend(work: () => Promise<void>): Promise<void>;
}

/** Exit code for how a session ended: 0 quit, 128+n for a signal, 1 for a crash. */
export function exitCodeOf(end: SessionEnd): number {
  if (end.how === 'quit') return 0;
  if (end.how === 'signal') return SIGNAL_EXIT_CODES[end.signal];
  return 1;
}

/** Takes Ink's suspendTerminal from inside the tree: Ink's Instance does not expose it. */
function TerminalBridge(props: { onSuspend: (suspend: SuspendTerminal) => void; children?: React.ReactNode }): React.ReactNode {
  const { suspendTerminal } = useApp();
  props.onSuspend(suspendTerminal);
  return props.children ?? null;
}

export function openTerminalSession(element: React.ReactElement, options: TerminalSessionOptions): TerminalSession {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stderr = options.stderr ?? process.stderr;
  const { promise: ended, resolve } = Promise.withResolvers<SessionEnd>();
  let suspendTerminal: SuspendTerminal | undefined;
  let finished = false;

  holdOutput();
  const instance: Instance = render(h(TerminalBridge, { onSuspend: (s: SuspendTerminal) => (suspendTerminal = s) }, element), {
    stdout,
    stdin,
    stderr,
    // Ink's default is "a TTY and not CI": a console started from a terminal inside a CI job (or
    // with CI=true left in a shell) would draw nothing until it quits. We draw because stdin and
    // stdout are terminals (runConsole checked), whatever CI says.
    interactive: true,
    alternateScreen: true,
    incrementalRendering: true,
    maxFps: options.maxFps,
    // Console output would land in the middle of the alternate screen; heldOutput.ts keeps it for after.
    patchConsole: false,
    // Ctrl-C arrives as a key in raw mode: the key map turns it into quit, which stops the feeds first.
    exitOnCtrlC: false,
  });

  const onSignal = (signal: HandledSignal): void => finish({ how: 'signal', signal });
  const signalHandlers = HANDLED_SIGNALS.map((signal) => [signal, (): void => onSignal(signal)] as const);
  const onException = (error: unknown): void => finish({ how: 'crash', error });
  for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  process.on('uncaughtException', onException);
  // A render error (a component threw): Ink shows it, exits and rejects; the terminal is restored by then.
  instance.waitUntilExit().then(
    () => finish({ how: 'quit' }),
    (error: unknown) => finish({ how: 'crash', error }),
  );

  function finish(end: SessionEnd): void {
    if (finished) return;
    finished = true;
    let unmounted = true;
    try {
      instance.unmount();
    } catch {
      // A crash inside React may leave it unable to unmount; the escapes below still restore the screen.
      unmounted = false;
    }
    restoreTerminal(stdout, stdin, !unmounted);
    for (const [signal, handler] of signalHandlers) process.off(signal, handler);
    process.off('uncaughtException', onException);
    releaseOutput();
    if (end.how === 'crash') {
      const error = end.error;
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      stderr.write(`mesh-tui: unexpected error: ${text}\n`);
    }
    resolve(end);
  }

  return {
    ended,
    quit: () => finish({ how: 'quit' }),
    async suspend(work: () => Promise<void>): Promise<void> {
      if (suspendTerminal === undefined || finished) {
        await work();
        return;
      }
      await suspendTerminal(work);
    },
  };
}

/**
 * The safety net under Ink's own teardown: raw mode off and the cursor shown, whatever state
 * a crash left. Leaving the alternate screen is Ink's when it unmounted (it knows whether it
 * entered it; the escape written twice would restore a stale cursor position on the shell's
 * screen), ours when it could not.
 */
function restoreTerminal(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream, leaveAlternateScreen: boolean): void {
  try {
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    stdin.pause();
    if (stdout.isTTY) stdout.write(`${leaveAlternateScreen ? '\x1b[?1049l' : ''}\x1b[?25h`);
  } catch {
    // The terminal is gone (SIGHUP): nothing left to restore.
  }
}
