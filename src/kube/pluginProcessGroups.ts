// The process groups of exec credential plugins that are still running. A plugin runs in a group
// of its own so a timeout can kill its children too (aws → python, sh → sleep); the price is that
// the terminal's Ctrl-C, which signals only the foreground group, never reaches it. Left alone, a
// plugin waiting for an SSO login would outlive mesh-tui, re-parented to init. So every group is
// recorded here and killed when this process exits, whichever way it exits: returning, calling
// process.exit, an uncaught exception, or a signal the CLI turns into an exit.
const running = new Set<number>();
let hooked = false;

/** Records a started group (its leader's pid); the returned function forgets it once it ended. */
export function trackProcessGroup(pid: number): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', killProcessGroups);
  }
  running.add(pid);
  return () => running.delete(pid);
}

/** Kills every recorded group at once. Synchronous: it runs in the `exit` handler. */
export function killProcessGroups(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
