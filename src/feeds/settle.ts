// One-shot commands (`status`, `--once`) need a moment of truth: wait until every context has
// settled — listed, or failed with a reason — its istiod facts are fetched and its log history
// is read, then take the snapshot at once. Bounded by a deadline: a context still connecting
// then is reported as such, not waited for.
//
// Settled is not "answered": a 429 is the server asking to be asked again later, so a resource
// or log being throttled is waited out (its Retry-After) as long as the retry falls before the
// deadline. Only throttling that outlasts the deadline is reported.
import type { MeshState, ObservedError } from '../store/types.ts';
import type { LiveMesh } from './liveMesh.ts';

/** Throttled, and told to come back before `deadline` (epoch ms): not an answer yet. */
function waitingOutThrottle(error: ObservedError | undefined, deadline: number): boolean {
  if (error?.kind !== 'throttled') return false;
  // Without a Retry-After the loop backs off from about a second: soon, in any case.
  const retryAt = Date.parse(error.at) + (error.retryAfterSeconds ?? 1) * 1000;
  return retryAt < deadline;
}

/**
 * Every context has left `connecting` and none of its watches is still in its first list or
 * waiting out a throttle it will be allowed to retry before `deadline`.
 */
export function settled(state: MeshState, deadline = Number.POSITIVE_INFINITY): boolean {
  return Object.values(state.contexts).every(
    (ctx) =>
      ctx.status.phase !== 'connecting' &&
      Object.values(ctx.resources).every((r) => r.sync !== 'syncing' && !(r.sync === 'error' && waitingOutThrottle(r.error, deadline))),
  );
}

export async function waitUntil(mesh: LiveMesh, done: (s: MeshState) => boolean, deadline: number): Promise<void> {
  if (done(mesh.store.getState())) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
    const unsubscribe = mesh.store.api.subscribe((state) => {
      if (done(state)) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

export async function withDeadline(work: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every log read has ended (read, refused, left out by the stream cap), or a follow has connected; none is waiting out a throttle. */
export function logsSettled(state: MeshState, deadline = Number.POSITIVE_INFINITY): boolean {
  return Object.values(state.contexts).every((ctx) =>
    Object.values(ctx.logStreams ?? {}).every(
      (s) => s.phase !== 'connecting' && !(s.phase === 'retrying' && waitingOutThrottle(s.error, deadline)),
    ),
  );
}

/**
 * A follow stream has no end-of-history marker: a live mesh gives the history already in
 * flight this long to arrive once every stream is open. A snapshot mesh reads history to its
 * end and never waits this.
 */
const FOLLOW_HISTORY_GRACE_MS = 1_000;

/** Wait for the contexts to settle, the facts and the log history; all within the deadline. */
export async function settleOnce(mesh: LiveMesh, deadline: number): Promise<void> {
  await waitUntil(mesh, (s) => settled(s, deadline), deadline);
  // The commit that settled the lists set the log reads off; their `connecting` is queued, not
  // yet committed, and logsSettled must not pass for want of streams.
  mesh.store.flush();
  await withDeadline(mesh.snapshot ? mesh.factsFetched() : mesh.refreshFacts(), deadline);
  mesh.store.flush();
  await waitUntil(mesh, (s) => logsSettled(s, deadline), deadline);
  if (!mesh.snapshot) {
    let grace: NodeJS.Timeout | undefined;
    // Cleared when the deadline wins, so no timer outlives the snapshot and holds the process.
    await withDeadline(new Promise((resolve) => (grace = setTimeout(resolve, FOLLOW_HISTORY_GRACE_MS))), deadline);
    clearTimeout(grace);
  }
  mesh.store.flush();
}
