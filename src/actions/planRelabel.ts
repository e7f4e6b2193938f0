// relabel-network: give one cluster one network name everywhere it is said. The plan covers the
// objects that must agree (reference mission-anchors §4.1): the istio namespace's
// topology.istio.io/network label (what istiod reads), the cluster's east-west Gateway label, and
// in every other loaded cluster the istio-remote Gateway that points at this one (it must carry
// the peer's network). Objects already at the new name are left out, so running the plan again
// after a partial failure finishes it. ztunnel's NETWORK env and istiod's global.network belong to
// their Helm releases (a patch would be undone by the next upgrade): shown as commands, not run.
//
// Order: the namespace first (the source of truth istiod reads), then the east-west Gateway, then
// the remote Gateways in the other clusters. If a step fails part-way the cluster's own objects
// already agree with each other, and what is left behind is the peers' view of it — each such
// remote Gateway is then named by MC-NET-001, and re-running the action finishes the job.
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../store/types.ts';
import { contextId } from '../store/types.ts';
import { DAEMONSETS, GATEWAYS, ISTIOD_DEPLOYMENTS, NAMESPACES } from '../store/resourceIds.ts';
import { objectKey } from '../store/objectKey.ts';
import { contextNames, objectsIn, sameClusterAs, unreadable } from '../store/snapshotReads.ts';
import { field, records, text } from '../mesh/jsonFields.ts';
import { eastWestGateways, gatewayRef, NETWORK_LABEL, peerContextOf, remoteGateways } from '../mesh/peering.ts';
import { objectIdentity } from '../../checks/remediationTargets.ts';
import type { ActionPlan, ManualStep, PlanRefusal, PlanStep } from './types.ts';

export interface RelabelRequest {
  context: string;
  network: string;
  istioNamespace: string;
}

/** A label value as Kubernetes validates it: 63 characters, alphanumeric at both ends. */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

function labelStep(context: string, object: KubeObjectJson, to: string, evidence: string[]): PlanStep | PlanRefusal {
  const { uid, resourceVersion } = object.metadata;
  if (uid === undefined || resourceVersion === undefined) {
    return {
      refused: `${object.kind} ${object.metadata.name} in ${context} was read without a uid or resourceVersion; cannot write it safely`,
    };
  }
  const from = object.metadata.labels?.[NETWORK_LABEL];
  return {
    ...objectIdentity(context, object),
    uid,
    resourceVersion,
    change: { op: 'setLabel', key: NETWORK_LABEL, ...(from !== undefined ? { from } : {}), to },
    evidence,
  };
}

function labelEvidence(context: string, where: string, object: KubeObjectJson): string {
  const value = object.metadata.labels?.[NETWORK_LABEL];
  return `${context}: ${where} .metadata.labels["${NETWORK_LABEL}"] is ${value === undefined ? 'absent' : `"${value}"`}`;
}

/** `1.28.2-solo` from `…/ztunnel:1.28.2-solo-distroless`: the chart version to stay on. */
function versionOf(object: KubeObjectJson): string | undefined {
  const containers = records(field(object, 'spec', 'template', 'spec', 'containers'));
  const image = text(containers[0]?.['image']);
  const tag = image?.slice(image.lastIndexOf(':') + 1);
  if (tag === undefined || tag === image) return undefined;
  return tag.replace(/-distroless$/, '');
}

function helmCommand(context: string, object: KubeObjectJson | undefined, chart: string, namespace: string, set: string): string {
  const release = object?.metadata.annotations?.['meta.helm.sh/release-name'] ?? chart;
  const releaseNamespace = object?.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? namespace;
  const version = object ? versionOf(object) : undefined;
  return (
    `helm upgrade ${release} "$HELM_REPO/${chart}" --kube-context ${context} -n ${releaseNamespace}` +
    `${version !== undefined ? ` --version ${version}` : ''} --reuse-values --set ${set}`
  );
}

function manualSteps(snapshot: MeshSnapshot, context: ContextId, network: string, istioNamespace: string): ManualStep[] {
  const manual: ManualStep[] = [];
  const ztunnels = objectsIn(snapshot, context, DAEMONSETS).filter(
    (d) => d.metadata.labels?.['app'] === 'ztunnel' || d.metadata.labels?.['app.kubernetes.io/name'] === 'ztunnel',
  );
  for (const ztunnel of ztunnels) {
    const env = records(field(ztunnel, 'spec', 'template', 'spec', 'containers')).flatMap((c) => records(c['env']));
    const current = text(env.find((e) => e['name'] === 'NETWORK')?.['value']);
    if (current === network) continue;
    manual.push({
      context,
      why:
        `ztunnel's NETWORK is ${current === undefined ? 'not set' : `"${current}"`} (DaemonSet ${ztunnel.metadata.namespace ?? ''}/` +
        `${ztunnel.metadata.name}); it comes from the ztunnel chart's network value, so set it there ($HELM_REPO: the Solo Istio Helm repository you installed from)`,
      command: helmCommand(context, ztunnel, 'ztunnel', ztunnel.metadata.namespace ?? istioNamespace, `network=${network}`),
    });
  }
  const istiod = objectsIn(snapshot, context, ISTIOD_DEPLOYMENTS)[0];
  manual.push({
    context,
    why: `istiod's global.network Helm value cannot be read from the cluster; if your istiod values set it, make it match`,
    command: helmCommand(context, istiod, 'istiod', istiod?.metadata.namespace ?? istioNamespace, `global.network=${network}`),
  });
  return manual;
}

export function planRelabelNetwork(snapshot: MeshSnapshot, request: RelabelRequest): ActionPlan | PlanRefusal {
  const context = contextId(request.context);
  const { network, istioNamespace } = request;
  if (!LABEL_VALUE.test(network)) {
    return { refused: `"${network}" is not a valid label value (up to 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)` };
  }
  if (snapshot.contexts[context] === undefined) return { refused: `context ${request.context} is not loaded` };
  const why = unreadable(snapshot, context, NAMESPACES);
  if (why !== undefined) return { refused: `cannot read the namespaces of ${request.context}: ${why}` };
  const namespace = snapshot.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
  if (namespace === undefined) return { refused: `${request.context} has no ${istioNamespace} namespace` };

  const candidates: { context: string; object: KubeObjectJson; evidence: string }[] = [
    { context, object: namespace, evidence: labelEvidence(context, `Namespace ${istioNamespace}`, namespace) },
    ...eastWestGateways(snapshot, context).map((g) => ({ context, object: g, evidence: labelEvidence(context, gatewayRef(g), g) })),
  ];
  const notes: string[] = [];
  const sameCluster = new Set<string>([context, ...sameClusterAs(snapshot, context)]);
  for (const other of contextNames(snapshot).filter((c) => !sameCluster.has(c))) {
    const gatewaysWhy = unreadable(snapshot, other, GATEWAYS);
    if (gatewaysWhy !== undefined) {
      notes.push(
        `${other}: its remote Gateways could not be read (${gatewaysWhy}); check the one that points at ${request.context} by hand`,
      );
      continue;
    }
    for (const gateway of remoteGateways(snapshot, other)) {
      if (peerContextOf(snapshot, other, gateway) !== context) continue;
      candidates.push({
        context: other,
        object: gateway,
        evidence: `${labelEvidence(other, gatewayRef(gateway), gateway)}; it points at ${request.context}`,
      });
    }
  }

  const steps: PlanStep[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const uid = candidate.object.metadata.uid ?? `${candidate.context}/${candidate.object.kind}/${candidate.object.metadata.name}`;
    if (seen.has(uid)) continue;
    seen.add(uid);
    if (candidate.object.metadata.labels?.[NETWORK_LABEL] === network) {
      notes.push(`${candidate.context}: ${candidate.object.kind} ${candidate.object.metadata.name} already says ${network}`);
      continue;
    }
    const step = labelStep(candidate.context, candidate.object, network, [candidate.evidence]);
    if ('refused' in step) return step;
    steps.push(step);
  }
  for (const other of contextNames(snapshot).filter((c) => !sameCluster.has(c))) {
    const theirs = snapshot.contexts[other]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
    if (theirs?.metadata.labels?.[NETWORK_LABEL] === network) {
      notes.push(
        `${other} already uses network ${network}: the two clusters become one flat network, and peering skips the east-west gateway between them`,
      );
    }
  }
  return {
    action: 'relabel-network',
    title: `relabel ${request.context} to network ${network}`,
    steps,
    manual: manualSteps(snapshot, context, network, istioNamespace),
    notes,
  };
}
