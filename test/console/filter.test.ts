// The `/` filter and `:ctx` narrowing, on a table a user would see: a case-insensitive
// substring over the cells, `!` inverting it, a context keeping its rows, and nesting kept
// (a condition under its Gateway, a symptom under its root cause).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterTable } from '../../src/console/filter.ts';
import type { Row, TableModel } from '../../src/console/types.ts';

function row(key: string, context: string | undefined, cells: string[], indent?: number, contexts?: string[]): Row {
  return { key, cells, ...(context !== undefined && { context }), ...(indent !== undefined && { indent }), ...(contexts && { contexts }) };
}

const MODEL: TableModel = {
  columns: [
    { title: 'CONTEXT', min: 8 },
    { title: 'NAME', min: 8 },
    { title: 'STATUS', min: 8 },
  ],
  rows: [
    row('e/gw', 'cluster-east', ['cluster-east', 'istio-remote-peer-west-net', 'disconnected']),
    row('e/gw/c1', 'cluster-east', ['', 'gloo.solo.io/PeerConnected', 'False'], 1),
    row('e/gw/c2', 'cluster-east', ['', 'gloo.solo.io/PeerDataPlaneProgrammed', 'True'], 1),
    row('w/gw', 'cluster-west', ['cluster-west', 'istio-remote-peer-east-net', 'connected']),
    row('w/gw/c1', 'cluster-west', ['', 'gloo.solo.io/PeerConnected', 'True'], 1),
    row('pair', undefined, ['east', 'west', 'down'], undefined, ['cluster-east', 'cluster-west']),
  ],
  empty: 'no gateways',
};

const keys = (m: TableModel): string[] => m.rows.map((r) => r.key);

describe('filterTable', () => {
  it('is the model itself with no filter, and the same object for the same filter', () => {
    assert.equal(filterTable(MODEL, '', null), MODEL);
    assert.equal(filterTable(MODEL, 'DISCONNECTED', null), filterTable(MODEL, 'DISCONNECTED', null));
  });

  it('matches any cell case-insensitively and keeps the children of a kept parent', () => {
    assert.deepEqual(keys(filterTable(MODEL, 'DISCONNECTED', null)), ['e/gw', 'e/gw/c1', 'e/gw/c2']);
  });

  it('keeps the parent of a matching child, and only the matching children', () => {
    assert.deepEqual(keys(filterTable(MODEL, 'dataplane', null)), ['e/gw', 'e/gw/c2']);
  });

  it('inverts with !', () => {
    assert.deepEqual(keys(filterTable(MODEL, '!peer', null)), ['pair']);
    assert.deepEqual(keys(filterTable(MODEL, '!east', null)), [], 'a parent that mentions it goes with its children');
    assert.deepEqual(
      keys(filterTable(MODEL, '!false', null)),
      ['e/gw', 'e/gw/c2', 'w/gw', 'w/gw/c1', 'pair'],
      'a kept parent loses the children that mention it',
    );
  });

  it('narrows to a context, keeping rows that concern it among several', () => {
    assert.deepEqual(keys(filterTable(MODEL, '', 'cluster-west')), ['w/gw', 'w/gw/c1', 'pair']);
    assert.deepEqual(keys(filterTable(MODEL, 'True', 'cluster-east')), ['e/gw', 'e/gw/c2']);
  });

  it('says what matched nothing', () => {
    const none = filterTable(MODEL, 'nothing-like-this', 'cluster-east');
    assert.deepEqual(none.rows, []);
    assert.equal(none.empty, 'no rows matching "nothing-like-this" in cluster-east');
  });
});
