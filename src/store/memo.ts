// Memoization for selectors. The store's records are immutable and keep their reference while
// unchanged (applyUpdates.ts), so a value derived from them can be cached by identity; a pane
// subscribed to a derived array then redraws only when one of its inputs really changed.

/** Cache one derived value per source record. */
export function cachedOn<S extends object, R>(compute: (source: S) => R): (source: S) => R {
  const cache = new WeakMap<S, R>();
  return (source) => {
    const hit = cache.get(source);
    if (hit !== undefined) return hit;
    const value = compute(source);
    cache.set(source, value);
    return value;
  };
}

interface Computed<I, R> {
  inputs: readonly I[];
  result: R;
}

/**
 * Derive one value from several records (e.g. the rows of every istiod of a context). The
 * container those records sit in changes for reasons of its own (a fact's `observedAt`, a
 * bookmark's `lastEventAt`), so caching on it would rebuild the value when nothing it uses
 * changed. This hands back the previous result while every input is the same reference, in
 * the same order. The last result is kept per first input (weakly), so two contexts calling
 * one selector in turn do not evict each other and nothing outlives the store's data.
 */
export function memoOnInputs<I extends object, R>(compute: (inputs: readonly I[]) => R, whenEmpty: R): (inputs: readonly I[]) => R {
  const last = new WeakMap<I, Computed<I, R>>();
  return (inputs) => {
    const first = inputs[0];
    if (first === undefined) return whenEmpty;
    const hit = last.get(first);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((input, i) => input === inputs[i])) return hit.result;
    const result = compute(inputs);
    last.set(first, { inputs: [...inputs], result });
    return result;
  };
}

/**
 * The previous array while the new one holds the same items in the same order: for lists of
 * names rebuilt from a record that changes for other reasons (the context map on every commit).
 */
export function stableList<T>(): (next: readonly T[]) => readonly T[] {
  let last: readonly T[] | undefined;
  return (next) => {
    if (last && last.length === next.length && last.every((item, i) => item === next[i])) return last;
    last = next;
    return next;
  };
}
