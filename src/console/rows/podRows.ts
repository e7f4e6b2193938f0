// The pods pane: the mesh's own pods (istiod, ztunnel, east-west gateway, istio-cni) of every
// context, as `kubectl get pods -A -o wide` shows them. Status words come from the same reading
// the pod check judges by (src/mesh/podStatus.ts). A context whose pods cannot be read gets a
// row saying why, so silence never looks like health.
import type { ColumnSpec, Row, TableModel, Tone } from '../types.ts';
import type { ContextId, KubeObjectJson, MeshState } from '../../store/types.ts';
import { EASTWEST_PODS, ISTIO_CNI_PODS, ISTIOD_ZTUNNEL_PODS } from '../../store/resourceIds.ts';
import { selectContextIds, selectObjects } from '../../store/selectors.ts';
import { contextUnreadable, unreadable } from '../../store/snapshotReads.ts';
import { field, text } from '../../mesh/jsonFields.ts';
import { podStatusOf, RESTART_WARN, type PodStatusSummary } from '../../mesh/podStatus.ts';
import { cachedOn, memoOnInputs } from '../../store/memo.ts';
import { ageClock, ageOfMs } from './age.ts';
import { memoByInputs } from './memoInputs.ts';
import { snapshotOf } from './stateSnapshot.ts';

export const POD_COLUMNS: readonly ColumnSpec[] = [
  { title: 'CONTEXT', min: 8, max: 24 },
  { title: 'NAMESPACE', min: 9, max: 20, drop: 2 },
  { title: 'NAME', min: 12, grow: 1 },
  { title: 'READY', min: 5 },
  { title: 'STATUS', min: 8, max: 24 },
  { title: 'RESTARTS', min: 8, align: 'right', drop: 3 },
  { title: 'AGE', min: 4, align: 'right', drop: 1 },
  { title: 'NODE', min: 6, max: 24, drop: 4 },
];

/** The watches that hold the mesh's pods, and what the pane calls them when they cannot be read. */
const POD_WATCHES: readonly { resource: string; label: string }[] = [
  { resource: ISTIOD_ZTUNNEL_PODS, label: 'istiod and ztunnel' },
  { resource: EASTWEST_PODS, label: 'east-west gateway' },
  { resource: ISTIO_CNI_PODS, label: 'istio-cni' },
];

interface ContextPods {
  context: ContextId;
  /** Why the whole context cannot be read, or per watch why it cannot (undefined when readable). */
  down: string | undefined;
  why: readonly (string | undefined)[];
  lists: readonly (readonly KubeObjectJson[])[];
}

/** What a row shows of a pod apart from its age: computed once per pod object (objects are replaced, never mutated). */
interface PodFacts {
  status: PodStatusSummary;
  /** creationTimestamp in ms, parsed once (NaN when absent). */
  createdMs: number;
  node: string;
}

const factsOf = cachedOn((pod: KubeObjectJson): PodFacts => ({
  status: podStatusOf(pod),
  createdMs: Date.parse(text(field(pod, 'metadata', 'creationTimestamp')) ?? ''),
  node: text(field(pod, 'spec', 'nodeName')) ?? '<none>',
}));

// The row of a pod at one age step: a commit that changed another pod, or another context,
// reuses it, so a large mesh rebuilds only the rows of what changed.
const rowCache = new WeakMap<KubeObjectJson, { context: ContextId; nowMs: number; row: Row }>();

function podRow(context: ContextId, pod: KubeObjectJson, nowMs: number): Row {
  const hit = rowCache.get(pod);
  if (hit !== undefined && hit.context === context && hit.nowMs === nowMs) return hit.row;
  const { status, createdMs, node } = factsOf(pod);
  const ns = pod.metadata.namespace ?? '';
  const tone: Tone = status.problem !== undefined ? 'bad' : status.restarts >= RESTART_WARN ? 'warn' : 'normal';
  const row: Row = {
    key: `${context}/Pod/${ns}/${pod.metadata.name}`,
    cells: [context, ns, pod.metadata.name, status.ready, status.status, String(status.restarts), ageOfMs(createdMs, nowMs), node],
    tone,
    cellTones: [undefined, undefined, undefined, undefined, status.problem === undefined ? 'ok' : 'bad'],
    detail: { type: 'object', context, kind: 'Pod', namespace: ns, name: pod.metadata.name },
    context,
  };
  rowCache.set(pod, { context, nowMs, row });
  return row;
}

function unreadableRow(context: ContextId, what: string, why: string): Row {
  return {
    key: `${context}/unreadable/${what}`,
    cells: [context, '', `(${what} pods)`, '', `unknown: ${why}`, '', '', ''],
    tone: 'warn',
    detail: { type: 'context', context },
    context,
  };
}

function buildTable(input: { contexts: readonly ContextPods[]; nowMs: number; istioNamespace: string }): TableModel {
  const rows: Row[] = [];
  for (const c of input.contexts) {
    if (c.down !== undefined) {
      rows.push(unreadableRow(c.context, 'mesh', c.down));
      continue;
    }
    const readable: (readonly KubeObjectJson[])[] = [];
    POD_WATCHES.forEach((watch, i) => {
      const why = c.why[i];
      if (why !== undefined) rows.push(unreadableRow(c.context, watch.label, why));
      else readable.push(c.lists[i] ?? []);
    });
    const sorted = sortedPods(readable);
    for (const pod of sorted) rows.push(podRow(c.context, pod, input.nowMs));
  }
  return {
    columns: POD_COLUMNS,
    rows,
    empty: `no istiod, ztunnel, east-west gateway or istio-cni pods in any context (istio namespace ${input.istioNamespace})`,
  };
}

/** Byte order, like kubectl's sort: faster than localeCompare on thousands of rows. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A context's pods in one list by namespace and name, rebuilt only when one of its watches' objects changed.
const sortedPods = memoOnInputs<readonly KubeObjectJson[], readonly KubeObjectJson[]>((lists) => {
  const seen = new Set<string>();
  return lists
    .flat()
    .filter((p) => {
      const key = `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareText(a.metadata.name, b.metadata.name));
}, []);

const table = memoByInputs(buildTable);

/**
 * The pods pane's table. `nowMs` is the clock ages are measured against, rounded here to the age
 * cadence (age.ts): the model is the same object until the pods change or the cadence ticks.
 */
export function selectPodTable(state: MeshState, istioNamespace: string, nowMs: number): TableModel {
  const snapshot = snapshotOf(state);
  const contexts: ContextPods[] = [];
  const inputs: unknown[] = [istioNamespace, ageClock(nowMs)];
  for (const context of selectContextIds(state)) {
    const down = contextUnreadable(state.contexts[context]);
    const why = POD_WATCHES.map((w) => (down === undefined ? unreadable(snapshot, context, w.resource) : undefined));
    const lists = POD_WATCHES.map((w) => selectObjects(state, context, w.resource));
    contexts.push({ context, down, why, lists });
    inputs.push(context, down, ...why, ...lists);
  }
  return table(inputs, { contexts, nowMs: ageClock(nowMs), istioNamespace });
}
