// `--output scenario`: what the console observed, written as a scenario file that
// `mesh-tui sim --scenario-file` replays. Every context becomes a `mode: manifests-only`
// cluster (nothing generated: it serves exactly what was seen) holding the watched objects as
// manifests, istiod's debug answers rebuilt from the facts, the log signatures' lines as pod
// logs, and the reads that failed as forbidden rules, missing CRDs or faults. So an incident
// can be attached to a ticket and the checks run on it again, anywhere, without the clusters.
//
// Nothing secret is written: the store already dropped private keys, tokens and license keys;
// everything passes captureScrub on the way out as well.
import { dump } from 'js-yaml';
import type { MeshSnapshot } from '../store/types.ts';
import type { CapturedClusterDocument, CapturedScenarioDocument } from '../sim/scenario/spec.ts';
import { DEFAULT_ISTIO_NAMESPACE, NAMESPACES } from '../store/resourceIds.ts';
import { objectKey } from '../store/objectKey.ts';
import { clusterGroups } from '../store/snapshotReads.ts';
import { NETWORK_LABEL } from '../mesh/peering.ts';
import { captureAccess } from './captureAccess.ts';
import { captureDebug } from './captureDebug.ts';
import { captureLogs } from './captureLogs.ts';
import { captureObjects, sourcePodStandIns, withStandIns } from './captureManifests.ts';
import { scrubDeep, scrubText } from './captureScrub.ts';

export interface CaptureMeta {
  /** Scenario name; made a lower-case DNS name. Default `captured`. */
  name?: string;
  /** One line; default says which contexts and when. */
  summary?: string;
  /** The console's version, recorded in the file's header. */
  toolVersion?: string;
  /** Where istiod lives; the network is read from this namespace's label. Default istio-system. */
  istioNamespace?: string;
}

function dnsName(text: string, fallback: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 63);
  return name === '' ? fallback : name;
}

/** The scenario format's context names; a real one (`arn:aws:eks:…/name`) may hold more. */
function contextName(context: string): string {
  const name = context.replace(/[^A-Za-z0-9._@:-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name === '' ? 'context' : name;
}

/** istiod's CLUSTER_ID when the console learnt it, else one derived from the context; unique. */
function clusterIds(snapshot: MeshSnapshot): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>(['kubernetes']);
  for (const [context, state] of Object.entries(snapshot.contexts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    let id = dnsName(state.clusterId ?? context, 'cluster');
    for (let n = 2; taken.has(id); n++) id = `${dnsName(state.clusterId ?? context, 'cluster')}-${n}`;
    taken.add(id);
    ids.set(context, id);
  }
  return ids;
}

function networkOf(snapshot: MeshSnapshot, context: string, istioNamespace: string, clusterId: string): string {
  const namespaces = snapshot.contexts[context as keyof MeshSnapshot['contexts']]?.resources[NAMESPACES]?.objects ?? {};
  const label = namespaces[objectKey('Namespace', undefined, istioNamespace)]?.metadata.labels?.[NETWORK_LABEL];
  return label !== undefined && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(label) ? label : clusterId;
}

export function captureScenario(snapshot: MeshSnapshot, meta: CaptureMeta = {}): string {
  const istioNamespace = meta.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE;
  const ids = clusterIds(snapshot);
  const standIns = sourcePodStandIns(snapshot);
  const contexts = Object.keys(snapshot.contexts).sort();
  // Contexts that reach one cluster replay as one cluster with extra contexts: two clusters with
  // the same CLUSTER_ID would be refused, and the checks read the cluster through the first anyway.
  const groups = clusterGroups(snapshot);
  const clusters = groups.map((group): CapturedClusterDocument => {
    const context = group[0] as string;
    const extraContexts = group.slice(1).map((other) => ({ context: contextName(other) }));
    const key = context as keyof MeshSnapshot['contexts'];
    const state = snapshot.contexts[key];
    const facts = snapshot.facts[key];
    const clusterId = ids.get(context)!;
    const access = captureAccess(state, facts);
    const podLogs = captureLogs(state, snapshot.logSignatures[key], scrubText);
    const istiodDebug = captureDebug(facts);
    return {
      context: contextName(context),
      clusterId,
      network: networkOf(snapshot, context, istioNamespace, clusterId),
      mode: 'manifests-only' as const,
      manifests: withStandIns(captureObjects(state), standIns.get(context) ?? []),
      ...(podLogs.length > 0 && { podLogs }),
      ...(istiodDebug.length > 0 && { istiodDebug }),
      ...(access.user && { users: [access.user], kubeconfigUser: access.user.name }),
      ...(extraContexts.length > 0 && { extraContexts }),
      ...(access.crdsMissing.length > 0 && { crdsMissing: access.crdsMissing }),
      ...(access.faults.length > 0 && { faults: access.faults }),
    };
  });
  const scenario: CapturedScenarioDocument = {
    name: dnsName(meta.name ?? 'captured', 'captured'),
    summary: (meta.summary ?? `Captured from ${contexts.join(', ') || 'no context'} at ${snapshot.takenAt}`).replace(/\s*\n\s*/g, ' '),
    clusters,
  };
  const header = [
    `# Captured by mesh-tui${meta.toolVersion !== undefined ? ` ${meta.toolVersion}` : ''} at ${snapshot.takenAt}.`,
    '# Replay: mesh-tui sim --scenario-file <this file> --kubeconfig-out <kubeconfig>',
    '# Secrets (private keys, tokens, license keys) were left out; format: docs/scenarios.md.',
  ];
  return `${header.map(scrubText).join('\n')}\n${dump(scrubDeep(scenario), { lineWidth: -1, noRefs: true })}`;
}
