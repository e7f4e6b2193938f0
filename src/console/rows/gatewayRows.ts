// The gateways pane: each context's east-west Gateway (class istio-eastwest: its address, whether
// it is Programmed, the mode peers reach it through) and its remote peer Gateways (class
// istio-remote: which peer, connected or not), each followed by one indented row per status
// condition (type, status, reason and message, age), so a broken link reads without a YAML dump.
import type { ColumnSpec, Row, TableModel, Tone } from '../types.ts';
import type { ContextId, KubeObjectJson, MeshState } from '../../store/types.ts';
import { EASTWEST_SERVICES, GATEWAYS } from '../../store/resourceIds.ts';
import { selectContextIds, selectObjects } from '../../store/selectors.ts';
import { unreadable } from '../../store/snapshotReads.ts';
import { field, records, text } from '../../mesh/jsonFields.ts';
import { eastWestModeOf, eastWestServiceOf } from '../../mesh/eastWestService.ts';
import {
  conditionOf,
  gatewayClassOf,
  NETWORK_LABEL,
  PEER_DATA_PLANE_PROGRAMMED,
  peerContextOf,
  peerStateOf,
  specAddresses,
} from '../../mesh/peering.ts';
import { ageClock, ageOf } from './age.ts';
import { clusterGroupsKey, clusterIdsKey, clusterLabel } from './clusterNames.ts';
import { memoByInputs } from './memoInputs.ts';
import { snapshotOf } from './stateSnapshot.ts';

export const GATEWAY_COLUMNS: readonly ColumnSpec[] = [
  { title: 'CONTEXT', min: 8, max: 24 },
  { title: 'NAMESPACE', min: 9, max: 18, drop: 3 },
  { title: 'NAME', min: 12, max: 40, grow: 1 },
  { title: 'CLASS', min: 8, max: 14, drop: 2 },
  { title: 'ADDRESS', min: 8, max: 30 },
  { title: 'STATUS', min: 9, max: 40 },
  { title: 'INFO', min: 10, grow: 2, drop: 4 },
  { title: 'AGE', min: 4, align: 'right', drop: 1 },
];

const CLASSES = ['istio-eastwest', 'istio-remote'];

function statusAddresses(gateway: KubeObjectJson): string[] {
  return records(field(gateway, 'status', 'addresses'))
    .map((a) => text(a['value']))
    .filter((v): v is string => v !== undefined && v !== '');
}

function conditionRows(parent: Row, context: ContextId, gateway: KubeObjectJson, nowMs: number): Row[] {
  return records(field(gateway, 'status', 'conditions')).map((c) => {
    const type = text(c['type']) ?? '?';
    const status = text(c['status']) ?? '?';
    const reason = text(c['reason']) ?? '';
    const message = text(c['message']) ?? '';
    const tone: Tone = status === 'True' ? 'ok' : status === 'False' ? 'bad' : 'warn';
    return {
      key: `${parent.key}/condition/${type}`,
      cells: [
        '',
        '',
        type,
        '',
        '',
        status,
        [reason, message].filter((s) => s !== '').join(': '),
        ageOf(text(c['lastTransitionTime']), nowMs),
      ],
      tone: 'muted',
      cellTones: [undefined, undefined, undefined, undefined, undefined, tone],
      indent: 1,
      ...(parent.detail !== undefined && { detail: parent.detail }),
      context,
    };
  });
}

function eastWestRow(key: string, context: ContextId, gateway: KubeObjectJson, services: readonly KubeObjectJson[], nowMs: number): Row {
  const programmed = conditionOf(gateway, 'Programmed');
  const addresses = statusAddresses(gateway);
  const status =
    programmed === undefined ? 'no status yet' : programmed.status === 'True' ? 'programmed' : `not programmed: ${programmed.reason}`;
  const tone: Tone = programmed?.status === 'True' && addresses.length > 0 ? 'normal' : programmed === undefined ? 'warn' : 'bad';
  return gatewayRow(key, context, gateway, nowMs, {
    gatewayClass: 'istio-eastwest',
    address: addresses.length > 0 ? addresses.join(', ') : '<none>',
    status,
    info: `mode ${eastWestModeOf(gateway, eastWestServiceOf(gateway, services))}`,
    tone,
    addressTone: addresses.length > 0 ? undefined : 'bad',
  });
}

function remoteRow(key: string, state: MeshState, context: ContextId, gateway: KubeObjectJson, nowMs: number): Row {
  const peer = peerContextOf(snapshotOf(state), context, gateway);
  const peerState = peerStateOf(gateway);
  const dataPlane = conditionOf(gateway, PEER_DATA_PLANE_PROGRAMMED);
  const status =
    peerState === 'noStatus'
      ? 'no peer status'
      : peerState === 'disconnected'
        ? 'disconnected'
        : dataPlane !== undefined && dataPlane.status !== 'True'
          ? 'connected, data plane not programmed'
          : 'connected';
  const tone: Tone = peerState === 'disconnected' ? 'bad' : status === 'connected' ? 'normal' : 'warn';
  const network = gateway.metadata.labels?.[NETWORK_LABEL];
  const info = peer !== undefined ? `peer ${clusterLabel(state, peer)}` : `peer network ${network ?? '(unlabelled)'}, not loaded`;
  return gatewayRow(key, context, gateway, nowMs, {
    gatewayClass: 'istio-remote',
    address: specAddresses(gateway).join(', ') || '<none>',
    status,
    info,
    tone,
    addressTone: undefined,
  });
}

/** What an east-west and a remote peer gateway row say differently; the rest of the row is the same. */
interface GatewayShown {
  gatewayClass: string;
  address: string;
  status: string;
  info: string;
  tone: Tone;
  addressTone: Tone | undefined;
}

function gatewayRow(key: string, context: ContextId, gateway: KubeObjectJson, nowMs: number, shown: GatewayShown): Row {
  const { tone } = shown;
  return {
    key,
    cells: [
      context,
      gateway.metadata.namespace ?? '',
      gateway.metadata.name,
      shown.gatewayClass,
      shown.address,
      shown.status,
      shown.info,
      ageOf(text(field(gateway, 'metadata', 'creationTimestamp')), nowMs),
    ],
    tone,
    cellTones: [undefined, undefined, undefined, undefined, shown.addressTone, tone === 'normal' ? 'ok' : tone],
    detail: { type: 'object', context, kind: 'Gateway', namespace: gateway.metadata.namespace ?? '', name: gateway.metadata.name },
    context,
  };
}

interface GatewayInput {
  state: MeshState;
  nowMs: number;
  contexts: readonly {
    context: ContextId;
    why: string | undefined;
    gateways: readonly KubeObjectJson[];
    services: readonly KubeObjectJson[];
  }[];
}

function buildTable(input: GatewayInput): TableModel {
  const rows: Row[] = [];
  for (const c of input.contexts) {
    if (c.why !== undefined) {
      rows.push({
        key: `${c.context}/unreadable/gateways`,
        cells: [c.context, '', '(gateways)', '', '', `unknown: ${c.why}`, '', ''],
        tone: 'warn',
        detail: { type: 'context', context: c.context },
        context: c.context,
      });
      continue;
    }
    const mesh = c.gateways
      .filter((g) => CLASSES.includes(gatewayClassOf(g) ?? ''))
      .sort((a, b) => CLASSES.indexOf(gatewayClassOf(a) ?? '') - CLASSES.indexOf(gatewayClassOf(b) ?? ''));
    for (const gateway of mesh) {
      const key = `${c.context}/Gateway/${gateway.metadata.namespace ?? ''}/${gateway.metadata.name}`;
      const row =
        gatewayClassOf(gateway) === 'istio-eastwest'
          ? eastWestRow(key, c.context, gateway, c.services, input.nowMs)
          : remoteRow(key, input.state, c.context, gateway, input.nowMs);
      rows.push(row, ...conditionRows(row, c.context, gateway, input.nowMs));
    }
  }
  return { columns: GATEWAY_COLUMNS, rows, empty: 'no east-west or istio-remote Gateways in any context' };
}

const table = memoByInputs(buildTable);

/**
 * The gateways pane's table. A remote Gateway's peer is found from every context's CLUSTER_ID and
 * east-west addresses, so those are inputs too; a bookmark or a pod change is not.
 */
export function selectGatewayTable(state: MeshState, nowMs: number): TableModel {
  const snapshot = snapshotOf(state);
  const ids = selectContextIds(state);
  const inputs: unknown[] = [ageClock(nowMs), clusterGroupsKey(state), clusterIdsKey(state, ids)];
  const contexts = ids.map((context) => {
    const why = unreadable(snapshot, context, GATEWAYS);
    const gateways = selectObjects(state, context, GATEWAYS);
    const services = selectObjects(state, context, EASTWEST_SERVICES);
    inputs.push(context, why, gateways, services);
    return { context, why, gateways, services };
  });
  return table(inputs, { state, nowMs: ageClock(nowMs), contexts });
}
