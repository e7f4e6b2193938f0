// Stored objects are deeply frozen JSON: readers share them without copying and can never
// change the store. These helpers copy what callers hand in, freeze it, and compare it.
import type { KubeObject } from './types.ts';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A mutable JSON copy of what a caller handed us: undefined members are dropped like
 * JSON.stringify would, without the cost of a string round trip.
 */
export function jsonCopy<T>(value: T): T {
  return copyJson(value) as T;
}

/** Copy and deep-freeze in one pass (bulk loads). */
export function frozenCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v) => (v === undefined ? null : frozenCopy(v))));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return deepFreeze(JSON.parse(JSON.stringify(value)) as unknown);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'function') out[k] = frozenCopy(v);
  }
  return Object.freeze(out);
}

function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : copyJson(v)));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value)) as unknown;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'function') out[k] = copyJson(v);
  }
  return out;
}

/** JSON equality; a member set to undefined counts as absent, as it would on the wire. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** A copy of a frozen object with a few metadata fields replaced; nested parts stay shared and frozen. */
export function withMeta(obj: KubeObject, meta: Partial<KubeObject['metadata']>): KubeObject {
  return Object.freeze({ ...obj, metadata: Object.freeze({ ...obj.metadata, ...meta }) });
}
