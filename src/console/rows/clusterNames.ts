// How the console names a cluster: by istiod's CLUSTER_ID when known, with the context that
// reaches it (`east (cluster-east)`), so the mesh's name and the kubeconfig's are both on screen
// and never confused.
import type { ContextId, MeshState } from '../../store/types.ts';
import { clusterGroups } from '../../store/snapshotReads.ts';
import { snapshotOf } from './stateSnapshot.ts';

export function clusterLabel(state: MeshState, context: ContextId): string {
  const id = state.contexts[context]?.clusterId;
  return id !== undefined && (id as string) !== context ? `${id} (${context})` : context;
}

/** The cluster groups as one string (`a,b;c`): an input that compares by value across commits. */
export function clusterGroupsKey(state: MeshState): string {
  return clusterGroups(snapshotOf(state))
    .map((g) => g.join(','))
    .join(';');
}

/** Each context's CLUSTER_ID as one string: peers are matched by it. */
export function clusterIdsKey(state: MeshState, contexts: readonly ContextId[]): string {
  return contexts.map((c) => `${c}=${state.contexts[c]?.clusterId ?? ''}`).join(';');
}
