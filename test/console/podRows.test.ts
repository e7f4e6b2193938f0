// The pods pane's model on a real scenario read: kubectl's columns and words, the crashing
// ztunnel marked bad, ages in kubectl's format against a coarse clock, the same model object
// across commits that do not touch the pods, and a context whose pods cannot be read said so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectPodTable } from '../../src/console/rows/podRows.ts';
import { AGE_CADENCE_MS, ageOf, humanDuration } from '../../src/console/rows/age.ts';
import { GATEWAYS, ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark, forbid, modify, objectOf } from './stateEdits.ts';

const NS = 'istio-system';

describe('pods pane model', () => {
  it('lists the mesh pods of every context with kubectl columns, the crashlooping ztunnel marked bad', async () => {
    const { state } = await scenarioState('ztunnel-crashloop');
    const table = selectPodTable(state, NS, Date.parse(state.updatedAt));
    assert.deepEqual(
      table.columns.map((c) => c.title),
      ['CONTEXT', 'NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE'],
    );
    const crashing = table.rows.filter((r) => r.cells[4] === 'CrashLoopBackOff');
    assert.equal(crashing.length, 1, table.rows.map((r) => r.cells.join(' ')).join('\n'));
    const [row] = crashing;
    assert.ok(row);
    assert.equal(row.cells[0], 'cluster-west');
    assert.match(row.cells[2] ?? '', /^ztunnel-/);
    assert.equal(row.cells[3], '0/1');
    assert.ok(Number(row.cells[5]) > 0, 'restarts are counted');
    assert.equal(row.tone, 'bad');
    assert.equal(row.key, `cluster-west/Pod/${NS}/${row.cells[2] ?? ''}`);
    assert.deepEqual(row.detail, { type: 'object', context: 'cluster-west', kind: 'Pod', namespace: NS, name: row.cells[2] });
    for (const component of ['istiod-', 'ztunnel-', 'istio-eastwest-', 'istio-cni-node-']) {
      for (const context of ['cluster-east', 'cluster-west']) {
        assert.ok(
          table.rows.some((r) => r.context === context && (r.cells[2] ?? '').startsWith(component)),
          `${component}* of ${context} is listed`,
        );
      }
    }
    const healthy = table.rows.filter((r) => r !== row);
    assert.ok(healthy.every((r) => r.cells[4] === 'Running' && r.tone === 'normal'));
    assert.ok(
      table.rows.every((r) => /^\d+[smhdy]/.test(r.cells[6] ?? '')),
      'ages read like kubectl',
    );
  });

  it('stays the same object across a bookmark, a change elsewhere and within one age step; the step rebuilds it', async () => {
    const { state } = await scenarioState('ztunnel-crashloop');
    const now = Math.floor(Date.parse(state.updatedAt) / AGE_CADENCE_MS) * AGE_CADENCE_MS;
    const first = selectPodTable(state, NS, now);
    const afterBookmark = bookmark(state, 'cluster-east', ISTIOD_ZTUNNEL_PODS);
    assert.notEqual(afterBookmark, state);
    assert.equal(selectPodTable(afterBookmark, NS, now + 1000), first, 'a bookmark and a second later: same model');
    const gateway = objectOf(state, 'cluster-east', GATEWAYS, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    const gatewayChanged = modify(afterBookmark, 'cluster-east', GATEWAYS, gateway, (g) => ({
      ...g,
      metadata: { ...g.metadata, resourceVersion: 'x' },
    }));
    assert.equal(selectPodTable(gatewayChanged, NS, now), first, 'a Gateway change is not the pods pane business');
    assert.notEqual(selectPodTable(gatewayChanged, NS, now + AGE_CADENCE_MS), first, 'the next age step rebuilds the ages');
  });

  it('rebuilds when a pod changes, and shows the new status', async () => {
    const { state } = await scenarioState('ztunnel-crashloop');
    const now = Date.parse(state.updatedAt);
    const before = selectPodTable(state, NS, now);
    const istiodRow = before.rows.find((r) => r.context === 'cluster-east' && (r.cells[2] ?? '').startsWith('istiod-'));
    assert.ok(istiodRow);
    const pod = objectOf(state, 'cluster-east', ISTIOD_ZTUNNEL_PODS, 'Pod', NS, istiodRow.cells[2] ?? '');
    const deleting = modify(state, 'cluster-east', ISTIOD_ZTUNNEL_PODS, pod, (p) => ({
      ...p,
      metadata: { ...p.metadata, deletionTimestamp: new Date(now).toISOString() },
    }));
    const after = selectPodTable(deleting, NS, now);
    assert.notEqual(after, before);
    const row = after.rows.find((r) => r.key === istiodRow.key);
    assert.equal(row?.cells[4], 'Terminating');
    assert.equal(row?.tone, 'bad');
  });

  it('says which pods of a context cannot be read, instead of showing none', async () => {
    const { state } = await scenarioState('ztunnel-crashloop');
    const forbidden = forbid(state, 'cluster-west', ISTIOD_ZTUNNEL_PODS, 'pods is forbidden');
    const table = selectPodTable(forbidden, NS, Date.parse(state.updatedAt));
    const unreadable = table.rows.filter((r) => r.context === 'cluster-west' && r.cells[4]?.startsWith('unknown:'));
    assert.equal(unreadable.length, 1);
    assert.match(unreadable[0]?.cells.join(' ') ?? '', /istiod and ztunnel pods.*unknown: forbidden on pods/);
    assert.ok(!table.rows.some((r) => r.context === 'cluster-west' && (r.cells[2] ?? '').startsWith('ztunnel-')));
    assert.ok(
      table.rows.some((r) => r.context === 'cluster-west' && (r.cells[2] ?? '').startsWith('istio-eastwest-')),
      'the other watches still show',
    );
  });

  it('formats ages like kubectl', () => {
    assert.equal(humanDuration(45_000), '45s');
    assert.equal(humanDuration(119_000), '119s');
    assert.equal(humanDuration(200_000), '3m20s');
    assert.equal(humanDuration(45 * 60_000), '45m');
    assert.equal(humanDuration(200 * 60_000), '3h20m');
    assert.equal(humanDuration(30 * 3_600_000), '30h');
    assert.equal(humanDuration(76 * 3_600_000), '3d4h');
    assert.equal(humanDuration(400 * 86_400_000), '400d');
    assert.equal(ageOf(undefined, 0), '<unknown>');
    assert.equal(ageOf('2026-01-01T00:00:10Z', Date.parse('2026-01-01T00:00:00Z')), '0s', 'a clock behind the object reads 0s');
  });
});
