// Reads of a MeshSnapshot that checks and the mesh helpers share, and the one rule they follow:
// data that could not be read is never mistaken for data that says "nothing is wrong".
// `unreadable` names why a resource cannot be trusted (context down, forbidden, not yet
// listed…), so a check can answer `unknown` with that reason instead of `pass`.
import { describeStatus } from './selectors.ts';
import { resourceName } from './resourceIds.ts';
import type { ContextId, ContextState, KubeObjectJson, MeshSnapshot, ResourceId } from './types.ts';

/** Context names, sorted: findings come out in the same order every run. */
export function contextNames(snapshot: MeshSnapshot): ContextId[] {
  return (Object.keys(snapshot.contexts) as ContextId[]).sort();
}

/** The objects of one watched resource, ordered by kind/namespace/name. */
export function objectsIn(snapshot: MeshSnapshot, context: ContextId, resource: ResourceId): KubeObjectJson[] {
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
export function unreadable(snapshot: MeshSnapshot, context: ContextId, resource: ResourceId): string | undefined {
  const ctx = snapshot.contexts[context];
  const down = contextUnreadable(ctx);
  if (down !== undefined) return down;
  const res = ctx?.resources[resource];
  const name = resourceName(resource);
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
