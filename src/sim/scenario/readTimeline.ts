// Reader for a scenario's `timeline:` list (timelineSpec.ts): each entry is `at` (seconds after
// start), an optional `id`, the `context` it happens in, and exactly one action. What needs the
// clusters' descriptions (contexts, peers, services) is checked by checkTimelineReferences; what
// needs the generated objects (an object's or a node's name) by the generator.
import { checkLogEventReferences, readLogEvent, readSelector } from './readLogs.ts';
import { SpecProblem } from './scenarioError.ts';
import type { ClusterSpec } from './spec.ts';
import { child, describe, optional, readInteger, readList, readMapping, readName, readOneOf, readString, required } from './specReader.ts';
import type { Mapping } from './specReader.ts';
import type { ObjectRefSpec, PodTargetSpec, TimelineActionName, TimelineActionSpec, TimelineEventSpec } from './timelineSpec.ts';

const ACTIONS: readonly TimelineActionName[] = [
  'setLabel',
  'removeLabel',
  'setCondition',
  'crashPod',
  'restartPod',
  'deletePod',
  'logBurst',
  'cutOff',
  'heal',
];

/** What `heal` can undo; a restart or a deletion has no way back. */
const HEALABLE: ReadonlySet<TimelineActionName> = new Set(['setLabel', 'removeLabel', 'setCondition', 'crashPod', 'logBurst', 'cutOff']);

/** Solo's peering conditions may be named without their `gloo.solo.io/` prefix, as in `breakage.peerConditions`. */
const SOLO_CONDITIONS = new Set(['PeerConnected', 'PeeringSucceeded', 'PeerDataPlaneProgrammed']);

const DEFAULT_CRASH_LINE = 'Error: failed to start ztunnel: CNI plugin is not ready: failed to connect to /var/run/ztunnel/ztunnel.sock';

const MAX_SECONDS = 86_400;

function readSeconds(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new SpecProblem(path, `expected a number of seconds; got ${describe(value)}`);
  if (value < 0 || value > MAX_SECONDS) throw new SpecProblem(path, `expected seconds from 0 to ${MAX_SECONDS}; got ${value}`);
  return value;
}

function readLabelKey(value: unknown, path: string): string {
  const key = readString(value, path);
  if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key) || key.length > 316)
    throw new SpecProblem(path, `expected a label key like topology.istio.io/network; got ${JSON.stringify(key)}`);
  return key;
}

function readLabelValue(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new SpecProblem(path, `expected a string; got ${describe(value)}`);
  if (value.length > 63 || (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)))
    throw new SpecProblem(path, `expected a label value (up to 63 of A-Z, a-z, 0-9, '-', '_', '.'); got ${JSON.stringify(value)}`);
  return value;
}

function readObjectRef(m: Mapping, path: string): ObjectRefSpec {
  const ref: ObjectRefSpec = { kind: required(m, 'kind', path, readString), name: required(m, 'name', path, readName) };
  const namespace = optional(m, 'namespace', path, readName, undefined);
  if (namespace !== undefined) ref.namespace = namespace;
  return ref;
}

const POD_TARGET_KEYS = ['pod', 'pods', 'namespace', 'node'] as const;

function readPodTarget(m: Mapping, path: string): PodTargetSpec {
  const target: PodTargetSpec = {};
  const pod = optional(m, 'pod', path, readName, undefined);
  const selector = optional(m, 'pods', path, readSelector, undefined);
  if ((pod === undefined) === (selector === undefined))
    throw new SpecProblem(path, 'expected exactly one of pod (a pod name) and pods (a label selector like app=ztunnel)');
  if (pod !== undefined) target.pod = pod;
  if (selector !== undefined) target.selector = selector;
  const namespace = optional(m, 'namespace', path, readName, undefined);
  if (namespace !== undefined) target.namespace = namespace;
  const node = optional(m, 'node', path, readName, undefined);
  if (node !== undefined) target.node = node;
  return target;
}

function readStatus(value: unknown, path: string): 'True' | 'False' | 'Unknown' {
  // YAML reads an unquoted True/False as a boolean.
  if (value === true) return 'True';
  if (value === false) return 'False';
  return readOneOf(value, path, ['True', 'False', 'Unknown'] as const);
}

function readAction(action: TimelineActionName, value: unknown, path: string): TimelineActionSpec {
  switch (action) {
    case 'setLabel': {
      const m = readMapping(value, path, ['kind', 'namespace', 'name', 'label', 'value']);
      return {
        action,
        target: readObjectRef(m, path),
        key: required(m, 'label', path, readLabelKey),
        value: required(m, 'value', path, readLabelValue),
      };
    }
    case 'removeLabel': {
      const m = readMapping(value, path, ['kind', 'namespace', 'name', 'label']);
      return { action, target: readObjectRef(m, path), key: required(m, 'label', path, readLabelKey) };
    }
    case 'setCondition': {
      const m = readMapping(value, path, ['gateway', 'namespace', 'peer', 'type', 'status', 'reason', 'message']);
      const name = optional(m, 'gateway', path, readName, undefined);
      const peer = optional(m, 'peer', path, readString, undefined);
      if ((name === undefined) === (peer === undefined))
        throw new SpecProblem(
          path,
          'expected exactly one of gateway (a Gateway name) and peer (the context its istio-remote Gateway links to)',
        );
      const namespace = optional(m, 'namespace', path, readName, undefined);
      if (peer !== undefined && namespace !== undefined)
        throw new SpecProblem(child(path, 'namespace'), "with peer, the Gateway is in the cluster's gatewayNamespace");
      const type = required(m, 'type', path, readString);
      return {
        action,
        gateway: name !== undefined ? { name, ...(namespace !== undefined ? { namespace } : {}) } : { peer: peer as string },
        type: SOLO_CONDITIONS.has(type) ? `gloo.solo.io/${type}` : type,
        status: required(m, 'status', path, readStatus),
        reason: required(m, 'reason', path, readString),
        message: required(m, 'message', path, readString),
      };
    }
    case 'crashPod': {
      const m = readMapping(value, path, [...POD_TARGET_KEYS, 'restarts', 'everySeconds', 'exitCode', 'lastLogLine']);
      return {
        action,
        pods: readPodTarget(m, path),
        restarts: optional(m, 'restarts', path, (v, p) => readInteger(v, p, 1, 10_000), 1),
        everySeconds: optional(m, 'everySeconds', path, (v, p) => readInteger(v, p, 1, 3_600), 20),
        exitCode: optional(m, 'exitCode', path, (v, p) => readInteger(v, p, 1, 255), 1),
        lastLogLine: optional(m, 'lastLogLine', path, readString, DEFAULT_CRASH_LINE),
      };
    }
    case 'restartPod': {
      const m = readMapping(value, path, POD_TARGET_KEYS);
      return { action, pods: readPodTarget(m, path) };
    }
    case 'deletePod': {
      const m = readMapping(value, path, [...POD_TARGET_KEYS, 'replaceAfterSeconds']);
      const replace =
        'replaceAfterSeconds' in m && m.replaceAfterSeconds === null ? null : optional(m, 'replaceAfterSeconds', path, readSeconds, 2);
      return { action, pods: readPodTarget(m, path), replaceAfterSeconds: replace };
    }
    case 'logBurst': {
      const m = readMapping(value, path, [...POD_TARGET_KEYS, 'container', 'event', 'lines', 'overSeconds']);
      const burst: TimelineActionSpec = {
        action,
        pods: readPodTarget(m, path),
        event: required(m, 'event', path, readLogEvent),
        lines: optional(m, 'lines', path, (v, p) => readInteger(v, p, 1, 10_000), 10),
        overSeconds: optional(m, 'overSeconds', path, readSeconds, 5),
      };
      const container = optional(m, 'container', path, readName, undefined);
      if (container !== undefined) burst.container = container;
      return burst;
    }
    case 'cutOff': {
      // Nothing to say but that it happens: `cutOff: {}` or `cutOff: true`.
      if (value !== true) readMapping(value, path, []);
      return { action };
    }
    case 'heal':
      return { action, event: readName(value, path) };
  }
}

function readTimelineEvent(value: unknown, path: string): TimelineEventSpec {
  const m = readMapping(value, path, ['at', 'id', 'context', ...ACTIONS]);
  const named = ACTIONS.filter((a) => a in m);
  if (named.length !== 1) {
    const got = named.length === 0 ? 'none' : named.join(', ');
    throw new SpecProblem(path, `expected exactly one action of ${ACTIONS.join(', ')}; got ${got}`);
  }
  const name = named[0] as TimelineActionName;
  const action = readAction(name, m[name], child(path, name));
  const at = required(m, 'at', path, readSeconds);
  const id = optional(m, 'id', path, readName, undefined);
  if (action.action === 'heal') {
    if ('context' in m)
      throw new SpecProblem(child(path, 'context'), 'heal happens in the context of the event it heals; leave context out');
    if (id !== undefined) throw new SpecProblem(child(path, 'id'), 'a heal cannot be healed; leave id out');
    // Filled in from the healed event (readTimeline).
    return { at, context: '', action };
  }
  const event: TimelineEventSpec = { at, context: required(m, 'context', path, readString), action };
  if (id !== undefined) event.id = id;
  return event;
}

/** The events as written (the generator orders them by `at`), heals resolved to their event's context. */
export function readTimeline(value: unknown, path: string): TimelineEventSpec[] {
  const events = readList(value, path, readTimelineEvent);
  const byId = new Map<string, { event: TimelineEventSpec; index: number }>();
  const healed = new Set<string>();
  events.forEach((event, index) => {
    const at = child(path, index);
    if (event.id !== undefined) {
      if (byId.has(event.id)) throw new SpecProblem(child(at, 'id'), `duplicate id ${JSON.stringify(event.id)}`);
      byId.set(event.id, { event, index });
    }
  });
  events.forEach((event, index) => {
    if (event.action.action !== 'heal') return;
    const at = child(child(path, index), 'heal');
    const id = event.action.event;
    const target = byId.get(id);
    if (!target) {
      const known = [...byId.keys()];
      throw new SpecProblem(at, `no event has id ${JSON.stringify(id)}${known.length > 0 ? `; expected one of ${known.join(', ')}` : ''}`);
    }
    if (!HEALABLE.has(target.event.action.action))
      throw new SpecProblem(at, `${target.event.action.action} cannot be healed; expected an event of ${[...HEALABLE].join(', ')}`);
    if (target.event.at > event.at || (target.event.at === event.at && target.index > index))
      throw new SpecProblem(at, `event ${JSON.stringify(id)} happens at ${target.event.at} s, after this heal at ${event.at} s`);
    if (healed.has(id)) throw new SpecProblem(at, `event ${JSON.stringify(id)} is already healed`);
    healed.add(id);
    event.context = target.event.context;
  });
  return events;
}

export interface TimelineReferences {
  generatedContext: (path: string, context: string, what: string) => ClusterSpec;
  globalServices: ReadonlySet<string>;
}

/** Contexts, and the peers and services the events name in them, must exist. */
export function checkTimelineReferences(timeline: readonly TimelineEventSpec[], refs: TimelineReferences): void {
  timeline.forEach((event, i) => {
    const action = event.action;
    if (action.action === 'heal') return;
    const path = `timeline[${i}]`;
    const cluster = refs.generatedContext(`${path}.context`, event.context, 'context');
    if (action.action === 'setCondition' && 'peer' in action.gateway) {
      const peer = action.gateway.peer;
      if (!cluster.peers.includes(peer))
        throw new SpecProblem(
          `${path}.setCondition.peer`,
          `${JSON.stringify(peer)} is not one of ${event.context}'s peers (${cluster.peers.join(', ') || 'none'})`,
        );
    }
    if (action.action === 'logBurst')
      checkLogEventReferences(action.event, `${path}.logBurst.event`, cluster, refs.generatedContext, refs.globalServices);
  });
}
