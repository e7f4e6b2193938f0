// The terminal an exec credential plugin may borrow for an interactive login (a password, a
// device code to confirm, `interactiveMode: Always` in the kubeconfig). Only the console has one
// to lend: it registers how to lend it (suspend the screen, run the login, repaint) and the
// plugin runner asks here. One login at a time: two contexts' plugins prompting on one terminal
// at once would interleave their prompts and split the user's typing between them.
export interface TerminalLender {
  /** Gives the real terminal (cooked mode, main screen) to `work` and takes it back after. */
  lend<T>(work: () => Promise<T>): Promise<T>;
}

let lender: TerminalLender | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** The console registers its lender while it owns the terminal; undefined clears it. */
export function setTerminalLender(next: TerminalLender | undefined): void {
  lender = next;
}

export function terminalAvailable(): boolean {
  return lender !== undefined;
}

/** Runs `work` on the borrowed terminal, after any login already using it; rejects when none is lent. */
export function withTerminal<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(() => {
    if (lender === undefined) throw new Error('no terminal to log in on');
    return lender.lend(work);
  });
  queue = run.catch(() => undefined);
  return run;
}
