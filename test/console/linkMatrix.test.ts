// The links pane: both directions of every pair of clusters side by side, with a verdict in
// words, read from real scenarios (a one-way link, a broken direction, two contexts on one cluster).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkBetween, selectLinkMatrix, selectLinkTable } from '../../src/console/rows/linkMatrix.ts';
import { GATEWAYS, ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark, forbid } from './stateEdits.ts';

describe('links pane model', () => {
  it('sees a one-way link at a glance', async () => {
    const { state } = await scenarioState('asymmetric-link');
    const matrix = selectLinkMatrix(state);
    assert.deepEqual(linkBetween(matrix, 'cluster-east', 'cluster-west'), {
      from: 'cluster-east',
      to: 'cluster-west',
      link: 'yes',
      connected: 'yes',
      programmed: 'yes',
      gateway: { namespace: 'istio-eastwest', name: 'istio-remote-peer-west-net' },
    });
    assert.equal(linkBetween(matrix, 'cluster-west', 'cluster-east')?.link, 'no');
    const table = selectLinkTable(state);
    assert.equal(table.rows.length, 1, 'one row per unordered pair');
    assert.deepEqual(table.rows[0]?.cells, ['east', 'west', 'yes', 'yes', 'yes', 'missing', '-', '-', 'one-way: west→east missing']);
    assert.equal(table.rows[0]?.tone, 'bad');
    assert.deepEqual(table.rows[0]?.detail, { type: 'link', from: 'cluster-east', to: 'cluster-west' });
  });

  it('names the disconnected direction', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const [row] = selectLinkTable(state).rows;
    assert.equal(row?.cells[3], 'no', 'east→west not connected');
    assert.equal(row?.cells[6], 'yes', 'west→east connected');
    assert.equal(row?.cells[8], 'down: east→west disconnected');
  });

  it('counts two contexts of one cluster once', async () => {
    const { state } = await scenarioState('shared-cluster-contexts');
    assert.equal(Object.keys(state.contexts).length, 4);
    const matrix = selectLinkMatrix(state);
    assert.deepEqual(
      matrix.clusters.map((c) => [c.context, c.sameClusterAs]),
      [
        ['cluster-east', ['oncall@cluster-east']],
        ['cluster-west', ['oncall@cluster-west']],
      ],
    );
    const table = selectLinkTable(state);
    assert.equal(table.rows.length, 1);
    assert.equal(table.rows[0]?.cells[8], 'two-way');
    assert.ok(table.rows[0]?.contexts?.includes('oncall@cluster-west'), ':ctx on either context keeps the pair');
  });

  it('says unknown when a cluster’s Gateways cannot be read, and keeps the model across unrelated commits', async () => {
    const { state } = await scenarioState('asymmetric-link');
    const before = selectLinkTable(state);
    assert.equal(selectLinkTable(bookmark(bookmark(state, 'cluster-west', GATEWAYS), 'cluster-east', ISTIOD_ZTUNNEL_PODS)), before);
    const forbidden = forbid(state, 'cluster-west', GATEWAYS, 'gateways is forbidden');
    const after = selectLinkTable(forbidden);
    assert.notEqual(after, before);
    assert.deepEqual(after.rows[0]?.cells.slice(5), ['unknown', 'unknown', 'unknown', 'unknown: cannot read the links of west']);
  });
});
