// Last-resort cleanup for a test process that ends without calling stop(): a crash, an
// uncaught exception, or SIGINT/SIGTERM/SIGHUP (which end Node without running 'exit' handlers,
// so those signals are caught, the cleanups run, and the signal is raised again). Cleanups must
// be synchronous: nothing asynchronous runs after 'exit'.
const cleanups = new Set<() => void>();

function runAll(): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort: one failing cleanup must not stop the others.
    }
  }
  cleanups.clear();
}

process.on('exit', runAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    runAll();
    process.kill(process.pid, signal);
  });
}

/** Registers a synchronous cleanup; call the returned function once the normal stop() did the job. */
export function cleanupOnExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
