// Starting the console in a tmux terminal the way a user does, and knowing when it is up.
import type { TmuxTerminal } from '../helpers/tmux.ts';

/** The demo the end-to-end tests run: `mesh-tui --demo`'s own, three clusters that break over the first minute. */
export const E2E_SCENARIO = 'live-demo';
export const E2E_CONTEXTS = ['cluster-east', 'cluster-north', 'cluster-west'] as const;

/**
 * Types `bin/mesh-tui ARGS; echo exit=$?` at the prompt and returns the console's pid once it
 * runs (the launcher execs node, so the shell's child is the console itself).
 */
export async function launchConsole(terminal: TmuxTerminal, args: string): Promise<number> {
  terminal.run(`bin/mesh-tui ${args}; echo "exit=$?"`);
  let pid: number | undefined;
  await terminal.waitUntil(
    () => {
      pid = terminal.children()[0];
      return pid !== undefined;
    },
    { what: 'the console process to start', timeoutMs: 20_000 },
  );
  return pid as number;
}

/** Every context's badge says ready: the feeds are live and the screen is drawn. */
export async function consoleUp(terminal: TmuxTerminal, contexts: readonly string[] = E2E_CONTEXTS): Promise<string> {
  return terminal.waitForScreen(
    (screen) => {
      if (/^exit=\d+/m.test(screen)) throw new Error(`the console ended before it was up:\n${screen}`);
      return contexts.every((c) => new RegExp(`${c} +ready`).test(screen));
    },
    {
      what: `every context (${contexts.join(', ')}) ready`,
      timeoutMs: 90_000,
    },
  );
}
