// Reads every check needs. The store and JSON reads live beside the data they read
// (src/store/snapshotReads.ts, src/mesh/jsonFields.ts); they are re-exported here so a check
// imports its reads from one place.
import type { KubeObjectJson } from '../src/store/types.ts';

export { contextNames, contextUnreadable, objectsIn, unreadable } from '../src/store/snapshotReads.ts';
export { field, isRecord, records, text } from '../src/mesh/jsonFields.ts';

/** `ns/name`, or `name` for cluster-scoped objects. */
export function nameOf(obj: KubeObjectJson): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/**
 * Days from `now` until `when`, to the nearest day (negative once past): a certificate issued
 * for 6 days and read a minute later still reads "6 days left". Judge expiry with `isPast`.
 */
export function daysUntil(when: Date, now: string): number {
  return Math.round((when.getTime() - Date.parse(now)) / 86_400_000);
}

export function isPast(when: Date, now: string): boolean {
  return when.getTime() < Date.parse(now);
}
