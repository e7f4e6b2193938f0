// One-shot commands (`status`, `--once`) need a moment of truth: wait until every context has
// settled — connected and listed, or failed with a reason — then fetch istiod's facts once.
// Bounded by a deadline: a context still connecting then is reported as such, not waited for.
import type { MeshState } from '../store/types.ts';
import type { LiveMesh } from './liveMesh.ts';

/** Every context has left `connecting` and none of its watches is still in its first list. */
export function settled(state: MeshState): boolean {
  return Object.values(state.contexts).every(
    (ctx) => ctx.status.phase !== 'connecting' && Object.values(ctx.resources).every((r) => r.sync !== 'syncing'),
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

/** Every log follow has connected, been refused, or been left out by the stream cap. */
export function logsSettled(state: MeshState): boolean {
  return Object.values(state.contexts).every((ctx) => Object.values(ctx.logStreams ?? {}).every((s) => s.phase !== 'connecting'));
}

/**
 * A follow stream has no end-of-history marker: once every stream is open, give the history
 * already in flight this long to arrive before the snapshot is taken.
 */
const LOG_HISTORY_GRACE_MS = 1_000;

/** Wait for the contexts to settle, then fetch facts once and let log history arrive; all within the deadline. */
export async function settleOnce(mesh: LiveMesh, deadline: number): Promise<void> {
  await waitUntil(mesh, settled, deadline);
  await withDeadline(mesh.refreshFacts(), deadline);
  await waitUntil(mesh, logsSettled, deadline);
  await withDeadline(new Promise((resolve) => setTimeout(resolve, LOG_HISTORY_GRACE_MS)), deadline);
  mesh.store.flush();
}
