// The proxies pane on real scenario reads: istioctl's proxy-status columns per cluster, and
// what the proxy-status check judges, marked in words: a ztunnel no istiod knows, a peer istiod
// that does not subscribe, an istiod whose syncz could not be read, types NOT SENT / STALE.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectProxyTable } from '../../src/console/rows/proxyRows.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { contextId, type SynczFactValue } from '../../src/store/types.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark, commit } from './stateEdits.ts';

describe('proxies pane model', () => {
  it('lists ztunnels and peer istiods like istioctl proxy-status', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const table = selectProxyTable(state);
    assert.deepEqual(
      table.columns.map((c) => c.title),
      ['CONTEXT', 'NAME', 'CLUSTER', 'ISTIOD', 'VERSION', 'SUBSCRIBED TYPES', 'PROBLEM'],
    );
    const ztunnels = table.rows.filter((r) => r.cells[1]?.startsWith('ztunnel-'));
    assert.equal(ztunnels.length, 4);
    for (const z of ztunnels) {
      assert.equal(z.cells[5], '2 (WADS,WDS)');
      assert.equal(z.cells[6], '');
      assert.equal(z.detail?.type, 'proxy');
    }
    const peer = table.rows.find((r) => r.context === 'cluster-east' && r.cells[1]?.startsWith('istiod-'));
    assert.equal(peer?.cells[2], 'west');
    assert.equal(peer?.cells[5], '3 (FSDS,SGDS,WDS)');
    assert.equal(peer?.cells[6], 'peer istiod of cluster-west');
  });

  it('marks a peer that links here but whose istiod does not subscribe', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const missing = selectProxyTable(state).rows.filter((r) => r.cells[6]?.startsWith('peer istiod missing'));
    assert.equal(missing.length, 1);
    assert.equal(missing[0]?.context, 'cluster-west');
    assert.equal(missing[0]?.cells[1], '(istiod of cluster-east)');
    assert.match(
      missing[0]?.cells[6] ?? '',
      /cluster-east links here \(Gateway istio-eastwest\/istio-remote-peer-west-net\) but does not subscribe/,
    );
    assert.equal(missing[0]?.tone, 'bad');
  });

  it('marks a crashlooping ztunnel missing from syncz', async () => {
    const { state } = await scenarioState('ztunnel-crashloop');
    const missing = selectProxyTable(state).rows.filter((r) => r.cells[6] === 'ztunnel missing: not connected to any istiod');
    assert.equal(missing.length, 1);
    assert.equal(missing[0]?.context, 'cluster-west');
    assert.equal(missing[0]?.detail?.type, 'object');
  });

  it('says why syncz is unknown instead of calling every proxy missing', async () => {
    const { state } = await scenarioState('forbidden');
    const rows = selectProxyTable(state).rows;
    assert.equal(rows.length, 2, rows.map((r) => r.cells.join(' | ')).join('\n'));
    for (const r of rows) {
      assert.match(r.cells[1] ?? '', /^\(syncz of istiod-/);
      assert.match(r.cells[6] ?? '', /^unknown: .*forbidden/);
      assert.equal(r.tone, 'warn');
    }
  });

  it('marks NOT SENT and STALE types, and keeps the model while the rows are the same', async () => {
    const { state } = await scenarioState('peer-disconnected');
    const before = selectProxyTable(state);
    assert.equal(selectProxyTable(bookmark(state, 'cluster-east', GATEWAYS)), before);
    const facts = state.facts[contextId('cluster-east')]?.syncz ?? {};
    const [pod, fact] = Object.entries(facts)[0] ?? [];
    assert.ok(pod !== undefined && fact?.state === 'known');
    const value: SynczFactValue = structuredClone(fact.value);
    const row = value.rows.find((r) => r.name.startsWith('ztunnel-'));
    assert.ok(row && row.types.length >= 2);
    const [first, second] = row.types;
    if (first) first.status = 'NOT_SENT';
    if (second) second.status = 'STALE';
    const changed = commit(state, {
      type: 'fact',
      context: contextId('cluster-east'),
      istiodPod: pod,
      kind: 'syncz',
      fact: { state: 'known', value, observedAt: state.updatedAt },
    });
    const after = selectProxyTable(changed);
    assert.notEqual(after, before);
    const shown = after.rows.find((r) => r.cells[1] === row.name);
    assert.equal(shown?.cells[6], `${first?.short ?? ''} NOT SENT; ${second?.short ?? ''} STALE`);
    assert.equal(shown?.tone, 'bad');
  });
});
