// Reads of a MeshSnapshot that checks and the mesh helpers share, and the one rule they follow:
// data that could not be read is never mistaken for data that says "nothing is wrong".
// `unreadable` names why a resource cannot be trusted (context down, forbidden, not yet
// listed…), so a check can answer `unknown` with that reason instead of `pass`.
import { describeStatus } from './selectors.ts';
import { resourceName, ROOT_CERT_CONFIGMAPS } from './resourceIds.ts';
import type { ContextId, ContextState, KubeObjectJson, MeshSnapshot, ResourceId } from './types.ts';

// Checks ask for the context names in inner loops (every peer of every context); listing the
// keys of a tracked snapshot (checks/trackedSnapshot.ts) is slow, so the answer is kept per map.
const GROUPS = new WeakMap<object, readonly (readonly ContextId[])[]>();

/**
 * Context names, sorted, one per cluster: findings come out in the same order every run, and a
 * cluster reached by several contexts (an admin and an on-call context) is evaluated once, so it
 * is never its own "other cluster" (a shared network, a one-way link to itself).
 */
export function contextNames(snapshot: MeshSnapshot): ContextId[] {
  return clusterGroups(snapshot).map((group) => group[0] as ContextId);
}

/** The other contexts that reach the same cluster as `context` (none for most). */
export function sameClusterAs(snapshot: MeshSnapshot, context: ContextId): ContextId[] {
  return (clusterGroups(snapshot).find((group) => group.includes(context)) ?? []).filter((c) => c !== context);
}

/**
 * The contexts grouped by the cluster they reach, each group led by the context the checks read
 * (the best-connected one, then by name), groups sorted by that leader. Two contexts reach one
 * cluster when the kubeconfig points them at the same server with the same CA (`endpoint`, from
 * the feeds), or when istiod answers both with the same CLUSTER_ID and root certificate (two
 * addresses of one API server). Decided here, from what the store holds, rather than by the feeds,
 * because CLUSTER_ID and the root arrive later and may change, and every reader must agree.
 */
export function clusterGroups(snapshot: MeshSnapshot): readonly (readonly ContextId[])[] {
  let groups = GROUPS.get(snapshot.contexts);
  if (groups === undefined) {
    groups = groupContexts(snapshot);
    GROUPS.set(snapshot.contexts, groups);
  }
  return groups;
}

function groupContexts(snapshot: MeshSnapshot): (readonly ContextId[])[] {
  const names = (Object.keys(snapshot.contexts) as ContextId[]).sort();
  const leaderOf = new Map<ContextId, ContextId>(names.map((n) => [n, n]));
  const find = (c: ContextId): ContextId => {
    let at = c;
    while (leaderOf.get(at) !== at) at = leaderOf.get(at) as ContextId;
    return at;
  };
  const firstWith = new Map<string, ContextId>();
  for (const name of names) {
    for (const key of identityKeys(snapshot.contexts[name])) {
      const seen = firstWith.get(key);
      if (seen === undefined) firstWith.set(key, name);
      else leaderOf.set(find(name), find(seen));
    }
  }
  const byRoot = new Map<ContextId, ContextId[]>();
  for (const name of names) byRoot.set(find(name), [...(byRoot.get(find(name)) ?? []), name]);
  return [...byRoot.values()]
    .map((group) => [...group].sort((a, b) => readability(snapshot.contexts[a]) - readability(snapshot.contexts[b]) || a.localeCompare(b)))
    .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

function identityKeys(ctx: ContextState | undefined): string[] {
  if (!ctx) return [];
  const keys = ctx.endpoint !== undefined ? [`endpoint ${ctx.endpoint}`] : [];
  const root = rootCertificate(ctx);
  if (ctx.clusterId !== undefined && root !== undefined) keys.push(`cluster ${ctx.clusterId} ${root}`);
  return keys;
}

function rootCertificate(ctx: ContextState): string | undefined {
  const objects = ctx.resources[ROOT_CERT_CONFIGMAPS]?.objects ?? {};
  for (const object of Object.values(objects)) {
    if (object.metadata.name !== 'istio-ca-root-cert') continue;
    const data = object['data'];
    const pem = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['root-cert.pem'] : undefined;
    if (typeof pem === 'string' && pem.trim() !== '') return pem.trim();
  }
  return undefined;
}

/** Lower is better: the context whose reads are most complete speaks for the cluster. */
function readability(ctx: ContextState | undefined): number {
  if (!ctx) return 1_000_000;
  const phase = { ready: 0, degraded: 1, connecting: 2, unreachable: 3, authFailed: 3 }[ctx.status.phase];
  const unreadableResources = Object.values(ctx.resources).filter((r) => r.sync !== 'synced' && r.sync !== 'stale').length;
  const forbiddenLogs = Object.values(ctx.logStreams ?? {}).filter((l) => l.phase === 'forbidden').length;
  return phase * 10_000 + unreadableResources * 100 + Math.min(forbiddenLogs, 99);
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
