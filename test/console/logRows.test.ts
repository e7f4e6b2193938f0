// The logs pane on a real scenario read: failure signatures grouped with counts, times, where
// they were seen and the check that explains them (and whether it fails now); the drill-down to
// the raw lines of one signature, optionally one pod.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectLogLineTable, selectSignatureTable } from '../../src/console/rows/logRows.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark } from './stateEdits.ts';

describe('logs pane model', () => {
  it('groups the signatures with counts and the check that explains them, failing now', async () => {
    const { state, evaluation } = await scenarioState('peer-disconnected');
    const table = selectSignatureTable(state, evaluation);
    assert.deepEqual(
      table.columns.map((c) => c.title),
      ['SIGNATURE', 'COUNT', 'FIRST SEEN', 'LAST SEEN', 'CONTEXTS', 'PODS', 'EXPLAINED BY'],
    );
    const hbone = table.rows.find((r) => r.cells[0] === 'HBONE 15008 timeout');
    assert.ok(hbone, table.rows.map((r) => r.cells.join(' | ')).join('\n'));
    assert.ok(Number(hbone.cells[1]) > 0);
    assert.match(hbone.cells[2] ?? '', /^\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(hbone.cells[4], 'cluster-east');
    assert.match(hbone.cells[5] ?? '', /istio-system\/ztunnel-/);
    assert.equal(hbone.cells[6], 'MC-PEER-001 failing');
    assert.deepEqual(hbone.detail, { type: 'signature', signature: 'hbone-timeout' });
    assert.equal(selectSignatureTable(bookmark(state, 'cluster-east', GATEWAYS), evaluation), table, 'a bookmark keeps the model');
    assert.match(selectSignatureTable(state, undefined).rows[0]?.cells[6] ?? '', /not evaluated yet/);
  });

  it('drills down to the raw lines of one signature, oldest first, and of one pod', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const lines = selectLogLineTable(state, { signature: 'hbone-timeout' });
    assert.deepEqual(
      lines.columns.map((c) => c.title),
      ['TIME', 'CONTEXT', 'POD', 'LINE'],
    );
    assert.ok(lines.rows.length > 0);
    assert.ok(lines.rows.every((r) => r.context === 'cluster-east' && r.detail?.type === 'logLine'));
    assert.ok(
      lines.rows.every((r) => !/^\d{4}-\d{2}-\d{2}T/.test(r.cells[3] ?? '')),
      'the timestamp is in TIME, not repeated in LINE',
    );
    const times = lines.rows.map((r) => r.cells[0] ?? '');
    assert.deepEqual([...times].sort(), times, 'oldest first, newest at the bottom');
    const pod = lines.rows[0]?.cells[2] ?? '';
    const onePod = selectLogLineTable(state, { signature: 'hbone-timeout', context: 'cluster-east', pod });
    assert.ok(onePod.rows.length > 0 && onePod.rows.length < lines.rows.length);
    assert.ok(onePod.rows.every((r) => r.cells[2] === pod));
    assert.equal(selectLogLineTable(state, { signature: 'hbone-timeout' }), lines, 'same drill, same model');
    const none = selectLogLineTable(state, { signature: 'root-of-trust' });
    assert.equal(none.rows.length, 0);
    assert.match(none.empty, /no Unknown issuer \/ bad signature lines kept/);
  });
});
