// MC-WE-001: on a flat network every remote pod becomes an `autogenflat.…` WorkloadEntry. When
// the pod goes and the entry stays (a missed event, a peer that went away), traffic is sent to
// an address nobody answers. The feeds already asked each source cluster whether each pod still
// exists (the sourcePods fact); this check turns that answer into findings. An entry whose
// source cluster is not loaded cannot be judged: it is reported as such, never as stale.
import type { CheckDefinition, Evidence, Finding } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot, SourcePodEntry } from '../src/store/types.ts';
import { WORKLOAD_ENTRIES } from '../src/store/resourceIds.ts';
import { makeFinding } from './makeFinding.ts';
import { targetOf } from './remediationTargets.ts';
import { contextNames, field, objectsIn, text, unreadable } from './snapshotReads.ts';

const definition = {
  id: 'MC-WE-001',
  title: 'No stale flat-network WorkloadEntries',
} as const;

const SOURCE_WORKLOAD = 'solo.io/source-workload';
const SOURCE_CLUSTER = 'solo.io/source-cluster';
const PEERED_UID = 'solo.io/peered-workload-uid';

function isAutogenflat(we: KubeObjectJson): boolean {
  return (we.metadata.labels?.[SOURCE_WORKLOAD] ?? '').startsWith('autogenflat.');
}

function weKey(we: KubeObjectJson): string {
  return `${we.metadata.namespace ?? ''}/${we.metadata.name}`;
}

function evidenceOf(
  context: ContextId,
  we: KubeObjectJson,
  entry: SourcePodEntry | undefined,
  sourceContext: string | undefined,
): Evidence[] {
  const ref = `WorkloadEntry ${weKey(we)}`;
  const evidence: Evidence[] = [
    { context, where: `${ref} .metadata.annotations["${PEERED_UID}"]`, value: we.metadata.annotations?.[PEERED_UID] ?? '(absent)' },
    { context, where: `${ref} .metadata.labels["${SOURCE_CLUSTER}"]`, value: we.metadata.labels?.[SOURCE_CLUSTER] ?? '(absent)' },
  ];
  if (entry && sourceContext !== undefined && entry.podName !== '') {
    evidence.push({
      context: sourceContext,
      where: `Pod ${entry.podNamespace}/${entry.podName}`,
      value: entry.state === 'missing' ? 'NotFound' : entry.state,
    });
  }
  return evidence;
}

function contextFindings(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): Finding[] {
  const why = unreadable(snapshot, context, WORKLOAD_ENTRIES);
  if (why !== undefined) {
    return [
      makeFinding(definition, {
        severity: 'unknown',
        subject: { context, kind: 'WorkloadEntry', namespace: istioNamespace, name: 'autogenflat.*' },
        message: `Cannot read the WorkloadEntries of ${context}: ${why}.`,
      }),
    ];
  }
  const entries = objectsIn(snapshot, context, WORKLOAD_ENTRIES).filter(isAutogenflat);
  if (entries.length === 0) {
    return [
      makeFinding(definition, {
        severity: 'pass',
        subject: { context, kind: 'WorkloadEntry', namespace: istioNamespace, name: 'autogenflat.*' },
        message: `no autogenflat workload entries found in ${context}.`,
      }),
    ];
  }
  const facts = snapshot.facts[context]?.sourcePods ?? {};
  const findings: Finding[] = [];
  const notLoaded = new Map<string, number>();
  let present = 0;
  for (const we of entries) {
    const sourceCluster = we.metadata.labels?.[SOURCE_CLUSTER] ?? '';
    const fact = facts[sourceCluster];
    const subject = { context, kind: 'WorkloadEntry', namespace: we.metadata.namespace ?? '', name: we.metadata.name };
    if (fact === undefined || fact.state === 'unknown') {
      findings.push(
        makeFinding(definition, {
          severity: 'unknown',
          subject,
          message:
            `Whether the source pod of ${we.metadata.name} still exists in cluster ${sourceCluster || '(unlabelled)'} ` +
            `is not known: ${fact?.state === 'unknown' ? fact.reason : 'the source cluster has not been asked yet'}.`,
          evidence: evidenceOf(context, we, undefined, undefined),
        }),
      );
      continue;
    }
    const entry = fact.value.entries.find((e) => e.workloadEntry === weKey(we));
    const sourceContext = fact.value.sourceContext;
    if (sourceContext === undefined || entry?.state === 'notLoaded') {
      notLoaded.set(sourceCluster, (notLoaded.get(sourceCluster) ?? 0) + 1);
      continue;
    }
    if (entry === undefined || entry.state === 'unknown') {
      findings.push(
        makeFinding(definition, {
          severity: 'unknown',
          subject,
          contexts: [context, sourceContext],
          message: `Whether the source pod of ${we.metadata.name} still exists in ${sourceContext} is not known${entry?.reason ? `: ${entry.reason}` : ' (not checked yet)'}.`,
          evidence: evidenceOf(context, we, entry, sourceContext),
        }),
      );
      continue;
    }
    if (entry.state === 'present') {
      present += 1;
      continue;
    }
    findings.push(
      makeFinding(definition, {
        severity: 'fail',
        subject,
        contexts: [context, sourceContext],
        message:
          `stale workload: ${we.metadata.name} was generated for pod ${entry.podNamespace}/${entry.podName} ` +
          `in ${sourceContext} (cluster ${sourceCluster}), which no longer exists; traffic sent to ${text(field(we, 'spec', 'address')) ?? 'its address'} ` +
          `goes nowhere.`,
        evidence: evidenceOf(context, we, entry, sourceContext),
        remediation: {
          summary: 'Delete the stale WorkloadEntry; istiod regenerates entries for pods that still exist.',
          commands: [`kubectl --context ${context} -n ${we.metadata.namespace ?? istioNamespace} delete workloadentry ${we.metadata.name}`],
          actionId: 'delete-stale-workloadentries',
          targets: [targetOf(context, we, { op: 'delete' })],
        },
      }),
    );
  }
  for (const [cluster, count] of notLoaded) {
    findings.push(
      makeFinding(definition, {
        severity: 'warn',
        subject: { context, kind: 'WorkloadEntry', namespace: istioNamespace, name: `autogenflat.${cluster}.*` },
        message:
          `${context} has ${count} autogenflat WorkloadEntr${count === 1 ? 'y' : 'ies'} from cluster ` +
          `${cluster}, but cluster ${cluster} is not among the checked contexts: not checked for staleness.`,
        remediation: { summary: `Include the context of cluster ${cluster} to check these entries.`, commands: [] },
      }),
    );
  }
  const stale = findings.filter((f) => f.severity === 'fail').length;
  if (findings.length === 0) {
    findings.push(
      makeFinding(definition, {
        severity: 'pass',
        subject: { context, kind: 'WorkloadEntry', namespace: istioNamespace, name: 'autogenflat.*' },
        message: `no stale workloads found (${present} checked).`,
      }),
    );
  } else if (stale > 0) {
    findings.push(
      makeFinding(definition, {
        severity: 'info',
        subject: { context, kind: 'WorkloadEntry', namespace: istioNamespace, name: 'autogenflat.*' },
        message: `found ${stale} stale workload(s) out of ${stale + present} checked in ${context}.`,
      }),
    );
  }
  return findings;
}

function run(snapshot: MeshSnapshot, options: { istioNamespace: string }): Finding[] {
  return contextNames(snapshot).flatMap((context) => contextFindings(snapshot, context, options.istioNamespace));
}

export const staleWorkloadEntriesCheck: CheckDefinition = {
  ...definition,
  reads: [
    'workloadentries.networking.istio.io: entries labelled solo.io/source-workload=autogenflat.…',
    "the sourcePods fact: whether each entry's source pod (solo.io/peered-workload-uid) still exists in its source cluster",
  ],
  decides:
    'An autogenflat WorkloadEntry whose source pod is gone from its (loaded) source cluster is stale: fail, one finding per entry. ' +
    ('Entries from a cluster outside the checked contexts are reported once per cluster as a warning, ' +
      'not as stale. An entry whose pod could not be looked up is unknown.'),
  remediation:
    'Delete stale entries (`kubectl -n <istio namespace> delete workloadentry <name>`, or the delete-stale-workloadentries action).',
  run,
};
