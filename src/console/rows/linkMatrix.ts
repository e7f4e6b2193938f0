// The links pane: for each ordered pair of clusters, is there a remote peer Gateway in A for B,
// is it connected, is its data plane programmed — and one row per pair with both directions
// side by side and a verdict in words, so a one-way link is seen at a glance. Clusters are the
// checks' clusters (one per cluster group: two contexts of one cluster count once). Links are
// read with the peering helpers the checks use (src/mesh/peering.ts).
import type { ColumnSpec, Row, TableModel, Tone } from '../types.ts';
import type { ContextId, KubeObjectJson, MeshState } from '../../store/types.ts';
import { cachedOn } from '../../store/memo.ts';
import { EASTWEST_SERVICES, GATEWAYS } from '../../store/resourceIds.ts';
import { selectObjects } from '../../store/selectors.ts';
import { contextNames, sameClusterAs, unreadable } from '../../store/snapshotReads.ts';
import { conditionOf, PEER_DATA_PLANE_PROGRAMMED, peerContextOf, peerStateOf, remoteGateways } from '../../mesh/peering.ts';
import { clusterGroupsKey, clusterIdsKey, clusterLabel } from './clusterNames.ts';
import { memoByInputs } from './memoInputs.ts';
import { snapshotOf } from './stateSnapshot.ts';

/** `unknown`: the answer could not be read (the reason is in `why`), or nobody has reported it. */
export type LinkAnswer = 'yes' | 'no' | 'unknown';

export interface LinkDirection {
  from: ContextId;
  to: ContextId;
  /** A remote peer Gateway in `from` points at `to`. */
  link: LinkAnswer;
  /** PeerConnected and PeeringSucceeded True; `no` also when there is no link. */
  connected: LinkAnswer;
  /** gloo.solo.io/PeerDataPlaneProgrammed True; `unknown` when absent. */
  programmed: LinkAnswer;
  gateway?: { namespace: string; name: string };
  /** Why `from`'s links cannot be read. */
  why?: string;
}

export interface LinkCluster {
  /** The context the checks read the cluster through. */
  context: ContextId;
  /** `east (cluster-east)`. */
  label: string;
  sameClusterAs: readonly ContextId[];
}

export interface LinkMatrix {
  clusters: readonly LinkCluster[];
  /** Every ordered pair (from ≠ to), in cluster order. */
  directions: readonly LinkDirection[];
}

export function linkBetween(matrix: LinkMatrix, from: string, to: string): LinkDirection | undefined {
  return matrix.directions.find((d) => d.from === from && d.to === to);
}

function direction(state: MeshState, from: ContextId, to: ContextId): LinkDirection {
  const snapshot = snapshotOf(state);
  const why = unreadable(snapshot, from, GATEWAYS);
  if (why !== undefined) return { from, to, link: 'unknown', connected: 'unknown', programmed: 'unknown', why };
  const gateway: KubeObjectJson | undefined = remoteGateways(snapshot, from).find((g) => peerContextOf(snapshot, from, g) === to);
  if (gateway === undefined) return { from, to, link: 'no', connected: 'no', programmed: 'no' };
  const peer = peerStateOf(gateway);
  const dataPlane = conditionOf(gateway, PEER_DATA_PLANE_PROGRAMMED);
  return {
    from,
    to,
    link: 'yes',
    connected: peer === 'connected' ? 'yes' : peer === 'disconnected' ? 'no' : 'unknown',
    programmed: dataPlane === undefined ? 'unknown' : dataPlane.status === 'True' ? 'yes' : 'no',
    gateway: { namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name },
  };
}

function buildMatrix(state: MeshState): LinkMatrix {
  const snapshot = snapshotOf(state);
  const leaders = contextNames(snapshot);
  const clusters = leaders.map((context) => ({
    context,
    label: clusterLabel(state, context),
    sameClusterAs: sameClusterAs(snapshot, context),
  }));
  const directions: LinkDirection[] = [];
  for (const from of leaders) for (const to of leaders) if (from !== to) directions.push(direction(state, from, to));
  return { clusters, directions };
}

const matrix = memoByInputs(buildMatrix);

/** The reachability matrix; the same object while no Gateway, east-west Service, CLUSTER_ID or grouping changed. */
export function selectLinkMatrix(state: MeshState): LinkMatrix {
  const snapshot = snapshotOf(state);
  const leaders = contextNames(snapshot);
  const inputs: unknown[] = [clusterGroupsKey(state), clusterIdsKey(state, leaders)];
  for (const context of leaders) {
    inputs.push(
      context,
      unreadable(snapshot, context, GATEWAYS),
      selectObjects(state, context, GATEWAYS),
      selectObjects(state, context, EASTWEST_SERVICES),
    );
  }
  return matrix(inputs, state);
}

// Short titles so both directions fit side by side at 100 columns: A→B is the remote peer
// Gateway for B in A, CONN its gloo.solo.io/PeerConnected, PROG its PeerDataPlaneProgrammed (the
// detail view and the README spell them out). Cluster names give way (are cut) before either does.
export const LINK_COLUMNS: readonly ColumnSpec[] = [
  { title: 'CLUSTER A', min: 12, max: 30, grow: 1, rest: true },
  { title: 'CLUSTER B', min: 12, max: 30, grow: 1, rest: true },
  { title: 'A→B', min: 7 },
  { title: 'CONN', min: 7 },
  { title: 'PROG', min: 7, drop: 2 },
  { title: 'B→A', min: 7 },
  { title: 'CONN', min: 7 },
  { title: 'PROG', min: 7, drop: 2 },
  { title: 'VERDICT', min: 12, grow: 2, rest: true },
];

function answerCells(d: LinkDirection | undefined): string[] {
  if (d === undefined) return ['unknown', 'unknown', 'unknown'];
  if (d.why !== undefined) return ['unknown', 'unknown', 'unknown'];
  if (d.link === 'no') return ['missing', '-', '-'];
  return ['yes', d.connected, d.programmed];
}

function answerTone(value: string): Tone | undefined {
  if (value === 'yes') return 'ok';
  if (value === 'no' || value === 'missing') return 'bad';
  if (value === 'unknown') return 'warn';
  return undefined;
}

/** The verdict of one pair in words: `two-way`, `one-way: west→east missing`, `down: …`, `not linked`, `unknown: …`. */
export function linkVerdict(ab: LinkDirection, ba: LinkDirection, a: string, b: string): { text: string; tone: Tone } {
  const unread = [ab, ba].find((d) => d.why !== undefined);
  if (unread !== undefined) return { text: `unknown: cannot read the links of ${unread.from === ab.from ? a : b}`, tone: 'warn' };
  if (ab.link === 'no' && ba.link === 'no') return { text: 'not linked', tone: 'muted' };
  if (ab.link === 'no') return { text: `one-way: ${a}→${b} missing`, tone: 'bad' };
  if (ba.link === 'no') return { text: `one-way: ${b}→${a} missing`, tone: 'bad' };
  const named: [LinkDirection, string][] = [
    [ab, `${a}→${b}`],
    [ba, `${b}→${a}`],
  ];
  const down = named.filter(([d]) => d.connected === 'no').map(([, n]) => n);
  if (down.length === 2) return { text: 'down: both directions disconnected', tone: 'bad' };
  if (down.length === 1) return { text: `down: ${down[0] ?? ''} disconnected`, tone: 'bad' };
  const silent = named.filter(([d]) => d.connected === 'unknown').map(([, n]) => n);
  if (silent.length > 0) return { text: `unknown: ${silent.join(' and ')} has no peer status`, tone: 'warn' };
  const notProgrammed = named.filter(([d]) => d.programmed === 'no').map(([, n]) => n);
  if (notProgrammed.length > 0) return { text: `two-way, data plane not programmed ${notProgrammed.join(' and ')}`, tone: 'warn' };
  return { text: 'two-way', tone: 'ok' };
}

const linkTableOf = cachedOn((m: LinkMatrix): TableModel => {
  const rows: Row[] = [];
  m.clusters.forEach((a, i) => {
    for (const b of m.clusters.slice(i + 1)) {
      const ab = linkBetween(m, a.context, b.context);
      const ba = linkBetween(m, b.context, a.context);
      if (ab === undefined || ba === undefined) continue;
      // The short names (CLUSTER_IDs) keep the verdict readable.
      const shortA = a.label.split(' ')[0] ?? a.context;
      const shortB = b.label.split(' ')[0] ?? b.context;
      const verdict = linkVerdict(ab, ba, shortA, shortB);
      // CLUSTER_IDs in the cells: `east (cluster-east)` cut to 12 columns reads as neither; the
      // context of each side is in the header's badges and in the detail.
      const cells = [shortA, shortB, ...answerCells(ab), ...answerCells(ba), verdict.text];
      rows.push({
        key: `link/${a.context}/${b.context}`,
        cells,
        tone: verdict.tone === 'ok' ? 'normal' : verdict.tone,
        cellTones: [undefined, undefined, ...cells.slice(2, 8).map(answerTone), verdict.tone],
        detail: { type: 'link', from: a.context, to: b.context },
        contexts: [a.context, ...a.sameClusterAs, b.context, ...b.sameClusterAs],
      });
    }
  });
  return {
    columns: LINK_COLUMNS,
    rows,
    empty: m.clusters.length < 2 ? 'only one cluster is loaded: there is nothing to link' : 'no cluster pairs',
  };
});

/** One row per unordered pair of clusters, both directions side by side. */
export function selectLinkTable(state: MeshState): TableModel {
  return linkTableOf(selectLinkMatrix(state));
}
