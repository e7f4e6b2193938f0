// delete-stale-workloadentries: the autogenflat WorkloadEntries of one context whose source pod
// the source cluster says is gone (the sourcePods fact the feeds keep, the same one MC-WE-001
// judges from). Each step carries its evidence and the pod to look up once more, in the source
// cluster, just before the delete: a pod that came back since the fact was read keeps its entry.
// Entries whose pod is present, unknown or in a cluster that is not loaded are never planned.
import type { KubeObjectJson, MeshSnapshot } from '../store/types.ts';
import { contextId } from '../store/types.ts';
import { WORKLOAD_ENTRIES } from '../store/resourceIds.ts';
import { objectsIn, unreadable } from '../store/snapshotReads.ts';
import { SOURCE_CLUSTER_LABEL } from '../mesh/autogenflat.ts';
import { objectIdentity } from '../../checks/remediationTargets.ts';
import type { ActionPlan, PlanRefusal, PlanStep } from './types.ts';

export interface DeleteStaleRequest {
  context: string;
  /** Only these entries (by name); all stale ones when absent or empty. */
  names?: readonly string[];
}

function entryKey(we: KubeObjectJson): string {
  return `${we.metadata.namespace ?? ''}/${we.metadata.name}`;
}

export function planDeleteStaleWorkloadEntries(snapshot: MeshSnapshot, request: DeleteStaleRequest): ActionPlan | PlanRefusal {
  const context = contextId(request.context);
  if (snapshot.contexts[context] === undefined) return { refused: `context ${request.context} is not loaded` };
  const why = unreadable(snapshot, context, WORKLOAD_ENTRIES);
  if (why !== undefined) return { refused: `cannot read the WorkloadEntries of ${request.context}: ${why}` };
  const wanted = request.names !== undefined && request.names.length > 0 ? new Set(request.names) : undefined;
  const entries = objectsIn(snapshot, context, WORKLOAD_ENTRIES);
  const facts = snapshot.facts[context]?.sourcePods ?? {};
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const planned = new Set<string>();

  for (const we of entries) {
    if (wanted !== undefined && !wanted.has(we.metadata.name)) continue;
    const sourceCluster = we.metadata.labels?.[SOURCE_CLUSTER_LABEL] ?? '';
    const fact = Object.values(facts).find((f) => f.state === 'known' && f.value.entries.some((e) => e.workloadEntry === entryKey(we)));
    const value = fact?.state === 'known' ? fact.value : undefined;
    const entry = value?.entries.find((e) => e.workloadEntry === entryKey(we));
    if (value === undefined || entry === undefined) {
      if (wanted !== undefined) notes.push(`${we.metadata.name}: not an autogenflat entry whose source pod was looked up; left alone`);
      continue;
    }
    if (entry.state !== 'missing' || value.sourceContext === undefined) {
      if (wanted !== undefined || entry.state === 'unknown') {
        const state =
          entry.state === 'present'
            ? 'its pod exists'
            : entry.state === 'notLoaded'
              ? 'its source cluster is not loaded'
              : `its pod could not be looked up${entry.reason ? ` (${entry.reason})` : ''}`;
        notes.push(`${we.metadata.name}: not stale, ${state}; left alone`);
      }
      continue;
    }
    const { uid, resourceVersion } = we.metadata;
    if (uid === undefined || resourceVersion === undefined) {
      return {
        refused: `WorkloadEntry ${entryKey(we)} in ${request.context} was read without a uid or resourceVersion; cannot delete it safely`,
      };
    }
    planned.add(we.metadata.name);
    steps.push({
      ...objectIdentity(context, we),
      uid,
      resourceVersion,
      change: { op: 'delete' },
      evidence: [
        `source cluster ${sourceCluster || value.sourceCluster} (context ${value.sourceContext})`,
        `made for Pod ${entry.podNamespace}/${entry.podName}`,
        `${value.sourceContext}: Pod ${entry.podNamespace}/${entry.podName} NotFound${entry.checkedAt ? ` at ${entry.checkedAt}` : ''}`,
      ],
      recheckPodAbsent: { context: value.sourceContext, namespace: entry.podNamespace, name: entry.podName },
    });
  }
  for (const name of wanted ?? []) {
    if (!planned.has(name) && !entries.some((we) => we.metadata.name === name))
      notes.push(`${name}: no such WorkloadEntry in ${request.context}`);
  }
  return {
    action: 'delete-stale-workloadentries',
    title: `delete ${steps.length} stale WorkloadEntr${steps.length === 1 ? 'y' : 'ies'} in ${request.context}`,
    steps,
    manual: [],
    notes,
  };
}
