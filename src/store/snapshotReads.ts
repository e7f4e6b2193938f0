// Reads of a MeshSnapshot that checks and the mesh helpers share, and the one rule they follow:
// data that could not be read is never mistaken for data that says "nothing is wrong".
// `unreadable` names why a resource cannot be trusted (context down, forbidden, not yet
// listed…), so a check can answer `unknown` with that reason instead of `pass`.
import { describeStatus } from './selectors.ts';
import { resourceName } from './resourceIds.ts';
import type { ContextId, ContextState, KubeObjectJson, MeshSnapshot, ResourceId } from './types.ts';

// Checks ask for the context names in inner loops (every peer of every context); listing the
// keys of a tracked snapshot (checks/trackedSnapshot.ts) is slow, so the answer is kept per map.
const NAMES = new WeakMap<object, readonly ContextId[]>();

/** Context names, sorted: findings come out in the same order every run. */
export function contextNames(snapshot: MeshSnapshot): ContextId[] {
  let names = NAMES.get(snapshot.contexts);
  if (names === undefined) {
    names = (Object.keys(snapshot.contexts) as ContextId[]).sort();
    NAMES.set(snapshot.contexts, names);
  }
  return [...names];
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
  // An unusable kubeconfig entry is carried as unreachable (it can never connect), but it is the entry that is wrong.
  if (ctx.lastError?.kind === 'config') return `the context is invalid: ${ctx.lastError.message}`;
  const detail = ctx.lastError ? ` (${ctx.lastError.message})` : '';
  // "the context is auth failed" is not English: say who failed.
  if (ctx.status.phase === 'authFailed') return `the context's credentials were refused: ${describeStatus(ctx.status)}${detail}`;
  return `the context is ${describeStatus(ctx.status)}${detail}`;
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
