// Reads of a MeshSnapshot that every check needs, and the one rule they share: data that could
// not be read is never mistaken for data that says "nothing is wrong". `unreadable` names why a
// resource cannot be trusted (context down, forbidden, not yet listed…), so a check can answer
// `unknown` with that reason instead of `pass`.
import type { ContextId, ContextState, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { describeStatus } from '../src/store/selectors.ts';

/** Context names, sorted: findings come out in the same order every run. */
export function contextNames(snapshot: MeshSnapshot): ContextId[] {
  return (Object.keys(snapshot.contexts) as ContextId[]).sort();
}

/** The objects of one watched resource, ordered by kind/namespace/name. */
export function objectsIn(snapshot: MeshSnapshot, context: ContextId, resource: string): KubeObjectJson[] {
  const objects = snapshot.contexts[context]?.resources[resource]?.objects ?? {};
  return Object.keys(objects)
    .sort()
    .map((key) => objects[key] as KubeObjectJson);
}

/** Why nothing can be read from this context at all, or undefined when it is connected. */
export function contextUnreadable(ctx: ContextState | undefined): string | undefined {
  if (!ctx) return 'the context is not loaded';
  if (ctx.status.phase === 'ready' || ctx.status.phase === 'degraded') return undefined;
  if (ctx.status.phase === 'connecting') return 'the context is still connecting';
  return `the context is ${describeStatus(ctx.status)}${ctx.lastError ? ` (${ctx.lastError.message})` : ''}`;
}

/**
 * Why the objects of this resource cannot be trusted to be complete, or undefined when they
 * can. A `stale` watch still holds the last complete list, so it counts as readable.
 */
export function unreadable(snapshot: MeshSnapshot, context: ContextId, resource: string): string | undefined {
  const ctx = snapshot.contexts[context];
  const down = contextUnreadable(ctx);
  if (down !== undefined) return down;
  const res = ctx?.resources[resource];
  const name = resource.split('#')[0] ?? resource;
  if (!res) return `${name} is not watched`;
  switch (res.sync) {
    case 'synced':
    case 'stale':
      return undefined;
    case 'syncing':
      return `${name} has not been listed yet`;
    case 'forbidden':
      return `forbidden on ${name}${res.error ? `: ${res.error.message}` : ''}`;
    case 'notInstalled':
      return `${name} is not installed (no CRD)`;
    case 'error':
      return `cannot read ${name}${res.error ? `: ${res.error.message}` : ''}`;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj.a.b.c` without casts at every step; undefined when any step is missing. */
export function field(obj: unknown, ...path: string[]): unknown {
  let current: unknown = obj;
  for (const step of path) {
    if (!isRecord(current)) return undefined;
    current = current[step];
  }
  return current;
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

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
