// The gateways pane's model on real scenario reads: east-west Gateways with address, Programmed
// and mode; remote peer Gateways with their peer and link state; one indented row per condition.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectGatewayTable } from '../../src/console/rows/gatewayRows.ts';
import type { Row, TableModel } from '../../src/console/types.ts';
import { EASTWEST_PODS, GATEWAYS } from '../../src/store/resourceIds.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark, modify, objectOf } from './stateEdits.ts';

function rowNamed(table: TableModel, context: string, name: string): Row {
  const row = table.rows.find((r) => r.context === context && (r.indent ?? 0) === 0 && r.cells[2] === name);
  assert.ok(row, `${context} ${name} in\n${table.rows.map((r) => r.cells.join(' | ')).join('\n')}`);
  return row;
}

function childrenOf(table: TableModel, parent: Row): Row[] {
  const at = table.rows.indexOf(parent);
  const out: Row[] = [];
  for (const r of table.rows.slice(at + 1)) {
    if ((r.indent ?? 0) === 0) break;
    out.push(r);
  }
  return out;
}

describe('gateways pane model', () => {
  it('shows a disconnected peer Gateway and the condition that says why', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const table = selectGatewayTable(state, Date.parse(state.updatedAt));
    assert.deepEqual(
      table.columns.map((c) => c.title),
      ['CONTEXT', 'NAMESPACE', 'NAME', 'CLASS', 'ADDRESS', 'STATUS', 'INFO', 'AGE'],
    );
    const remote = rowNamed(table, 'cluster-east', 'istio-remote-peer-west-net');
    assert.equal(remote.cells[3], 'istio-remote');
    assert.equal(remote.cells[5], 'disconnected');
    assert.equal(remote.cells[6], 'peer west (cluster-west)');
    assert.equal(remote.tone, 'bad');
    const conditions = childrenOf(table, remote);
    const connected = conditions.find((r) => r.cells[2] === 'gloo.solo.io/PeerConnected');
    assert.ok(connected, 'one row per condition');
    assert.equal(connected.indent, 1);
    assert.equal(connected.cells[5], 'False');
    assert.equal(connected.cells[6], 'Pending: not connected to peer');
    assert.match(connected.cells[7] ?? '', /^\d+[smhd]/);
    assert.deepEqual(connected.detail, remote.detail, 'Enter on a condition opens its Gateway');
    assert.ok(conditions.some((r) => r.cells[2] === 'gloo.solo.io/PeeringSucceeded'));
    assert.ok(conditions.some((r) => r.cells[2] === 'gloo.solo.io/PeerDataPlaneProgrammed' && r.cells[5] === 'True'));
    const back = rowNamed(table, 'cluster-west', 'istio-remote-peer-east-net');
    assert.equal(back.cells[5], 'connected');
  });

  it('shows the east-west Gateway programmed with its address and mode', async () => {
    const { state } = await scenarioState('nodeport-done-right');
    const table = selectGatewayTable(state, Date.parse(state.updatedAt));
    for (const context of ['cluster-east', 'cluster-west']) {
      const ew = rowNamed(table, context, 'istio-eastwest');
      assert.equal(ew.cells[3], 'istio-eastwest');
      assert.match(ew.cells[4] ?? '', /^\d+\.\d+\.\d+\.\d+/);
      assert.equal(ew.cells[5], 'programmed');
      assert.equal(ew.cells[6], 'mode LoadBalancer for xDS, NodePort data plane');
      assert.ok(childrenOf(table, ew).some((r) => r.cells[2] === 'Programmed' && r.cells[5] === 'True'));
    }
  });

  it('keeps the model across a bookmark and a pod change; a condition change rebuilds it', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const now = Date.parse(state.updatedAt);
    const before = selectGatewayTable(state, now);
    const quiet = bookmark(bookmark(state, 'cluster-east', GATEWAYS), 'cluster-west', EASTWEST_PODS);
    assert.equal(selectGatewayTable(quiet, now), before);
    const gateway = objectOf(state, 'cluster-east', GATEWAYS, 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net');
    const healed = modify(quiet, 'cluster-east', GATEWAYS, gateway, (g) => {
      const status = g['status'] as { conditions: { type: string; status: string; reason: string; message: string }[] };
      for (const c of status.conditions) {
        if (c.type.startsWith('gloo.solo.io/Peer')) Object.assign(c, { status: 'True', reason: 'Programmed', message: '' });
      }
      return g;
    });
    const after = selectGatewayTable(healed, now);
    assert.notEqual(after, before);
    assert.equal(rowNamed(after, 'cluster-east', 'istio-remote-peer-west-net').cells[5], 'connected');
  });
});
