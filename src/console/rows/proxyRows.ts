// The proxies pane: istiod's proxy-status (syncz) of every cluster, `istioctl proxy-status` style
// (NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES), with problems in words: a type NOT SENT, STALE
// or ERROR, a ztunnel pod no istiod knows (`ztunnel missing`), a peer that links here whose
// istiod does not subscribe (`peer istiod missing`), an istiod whose syncz could not be read.
// Who should be there is the proxy-status check's own reading (src/mesh/proxyCoverage.ts).
import type { ColumnSpec, Row, TableModel, Tone } from '../types.ts';
import type { ContextId, KubeObjectJson, MeshState } from '../../store/types.ts';
import { EASTWEST_SERVICES, GATEWAYS, ISTIOD_ZTUNNEL_PODS } from '../../store/resourceIds.ts';
import { selectObjects, selectProxyRows } from '../../store/selectors.ts';
import { contextNames, contextUnreadable } from '../../store/snapshotReads.ts';
import { PEER_TYPES, peerSubscriptions, proxyNameOf, ztunnelsWithoutRow } from '../../mesh/proxyCoverage.ts';
import { renderSubscribedTypes, subscribedTypeOrder, unhealthyTypes, type ProxyStatusRow, type TypeSync } from '../../mesh/syncz.ts';
import { gatewayRef } from '../../mesh/peering.ts';
import { clusterGroupsKey, clusterIdsKey } from './clusterNames.ts';
import { memoByInputs } from './memoInputs.ts';
import { snapshotOf } from './stateSnapshot.ts';

export const PROXY_COLUMNS: readonly ColumnSpec[] = [
  { title: 'CONTEXT', min: 8, max: 24, drop: 2 },
  { title: 'NAME', min: 16, max: 60, grow: 1 },
  { title: 'CLUSTER', min: 7, max: 20 },
  { title: 'ISTIOD', min: 6, max: 30, drop: 3 },
  { title: 'VERSION', min: 7, max: 20, drop: 4 },
  { title: 'SUBSCRIBED TYPES', min: 16, max: 40, drop: 1 },
  { title: 'PROBLEM', min: 16, grow: 2, rest: true },
];

/** Like the proxy-status check: STALE and ERROR fail, NOT_SENT warns. */
function typeTone(t: TypeSync): Tone {
  return t.status === 'STALE' || t.status === 'ERROR' ? 'bad' : 'warn';
}

function typeWords(t: TypeSync): string {
  return `${t.short} ${t.status === 'NOT_SENT' ? 'NOT SENT' : t.status}`;
}

interface SynczReading {
  context: ContextId;
  rows: readonly ProxyStatusRow[];
  /** istiod pods whose syncz could not be read, with why. */
  unread: readonly { pod: string; reason: string }[];
  /** Why there is no syncz at all, when none was fetched. */
  none: string | undefined;
  /** How many istiod pods answered. */
  read: number;
}

function synczReading(state: MeshState, context: ContextId): SynczReading {
  const syncz = state.facts[context]?.syncz ?? {};
  const pods = Object.keys(syncz).sort();
  const unread: { pod: string; reason: string }[] = [];
  for (const pod of pods) {
    const fact = syncz[pod];
    if (fact?.state === 'unknown') unread.push({ pod, reason: fact.reason });
  }
  const none = pods.length > 0 ? undefined : (contextUnreadable(state.contexts[context]) ?? 'no istiod answered yet');
  return { context, rows: selectProxyRows(state, context), unread, none, read: pods.length - unread.length };
}

function proxyRow(context: ContextId, row: ProxyStatusRow, order: readonly string[], peerOf: ReadonlyMap<ProxyStatusRow, string>): Row {
  const bad = unhealthyTypes(row);
  const peer = peerOf.get(row);
  const lacking = peer !== undefined ? PEER_TYPES.filter((t) => !row.types.some((x) => x.short === t)) : [];
  const problems = [...bad.map(typeWords), ...(lacking.length > 0 ? [`peer ${peer ?? ''} not subscribed to ${lacking.join(', ')}`] : [])];
  const tone: Tone | undefined = bad.some((t) => typeTone(t) === 'bad') ? 'bad' : problems.length > 0 ? 'warn' : undefined;
  return {
    key: `${context}/proxy/${row.name}@${row.istiod}`,
    cells: [
      context,
      row.name,
      row.cluster,
      row.istiod,
      row.version,
      renderSubscribedTypes(row, order),
      problems.join('; ') || (peer !== undefined ? `peer istiod of ${peer}` : ''),
    ],
    ...(tone !== undefined && { tone }),
    detail: { type: 'proxy', context, name: row.name },
    context,
  };
}

function missingZtunnelRow(context: ContextId, clusterId: string, pod: KubeObjectJson, unread: SynczReading['unread']): Row {
  const maybe = unread.length > 0;
  return {
    key: `${context}/proxy/missing/${proxyNameOf(pod)}`,
    cells: [
      context,
      proxyNameOf(pod),
      clusterId,
      '-',
      '',
      '',
      maybe
        ? `ztunnel missing here; unknown: ${unread.map((u) => u.pod).join(', ')} could not be read`
        : 'ztunnel missing: not connected to any istiod',
    ],
    tone: maybe ? 'warn' : 'bad',
    detail: { type: 'object', context, kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name },
    context,
  };
}

function buildTable(state: MeshState): TableModel {
  const snapshot = snapshotOf(state);
  const out: Row[] = [];
  for (const context of contextNames(snapshot)) {
    const reading = synczReading(state, context);
    const clusterId = state.contexts[context]?.clusterId ?? '';
    if (reading.none !== undefined) {
      out.push({
        key: `${context}/proxy/unread`,
        cells: [context, '(syncz)', clusterId, '', '', '', `unknown: ${reading.none}`],
        tone: 'warn',
        detail: { type: 'context', context },
        context,
      });
      continue;
    }
    // With no istiod read, nobody is known to be missing: the unread rows below say why (like the check's one unknown).
    const peers = reading.read > 0 ? peerSubscriptions(snapshot, context, reading.rows) : [];
    const peerOf = new Map<ProxyStatusRow, string>();
    for (const p of peers) for (const r of p.subscribed) peerOf.set(r, p.from);
    const order = subscribedTypeOrder(reading.rows);
    for (const row of reading.rows) out.push(proxyRow(context, row, order, peerOf));
    const missing = reading.read > 0 ? ztunnelsWithoutRow(snapshot, context, reading.rows) : [];
    for (const pod of missing) out.push(missingZtunnelRow(context, clusterId, pod, reading.unread));
    for (const p of peers.filter((x) => x.subscribed.length === 0)) {
      out.push({
        key: `${context}/proxy/peer/${p.from}`,
        cells: [
          context,
          `(istiod of ${p.from})`,
          p.cluster ?? '?',
          '-',
          '',
          '',
          reading.unread.length > 0
            ? `peer istiod missing here; unknown: ${reading.unread.map((u) => u.pod).join(', ')} could not be read`
            : `peer istiod missing: ${p.from} links here (${gatewayRef(p.link)}) but does not subscribe`,
        ],
        tone: reading.unread.length > 0 ? 'warn' : 'bad',
        detail: {
          type: 'object',
          context: p.from,
          kind: 'Gateway',
          namespace: p.link.metadata.namespace ?? '',
          name: p.link.metadata.name,
        },
        context,
      });
    }
    for (const u of reading.unread) {
      out.push({
        key: `${context}/proxy/unread/${u.pod}`,
        cells: [context, `(syncz of ${u.pod})`, clusterId, u.pod, '', '', `unknown: ${u.reason}`],
        tone: 'warn',
        detail: { type: 'context', context },
        context,
      });
    }
  }
  return { columns: PROXY_COLUMNS, rows: out, empty: 'no proxy-status rows: no istiod answered' };
}

const table = memoByInputs(buildTable);

/**
 * The proxies pane's table, one block per cluster (contexts reaching one cluster count once). The
 * same object while no syncz rows, mesh pods, Gateways, CLUSTER_IDs or unread reasons changed:
 * a re-fetch that brings the same rows keeps it.
 */
export function selectProxyTable(state: MeshState): TableModel {
  const snapshot = snapshotOf(state);
  const leaders = contextNames(snapshot);
  const inputs: unknown[] = [clusterGroupsKey(state), clusterIdsKey(state, leaders)];
  for (const context of leaders) {
    const reading = synczReading(state, context);
    inputs.push(
      context,
      reading.rows,
      reading.none,
      reading.unread.map((u) => `${u.pod}: ${u.reason}`).join('\n'),
      contextUnreadable(state.contexts[context]),
      state.contexts[context]?.resources[GATEWAYS]?.sync,
      selectObjects(state, context, ISTIOD_ZTUNNEL_PODS),
      selectObjects(state, context, GATEWAYS),
      selectObjects(state, context, EASTWEST_SERVICES),
    );
  }
  return table(inputs, state);
}
