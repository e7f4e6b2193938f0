// The scenario's timeline, resolved against the generated clusters: each object an event names
// must be one the cluster holds at start (its apiVersion is taken from it), each pod target must
// match a pod, each node must exist, and log bursts are rendered per node with the same content
// functions as the scenario's `logs:`. A name that matches nothing is an error naming the path,
// like every other mistake in a scenario file.
import type { KubeObject } from '../../api/types.ts';
import { SpecProblem } from '../scenarioError.ts';
import type { LogEventSpec } from '../spec.ts';
import type { TimelineAction, TimelineEvent, TimelineObjectRef, TimelinePodSelection } from '../timelineModel.ts';
import type { ObjectRefSpec, PodTargetSpec, TimelineActionSpec, TimelineEventSpec } from '../timelineSpec.ts';
import { istiodEventFor, istiodTemplate, ztunnelEventFor, ztunnelTemplate } from './logLines.ts';
import type { ClusterPlan, ScenarioPlan } from './plan.ts';

/** What the generator made of one cluster: its plan (absent for a manifests-only cluster) and its objects. */
export interface GeneratedClusterView {
  plan: ClusterPlan | undefined;
  objects: readonly KubeObject[];
}

function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
}

function resolveObject(objects: readonly KubeObject[], ref: ObjectRefSpec, path: string, context: string): TimelineObjectRef {
  const found = objects.filter(
    (o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.namespace === undefined || o.metadata.namespace === ref.namespace),
  );
  if (found.length === 0) throw new SpecProblem(path, `${context} holds no ${describeRef(ref)} at start`);
  const namespaces = new Set(found.map((o) => o.metadata.namespace ?? ''));
  if (namespaces.size > 1)
    throw new SpecProblem(path, `${context} holds ${describeRef(ref)} in several namespaces (${[...namespaces].join(', ')}); say which`);
  const obj = found[0] as KubeObject;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
  };
}

function podMatches(pod: KubeObject, target: TimelinePodSelection): boolean {
  if (target.namespace !== undefined && pod.metadata.namespace !== target.namespace) return false;
  if (target.name !== undefined && pod.metadata.name !== target.name) return false;
  if (target.node !== undefined && (pod.spec as { nodeName?: unknown } | undefined)?.nodeName !== target.node) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(target.labels ?? {}).every(([k, v]) => labels[k] === v);
}

function resolvePods(objects: readonly KubeObject[], target: PodTargetSpec, path: string, context: string): TimelinePodSelection {
  const selection: TimelinePodSelection = {
    ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
    ...(target.pod !== undefined ? { name: target.pod } : {}),
    ...(target.selector !== undefined ? { labels: target.selector } : {}),
    ...(target.node !== undefined ? { node: target.node } : {}),
  };
  if (target.node !== undefined && !objects.some((o) => o.kind === 'Node' && o.metadata.name === target.node)) {
    const nodes = objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name);
    throw new SpecProblem(`${path}.node`, `${context} has no node ${JSON.stringify(target.node)}; expected one of ${nodes.join(', ')}`);
  }
  const pods = objects.filter((o) => o.kind === 'Pod' && o.apiVersion === 'v1');
  if (!pods.some((p) => podMatches(p, selection))) {
    const what =
      target.pod !== undefined
        ? `pod ${JSON.stringify(target.pod)}`
        : `pod matching ${Object.entries(target.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`;
    throw new SpecProblem(
      `${path}.${target.pod !== undefined ? 'pod' : 'pods'}`,
      `${context} has no ${what}${target.node ? ` on ${target.node}` : ''}`,
    );
  }
  return selection;
}

/** A scenario log event as the line a pod on `node` writes. */
function renderLine(plan: ScenarioPlan, cluster: ClusterPlan, event: LogEventSpec, node: string | undefined): string {
  if (event.kind === 'text') return event.text;
  if (event.kind === 'istiod') return istiodTemplate(istiodEventFor(plan, cluster, event));
  return ztunnelTemplate(ztunnelEventFor(plan, cluster, event, node), cluster.spec.logFormat);
}

function resolveAction(
  plan: ScenarioPlan,
  view: GeneratedClusterView,
  action: Exclude<TimelineActionSpec, { action: 'heal' }>,
  path: string,
  context: string,
): TimelineAction {
  const at = `${path}.${action.action}`;
  switch (action.action) {
    case 'setLabel':
      return { kind: 'setLabel', target: resolveObject(view.objects, action.target, at, context), key: action.key, value: action.value };
    case 'removeLabel':
      return { kind: 'removeLabel', target: resolveObject(view.objects, action.target, at, context), key: action.key };
    case 'setCondition': {
      let ref: ObjectRefSpec;
      if ('peer' in action.gateway) {
        const peerContext = action.gateway.peer;
        const link = view.plan?.links.find((l) => l.to.spec.context === peerContext);
        if (!link || !view.plan) throw new SpecProblem(`${at}.peer`, `${context} has no istio-remote Gateway to ${peerContext}`);
        ref = { kind: 'Gateway', namespace: view.plan.spec.gatewayNamespace, name: link.gatewayName };
      } else {
        const namespace = action.gateway.namespace ?? view.plan?.spec.gatewayNamespace;
        ref = { kind: 'Gateway', name: action.gateway.name, ...(namespace !== undefined ? { namespace } : {}) };
      }
      const target = resolveObject(view.objects, ref, `${at}.${'peer' in action.gateway ? 'peer' : 'gateway'}`, context);
      return {
        kind: 'setCondition',
        target,
        condition: { type: action.type, status: action.status, reason: action.reason, message: action.message },
      };
    }
    case 'crashPod':
      return {
        kind: 'crashPod',
        pods: resolvePods(view.objects, action.pods, at, context),
        restarts: action.restarts,
        everySeconds: action.everySeconds,
        exitCode: action.exitCode,
        lastLogLine: action.lastLogLine,
      };
    case 'restartPod':
      return { kind: 'restartPod', pods: resolvePods(view.objects, action.pods, at, context) };
    case 'deletePod':
      return {
        kind: 'deletePod',
        pods: resolvePods(view.objects, action.pods, at, context),
        replaceAfterSeconds: action.replaceAfterSeconds,
      };
    case 'logBurst': {
      const cluster = view.plan;
      if (!cluster) throw new SpecProblem(`${path}.context`, `${context} has mode manifests-only; a log burst needs a generated cluster`);
      const textByNode: Record<string, string> = {};
      for (const node of cluster.nodes) textByNode[node.name] = renderLine(plan, cluster, action.event, node.name);
      return {
        kind: 'logBurst',
        pods: resolvePods(view.objects, action.pods, at, context),
        ...(action.container !== undefined ? { container: action.container } : {}),
        textByNode,
        text: renderLine(plan, cluster, action.event, undefined),
        lines: action.lines,
        overSeconds: action.overSeconds,
      };
    }
    case 'cutOff':
      return { kind: 'cutOff' };
  }
}

function podWords(pods: TimelinePodSelection): string {
  const which =
    pods.name ??
    `pods ${Object.entries(pods.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`;
  return `${which}${pods.node !== undefined ? ` on ${pods.node}` : ''}`;
}

function describeAction(action: TimelineAction): string {
  switch (action.kind) {
    case 'setLabel':
      return `label ${describeRef(action.target)} ${action.key}=${action.value}`;
    case 'removeLabel':
      return `remove label ${action.key} from ${describeRef(action.target)}`;
    case 'setCondition':
      return `${describeRef(action.target)} condition ${action.condition.type}=${action.condition.status} (${action.condition.reason})`;
    case 'crashPod':
      return `${podWords(action.pods)} crash-loop (exit code ${action.exitCode})`;
    case 'restartPod':
      return `${podWords(action.pods)} restart`;
    case 'deletePod':
      return `${podWords(action.pods)} deleted${action.replaceAfterSeconds === null ? '' : `, replaced after ${action.replaceAfterSeconds} s`}`;
    case 'logBurst':
      return `${action.lines} log lines in ${podWords(action.pods)} over ${action.overSeconds} s`;
    case 'cutOff':
      return 'API server unreachable';
    case 'heal':
      return `heal ${action.event}`;
  }
}

/** The timeline in the order it plays: by `at`, ties in the order written. */
export function timelineEvents(
  plan: ScenarioPlan,
  clusters: ReadonlyMap<string, GeneratedClusterView>,
  timeline: readonly TimelineEventSpec[],
): TimelineEvent[] {
  const events = timeline.map((spec, index): TimelineEvent => {
    const path = `timeline[${index}]`;
    let action: TimelineAction;
    if (spec.action.action === 'heal') action = { kind: 'heal', event: spec.action.event };
    else {
      const view = clusters.get(spec.context);
      if (!view) throw new SpecProblem(`${path}.context`, `no cluster has context ${JSON.stringify(spec.context)}`);
      action = resolveAction(plan, view, spec.action, path, spec.context);
    }
    return {
      at: spec.at,
      ...(spec.id !== undefined ? { id: spec.id } : {}),
      context: spec.context,
      action,
      description: `${spec.context}: ${describeAction(action)}`,
    };
  });
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.at - b.event.at || a.index - b.index)
    .map((e) => e.event);
}
