// Structural sharing for the JSON the store holds. Feeds hand the store fresh objects every
// time (a re-fetched fact, a repeated error, a re-listed pod), so reference identity alone
// would call everything new. Comparing by value once, on the way in, lets the store keep the
// old reference for what did not change, and every reader downstream can then trust identity.

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `next`, with every part that is deep-equal to the same part of `prev` replaced by `prev`'s
 * reference. Returns `prev` itself when the two are deep-equal, so `result === prev` means
 * "nothing changed". Neither argument is modified. Meant for JSON data: plain records, arrays,
 * primitives.
 */
export function keepUnchanged<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) return prev as T;
  if (Array.isArray(prev) && Array.isArray(next)) {
    let same = prev.length === next.length;
    const out = next.map((item: unknown, i) => {
      const kept = keepUnchanged(prev[i], item);
      if (kept !== prev[i]) same = false;
      return kept;
    });
    return (same ? prev : out) as T;
  }
  if (isPlainRecord(prev) && isPlainRecord(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const before = prev[key];
      const kept = keepUnchanged(before, next[key]);
      if (kept !== before || !(key in prev)) same = false;
      out[key] = kept;
    }
    return (same ? prev : out) as T;
  }
  return next;
}

/** Deep equality of JSON data, without allocating (it runs on every re-delivered object). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainRecord(a) || !isPlainRecord(b)) return false;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key])) return false;
    count++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
}
