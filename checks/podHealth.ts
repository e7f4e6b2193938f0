// MC-POD-001: istiod, ztunnel (one per node) and the east-west gateway pods must be Running and
// ready, wherever they run (mission-anchors §1.3 Pod Check; ztunnel and the gateway are watched
// cluster-wide by label because platforms put them outside the istio namespace).
import type { CheckDefinition, Evidence, Finding } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { DAEMONSETS, EASTWEST_PODS, ISTIOD_ZTUNNEL_PODS } from '../src/store/resourceIds.ts';
import { podStatusOf, RESTART_WARN, type PodStatusSummary } from '../src/mesh/podStatus.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, field, nameOf, objectsIn, text, unreadable } from './snapshotReads.ts';

interface Component {
  label: string;
  /** The label selector that finds its pods: the subject of findings about all of them. */
  selector: string;
  resource: string;
  matches(pod: KubeObjectJson): boolean;
}

const COMPONENTS: readonly Component[] = [
  { label: 'istiod', selector: 'app=istiod', resource: ISTIOD_ZTUNNEL_PODS, matches: (p) => p.metadata.labels?.['app'] === 'istiod' },
  { label: 'ztunnel', selector: 'app=ztunnel', resource: ISTIOD_ZTUNNEL_PODS, matches: (p) => p.metadata.labels?.['app'] === 'ztunnel' },
  { label: 'eastwest gateway', selector: 'service.istio.io/canonical-name=istio-eastwest', resource: EASTWEST_PODS, matches: () => true },
];

// How a pod reads (READY, STATUS, RESTARTS) and what is wrong with it is shared with the console's pods pane.
type PodHealth = PodStatusSummary;
const healthOf = podStatusOf;

function podEvidence(context: ContextId, pod: KubeObjectJson, health: PodHealth): Evidence {
  const node = text(field(pod, 'spec', 'nodeName'));
  return {
    context,
    where: `Pod ${nameOf(pod)}${node ? ` on ${node}` : ''}`,
    value: `READY ${health.ready}  STATUS ${health.status}  RESTARTS ${health.restarts}${health.lastExit ? `  last ${health.lastExit}` : ''}`,
  };
}

function podRemediation(context: ContextId, pod: KubeObjectJson): Finding['remediation'] {
  const ns = pod.metadata.namespace ?? '';
  return {
    summary:
      'Read why the pod fails (events, the previous container log), fix the cause, then delete the pod so its controller recreates it.',
    commands: [
      `kubectl --context ${context} -n ${ns} describe pod ${pod.metadata.name}`,
      `kubectl --context ${context} -n ${ns} logs ${pod.metadata.name} --previous`,
    ],
  };
}

function numberText(value: unknown): string {
  return typeof value === 'number' ? String(value) : '?';
}

/** ztunnel must run once on every node: the DaemonSet says how many nodes; pods say which. */
function ztunnelCoverage(snapshot: MeshSnapshot, context: ContextId, pods: KubeObjectJson[]): Finding[] {
  const findings: Finding[] = [];
  const byNode = new Map<string, string[]>();
  for (const pod of pods) {
    const node = text(field(pod, 'spec', 'nodeName'));
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod.metadata.name]);
  }
  for (const [node, names] of [...byNode.entries()].sort()) {
    if (names.length < 2) continue;
    findings.push(
      makeFinding(podHealthCheck, {
        severity: 'warn',
        subject: { context, kind: 'Node', name: node },
        message:
          `${names.length} ztunnel pods run on node ${node} (${names.join(', ')}): two ztunnel DaemonSets ` +
          `(or revisions) compete for the node's traffic`,
        evidence: names.map((n) => ({ context, where: `Pod ${n}`, value: `on ${node}` })),
      }),
    );
  }
  if (unreadable(snapshot, context, DAEMONSETS) !== undefined) return findings;
  for (const ds of objectsIn(snapshot, context, DAEMONSETS)) {
    const labels = ds.metadata.labels ?? {};
    if (labels['app'] !== 'ztunnel' && labels['app.kubernetes.io/name'] !== 'ztunnel') continue;
    const desired = field(ds, 'status', 'desiredNumberScheduled');
    if (typeof desired !== 'number') continue;
    const running = pods.filter((p) => p.metadata.namespace === ds.metadata.namespace).length;
    if (running >= desired) continue;
    findings.push(
      makeFinding(podHealthCheck, {
        severity: 'fail',
        subject: { context, kind: 'DaemonSet', namespace: ds.metadata.namespace ?? '', name: ds.metadata.name },
        message:
          `DaemonSet ${nameOf(ds)} should run on ${desired} nodes but only ${running} ztunnel pods exist: ` +
          `workloads on the other nodes have no ztunnel`,
        evidence: [
          { context, where: `DaemonSet ${nameOf(ds)} .status.desiredNumberScheduled`, value: String(desired) },
          { context, where: `DaemonSet ${nameOf(ds)} .status.numberReady`, value: numberText(field(ds, 'status', 'numberReady')) },
          { context, where: `ztunnel pods in ${ds.metadata.namespace ?? ''}`, value: String(running) },
        ],
        remediation: {
          summary: 'Find why the DaemonSet cannot place a pod on every node (taints without tolerations, node selectors, resources).',
          commands: [`kubectl --context ${context} -n ${ds.metadata.namespace ?? ''} describe daemonset ${ds.metadata.name}`],
        },
      }),
    );
  }
  return findings;
}

function checkComponent(snapshot: MeshSnapshot, context: ContextId, component: Component): Finding[] {
  // All namespaces: the subject is the selector, as in `kubectl get pods -A -l <selector>`.
  const groupSubject = { context, kind: 'Pod', name: component.selector };
  const why = unreadable(snapshot, context, component.resource);
  if (why !== undefined) {
    return [
      makeFinding(podHealthCheck, { severity: 'unknown', subject: groupSubject, message: `cannot read ${component.label} pods: ${why}` }),
    ];
  }
  const pods = objectsIn(snapshot, context, component.resource).filter((p) => component.matches(p));
  if (pods.length === 0) {
    return [
      makeFinding(podHealthCheck, {
        severity: 'warn',
        subject: groupSubject,
        message: `no ${component.label} pods found in any namespace`,
      }),
    ];
  }
  const findings: Finding[] = [];
  const healthyEvidence: Evidence[] = [];
  for (const pod of pods) {
    const health = healthOf(pod);
    const evidence = podEvidence(context, pod, health);
    const subject = { context, kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
    if (health.problem !== undefined) {
      findings.push(
        makeFinding(podHealthCheck, {
          severity: 'fail',
          subject,
          evidence: [evidence],
          message: `${component.label} pod ${nameOf(pod)} ${health.problem}`,
          remediation: podRemediation(context, pod),
        }),
      );
    } else if (health.restarts >= RESTART_WARN) {
      findings.push(
        makeFinding(podHealthCheck, {
          severity: 'warn',
          subject,
          evidence: [evidence],
          message: `${component.label} pod ${nameOf(pod)} is healthy now but has restarted ${health.restarts} times`,
          remediation: podRemediation(context, pod),
        }),
      );
    } else {
      healthyEvidence.push(evidence);
    }
  }
  if (component.label === 'ztunnel') findings.push(...ztunnelCoverage(snapshot, context, pods));
  if (findings.length === 0) {
    findings.push(
      makeFinding(podHealthCheck, {
        severity: 'pass',
        subject: groupSubject,
        evidence: healthyEvidence,
        message: `all ${component.label} pods healthy (${pods.length})`,
      }),
    );
  }
  return findings;
}

export const podHealthCheck: CheckDefinition = {
  id: 'MC-POD-001',
  title: 'Mesh pods healthy',
  reads: [
    'pods app=istiod and app=ztunnel (all namespaces)',
    'pods service.istio.io/canonical-name=istio-eastwest (all namespaces)',
    'daemonsets.apps (ztunnel): desiredNumberScheduled',
  ],
  decides:
    'Per context and component (istiod, ztunnel, east-west gateway): a pod fails when it is not ' +
    'Running, not ready, terminating or in CrashLoopBackOff (restarts and last exit code shown); ' +
    'a ready pod with 3 or more restarts warns. ztunnel must run once per node: fewer ztunnel pods ' +
    "than the DaemonSet's desired count fails, two on one node warns. No pods of a component warns " +
    '(like istioctl). Unknown when the pods cannot be read.',
  remediation: 'Describe the pod and read its previous log; fix the cause and let the controller recreate it.',
  run(snapshot: MeshSnapshot) {
    const findings: Finding[] = [];
    for (const context of contextNames(snapshot)) {
      for (const component of COMPONENTS) findings.push(...checkComponent(snapshot, context, component));
    }
    return findings;
  },
};
