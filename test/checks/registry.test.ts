// The registry: every check registered once, run in root-cause order whatever order they are
// listed in, a crashing check reported as `unknown` rather than taking the others down, and the
// severity summary reports use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckDefinition, CheckId, Finding } from '../../checks/types.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { CHECK_IDS } from '../../checks/checkIds.ts';
import { CHECKS, orderedChecks, runChecks, summarizeSeverities, worstByCheck, worstSeverity } from '../../checks/registry.ts';
import { makeFinding } from '../../checks/makeFinding.ts';
import { OPTIONS } from './checkHarness.ts';

const EMPTY: MeshSnapshot = { takenAt: '2026-01-01T00:00:00.000Z', contexts: {}, facts: {}, logSignatures: {} };

function fake(id: CheckId, severity: Finding['severity'] = 'pass'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `title of ${id}`,
    reads: [],
    decides: '',
    remediation: '',
    run: () => [makeFinding(definition, { severity, subject: { context: 'c', kind: 'Thing', name: id }, message: id })],
  };
  return definition;
}

describe('check registry', () => {
  it('registers each check once, every id in the root-cause order, with its documentation', () => {
    const ids = CHECKS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const check of CHECKS) {
      assert.ok(CHECK_IDS.includes(check.id), check.id);
      assert.ok(check.title.length > 0 && check.decides.length > 0 && check.remediation.length > 0 && check.reads.length > 0, check.id);
    }
    for (const id of [
      'MC-ACCESS-001',
      'MC-ENV-001',
      'MC-LIC-001',
      'MC-CERT-001',
      'MC-CERT-002',
      'MC-EW-001',
      'MC-POD-001',
      'MC-DNS-001',
    ] as const) {
      assert.ok(ids.includes(id), `${id} is registered`);
    }
  });

  it('lists every check id exactly in root-cause order, so the list reads like the report', () => {
    assert.deepEqual(
      CHECKS.map((c) => c.id),
      [...CHECK_IDS],
    );
  });

  it('runs checks in root-cause order whatever order they are listed in', () => {
    const listed = [
      fake('MC-LOG-001'),
      fake('MC-POD-001'),
      fake('MC-ACCESS-001'),
      fake('MC-PEER-001'),
      fake('MC-PEER-002'),
      fake('MC-NET-001'),
    ];
    assert.deepEqual(
      runChecks(EMPTY, OPTIONS, listed).map((f) => f.check),
      ['MC-ACCESS-001', 'MC-NET-001', 'MC-PEER-002', 'MC-PEER-001', 'MC-POD-001', 'MC-LOG-001'],
    );
    assert.deepEqual(
      orderedChecks(CHECKS).map((c) => c.id),
      [...CHECKS.map((c) => c.id)].sort((a, b) => CHECK_IDS.indexOf(a) - CHECK_IDS.indexOf(b)),
    );
  });

  it('reports a check that throws as unknown with the error, and still runs the rest', () => {
    const crashing: CheckDefinition = {
      ...fake('MC-ENV-001'),
      run: () => {
        throw new Error('boom');
      },
    };
    const findings = runChecks(
      {
        ...EMPTY,
        contexts: {
          a: { context: 'a', status: { phase: 'ready', reasons: [], since: EMPTY.takenAt }, resources: {} },
        } as MeshSnapshot['contexts'],
      },
      OPTIONS,
      [crashing, fake('MC-DNS-001')],
    );
    assert.deepEqual(
      findings.map((f) => `${f.check} ${f.severity}`),
      ['MC-ENV-001 unknown', 'MC-DNS-001 pass'],
    );
    assert.equal(findings[0]?.message, 'the check could not run: boom');
    assert.deepEqual(findings[0]?.contexts, ['a']);
  });

  it('runs on an empty snapshot without findings or errors', () => {
    assert.deepEqual(runChecks(EMPTY), []);
  });

  it('summarizes severities, the worst one, and the worst per check in order', () => {
    const findings = runChecks(EMPTY, OPTIONS, [
      fake('MC-POD-001', 'warn'),
      fake('MC-ENV-001', 'fail'),
      fake('MC-DNS-001', 'pass'),
      fake('MC-POD-001', 'unknown'),
    ]);
    assert.deepEqual(summarizeSeverities(findings), { pass: 1, info: 0, warn: 1, fail: 1, unknown: 1 });
    assert.equal(worstSeverity(findings), 'fail');
    assert.equal(worstSeverity([]), 'pass');
    assert.deepEqual(worstByCheck(findings), [
      { check: 'MC-ENV-001', severity: 'fail' },
      { check: 'MC-POD-001', severity: 'unknown' },
      { check: 'MC-DNS-001', severity: 'pass' },
    ]);
  });
});
