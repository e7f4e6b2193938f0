// A type's objects as they were at an earlier resourceVersion, so every page of a paged list
// shows one consistent state (as etcd's MVCC does).
import { compareKeys } from './typeBucket.ts';
import type { SortedKey, TypeBucket } from './typeBucket.ts';
import type { KubeObject } from './types.ts';

export interface Snapshot {
  /** Keys in etcd order; the listed ones start at index `from`, all ≥ the start key. */
  keys: SortedKey[];
  from: number;
  /** Every key has an object (no undone creations), so counting keys counts objects. */
  exact: boolean;
  get(sk: SortedKey): KubeObject | undefined;
}

/**
 * The keys and objects as of resourceVersion rv: the current state with every later event
 * undone from history, which keeps each write's previous object.
 */
export function snapshotAt(
  b: TypeBucket,
  namespace: string | undefined,
  rv: number,
  currentRv: number,
  start: string | undefined,
): Snapshot {
  const current = b.sorted(namespace);
  const from = start === undefined ? 0 : lowerBound(current, start);
  const live = (sk: SortedKey): KubeObject | undefined => b.lookup(sk.namespace, sk.name);
  const overrides = new Map<string, { sk: SortedKey; obj: KubeObject | undefined }>();
  if (rv < currentRv) {
    const entries = b.history.entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (!e || e.rv <= rv) break;
      if (namespace !== undefined && b.rt.namespaced && e.namespace !== namespace) continue;
      const key = b.rt.namespaced && namespace !== undefined ? e.object.metadata.name : e.key;
      if (start !== undefined && key < start) continue;
      const sk = { key, namespace: e.namespace, name: e.object.metadata.name };
      overrides.set(key, { sk, obj: e.type === 'ADDED' ? undefined : e.prev });
    }
  }
  if (overrides.size === 0) return { keys: current, from, exact: true, get: live };
  const merged = new Map<string, SortedKey>();
  for (let i = from; i < current.length; i++) {
    const sk = current[i];
    if (sk) merged.set(sk.key, sk);
  }
  for (const { sk } of overrides.values()) merged.set(sk.key, sk);
  const keys = [...merged.values()].sort(compareKeys);
  return {
    keys,
    from: 0,
    exact: false,
    get: (sk) => {
      const o = overrides.get(sk.key);
      return o ? o.obj : live(sk);
    },
  };
}

/** First index whose key is ≥ target in a sorted array. */
function lowerBound(keys: SortedKey[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid]?.key ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
