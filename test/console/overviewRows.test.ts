// The overview on real scenario evaluations: root causes first with their symptoms indented
// under them in the `--once` report's order, the guided action named (and hidden read-only),
// one `pass` row per check when nothing fails, and stable keys across re-evaluations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectConnectingContexts, selectOverviewTable } from '../../src/console/rows/overviewRows.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import { contextId } from '../../src/store/types.ts';
import { findingKey, findingsByKey } from '../../src/console/findingKey.ts';
import { orderFindings } from '../../src/report/findingsReport.ts';
import { Evaluator } from '../../checks/evaluate.ts';
import { CHECKS } from '../../checks/registry.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { OPTIONS, scenarioState } from './scenarioState.ts';

describe('overview pane model', () => {
  it('puts the root cause first with its symptoms indented under it, in report order', async () => {
    const { evaluation } = await scenarioState('ztunnel-crashloop');
    const table = selectOverviewTable(evaluation, { readOnly: false });
    assert.deepEqual(
      table.columns.map((c) => c.title),
      ['SEVERITY', 'CHECK', 'CONTEXT', 'SUBJECT', 'MESSAGE', 'ACTION'],
    );
    const [root, symptom] = table.rows;
    assert.deepEqual(root?.cells.slice(0, 4), ['fail', 'MC-POD-001', 'cluster-west', root?.cells[3]]);
    assert.match(root?.cells[3] ?? '', /^Pod istio-system\/ztunnel-/);
    assert.match(root?.cells[4] ?? '', /CrashLoopBackOff/);
    assert.equal(root?.indent, undefined);
    assert.equal(symptom?.cells[1], 'MC-XDS-001');
    assert.equal(symptom?.indent, 1);
    assert.match(symptom?.cells[4] ?? '', /\(explained by MC-POD-001\)$/);
    assert.equal(symptom?.cells[5], 'x: re-run checks');
    const report = orderFindings(evaluation).filter((f) => f.role !== 'pass');
    assert.deepEqual(
      table.rows.map((r) => r.cells[1]),
      report.map((f) => f.check),
      'the console lists the findings the way the report does',
    );
    assert.ok(!table.rows.some((r) => r.cells[0] === 'pass'), 'passes are not listed while something fails');
  });

  it('folds the unknowns of contexts still connecting into one waiting row each', () => {
    const mesh = createMeshStore({ contexts: [contextId('cluster-east'), contextId('cluster-west')] });
    const state = mesh.getState();
    mesh.dispose();
    const connecting = selectConnectingContexts(state);
    assert.deepEqual(connecting, ['cluster-east', 'cluster-west']);
    assert.equal(selectConnectingContexts({ ...state, updatedAt: 'later' }), connecting, 'the same list while the set is the same');
    const evaluation = new Evaluator(CHECKS).evaluate(toSnapshot(state), OPTIONS);
    assert.ok(evaluation.findings.filter((f) => f.severity === 'unknown').length > 10, 'every check waits for both contexts');
    const table = selectOverviewTable(evaluation, { readOnly: false, connecting });
    assert.deepEqual(
      table.rows.map((r) => r.cells.slice(0, 3)),
      [
        ['waiting', '', 'cluster-east'],
        ['waiting', '', 'cluster-west'],
      ],
    );
    assert.match(table.rows[0]?.cells[4] ?? '', /^connecting: \d+ checks wait for this context$/);
    const unfolded = selectOverviewTable(evaluation, { readOnly: false });
    assert.ok(unfolded.rows.length > 10, 'without the list every unknown is its own row');
  });

  it('hides the action hints read-only', async () => {
    const { evaluation } = await scenarioState('ztunnel-crashloop');
    const table = selectOverviewTable(evaluation, { readOnly: true });
    assert.ok(table.rows.every((r) => r.cells[5] === ''));
  });

  it('summarises passed checks one row each when nothing fails', async () => {
    const { evaluation } = await scenarioState('nodeport-done-right');
    const table = selectOverviewTable(evaluation, { readOnly: false });
    const checks = new Set(evaluation.findings.map((f) => f.check));
    assert.equal(table.rows.filter((r) => r.cells[0] === 'pass').length, checks.size);
    const peers = table.rows.find((r) => r.cells[1] === 'MC-PEER-001');
    assert.deepEqual(peers?.cells.slice(0, 4), ['pass', 'MC-PEER-001', '2 contexts', 'Peers connected']);
    assert.equal(peers?.tone, 'ok');
  });

  it('keeps keys and the model across an evaluation that changed nothing', async () => {
    const { state, evaluation } = await scenarioState('ztunnel-crashloop');
    const evaluator = new Evaluator(CHECKS);
    const first = evaluator.evaluate(toSnapshot(state), OPTIONS);
    const second = evaluator.evaluate(toSnapshot(state), OPTIONS);
    assert.notEqual(first, second);
    assert.equal(selectOverviewTable(second, { readOnly: false }), selectOverviewTable(first, { readOnly: false }));
    const rows = selectOverviewTable(evaluation, { readOnly: false }).rows;
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'keys are unique');
    for (const row of rows) {
      assert.equal(row.detail?.type, 'finding');
      const key = row.detail?.type === 'finding' ? row.detail.key : '';
      assert.ok(findingsByKey(evaluation.findings).has(key), `the detail finds ${key}`);
    }
    const root = evaluation.findings.find((f) => f.check === 'MC-POD-001' && f.severity === 'fail');
    assert.ok(root);
    assert.equal(rows[0]?.key, findingKey(root));
  });
});
