// How a pane listens to the store: to one slice of it, not to every commit. zustand calls its
// subscribers on every commit; this calls the listener only when the selected slice is a
// different reference. Selectors (selectors.ts) keep a slice's reference while its data is
// unchanged, so "different reference" means "something to redraw". (React hooks get the same
// from zustand's useStore(api, selector), which compares with Object.is.)
import type { StoreApi } from 'zustand/vanilla';

export type SliceListener<T> = (slice: T, previous: T) => void;

/**
 * Call `listener` after each commit whose `selector(state)` is not `equals` to the previous
 * one (Object.is by default). The first value is read at subscription, so the listener hears
 * only changes. Returns the unsubscribe function.
 */
export function subscribeSlice<S, T>(
  api: Pick<StoreApi<S>, 'getState' | 'subscribe'>,
  selector: (state: S) => T,
  listener: SliceListener<T>,
  equals: (a: T, b: T) => boolean = Object.is,
): () => void {
  let current = selector(api.getState());
  return api.subscribe((state) => {
    const next = selector(state);
    if (equals(current, next)) return;
    const previous = current;
    current = next;
    listener(next, previous);
  });
}
