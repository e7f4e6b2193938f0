// Memoization for the pane models. A model reads a few narrow slices of the store (stable
// references from src/store/selectors.ts) and a few strings (a status, a cluster id); while all of
// them are the same as last time it hands back the same TableModel, so a pane subscribed with
// zustand's useStore(api, selector) does not redraw. Strings compare by value, records by
// identity (Object.is), which is why a model lists its inputs rather than caching on the state.

/** Results kept per model: a pane and a detail (or a frozen and a live state) calling in turn do not evict each other. */
const SLOTS = 4;

/**
 * `build(inputs, arg)`: a recent result whose inputs hold the same values in the same order;
 * otherwise `compute(arg)`. `arg` is what compute reads the inputs from (the state): it is not
 * compared, so compute must read nothing that is not among the inputs.
 */
export function memoByInputs<A, R>(compute: (arg: A) => R): (inputs: readonly unknown[], arg: A) => R {
  const recent: { inputs: readonly unknown[]; result: R }[] = [];
  return (inputs, arg) => {
    const at = recent.findIndex((entry) => sameInputs(entry.inputs, inputs));
    if (at >= 0) {
      const [hit] = recent.splice(at, 1);
      if (hit !== undefined) {
        recent.unshift(hit);
        return hit.result;
      }
    }
    const result = compute(arg);
    recent.unshift({ inputs, result });
    if (recent.length > SLOTS) recent.pop();
    return result;
  };
}

export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}
