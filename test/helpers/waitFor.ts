// Waiting for a condition instead of sleeping and hoping. Feeds write to the store
// asynchronously (network, backoff, batching), so a test waits until the store says what it
// expects, with a deadline; the deadline failure names what was awaited and what was there.
import type { MeshStore } from '../../src/store/meshStore.ts';
import type { MeshState } from '../../src/store/types.ts';

export interface WaitOptions {
  timeoutMs?: number;
  /** Named in the timeout error. */
  what?: string;
  /** Described in the timeout error, e.g. the part of the state the predicate looked at. */
  describe?: (state: MeshState) => string;
}

const DEFAULT_TIMEOUT_MS = 45_000;

/**
 * Resolves with the first committed state for which `predicate` holds (checked now and on
 * every commit); rejects after `timeoutMs`. A predicate that throws counts as "not yet".
 */
export function waitFor(store: MeshStore, predicate: (state: MeshState) => boolean, options: WaitOptions = {}): Promise<MeshState> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const holds = (state: MeshState): boolean => {
      try {
        return predicate(state);
      } catch {
        return false;
      }
    };
    if (holds(store.getState())) {
      resolve(store.getState());
      return;
    }
    const unsubscribe = store.api.subscribe((state) => {
      if (!holds(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      const state = store.getState();
      const detail = options.describe ? `; state: ${options.describe(state)}` : '';
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a store condition'}${detail}`));
    }, timeoutMs);
  });
}

/** Polls `condition` (for things outside the store: a simulator, a process) until it holds. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const interval = options.intervalMs ?? 20;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
