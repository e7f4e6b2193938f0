// The promise of the report, for every built-in scenario: the first non-pass finding (info notes
// come after the problems) is a root cause the scenario declares, on its context and
// object, and every failure is either a declared root cause or grouped under one. A scenario
// another engineer adds is held to the same promise the moment it lands in
// src/sim/scenario/builtin/. Healthy scenarios show nothing failing or warning.
// Scenarios run one after another: each starts its own clusters and the machine is shared. A
// scenario with a timeline is judged where its timeline ends (its root causes describe that).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateChecks } from '../../checks/registry.ts';
import { rootOf } from '../../checks/explanations.ts';
import type { Finding } from '../../checks/types.ts';
import { orderFindings, type ReportFinding } from '../../src/report/findingsReport.ts';
import { listBuiltinScenarios, loadBuiltinScenario } from '../../src/sim/scenario/load.ts';
import type { RootCause } from '../../src/sim/scenario/model.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';
import { OPTIONS } from './peeringChecksHarness.ts';

function isCause(f: Pick<Finding, 'check' | 'subject' | 'severity'>, cause: RootCause): boolean {
  return (
    f.check === cause.check &&
    f.subject.context === cause.context &&
    f.subject.kind === cause.subject.kind &&
    (f.subject.namespace ?? '') === (cause.subject.namespace ?? '') &&
    f.subject.name === cause.subject.name &&
    f.severity === (cause.expectedSeverity ?? 'fail')
  );
}

function line(f: Pick<Finding, 'check' | 'subject' | 'severity' | 'message'> & { role?: string }): string {
  const ns = f.subject.namespace !== undefined ? `${f.subject.namespace}/` : '';
  return `${f.role ?? ''} ${f.severity} ${f.check} [${f.subject.context}] ${f.subject.kind} ${ns}${f.subject.name}: ${f.message}`;
}

function describeCause(c: RootCause): string {
  const ns = c.subject.namespace !== undefined ? `${c.subject.namespace}/` : '';
  return `${c.expectedSeverity ?? 'fail'} ${c.check} [${c.context}] ${c.subject.kind} ${ns}${c.subject.name}`;
}

const scenarios = await listBuiltinScenarios();

describe('every built-in scenario: its root cause first, every failure under a declared root cause', () => {
  for (const { name } of scenarios) {
    it(name, async () => {
      const scenario = await loadBuiltinScenario(name);
      // A scenario with a timeline declares where it ends: play it to the end, then look.
      const timed = scenario.timeline.length > 0;
      const s = await snapshotOfScenario(name, timed ? { timeline: 'manual' } : {});
      try {
        let snapshot = s.snapshot;
        if (timed) {
          await s.sim.sim.timeline.runToEnd();
          const failed = s.sim.sim.timeline.played.filter((p) => p.error !== undefined);
          assert.deepEqual(
            failed.map((p) => `${p.event.description}: ${p.error ?? ''}`),
            [],
            'every timeline event played',
          );
          snapshot = await s.resnapshot();
        }
        const explained = evaluateChecks(snapshot, OPTIONS);
        const report: ReportFinding[] = orderFindings(explained);
        // The report lists info notes after the problems, so the very first non-pass finding must be the cause.
        const problems = report.filter((f) => f.severity !== 'pass');
        const shown = `declared:\n${scenario.rootCauses.map(describeCause).join('\n')}\nreport:\n${problems.map(line).join('\n')}`;
        if (scenario.rootCauses.length === 0) {
          assert.deepEqual(
            problems.filter((f) => f.severity === 'fail' || f.severity === 'warn').map(line),
            [],
            'a healthy scenario fails and warns nothing',
          );
          return;
        }
        const [first] = problems;
        assert.ok(
          first !== undefined && scenario.rootCauses.some((c) => isCause(first, c)),
          `the first finding is a declared root cause\n${shown}`,
        );
        assert.equal(first.role, 'root', 'the first finding heads its group');
        const declaredRoot = (f: Finding): boolean => scenario.rootCauses.some((c) => isCause(f, c));
        const stray = explained.findings
          .filter((f) => f.severity === 'fail')
          .filter((f) => !declaredRoot(f) && !declaredRoot(rootOf(f, explained.causeOf)));
        assert.deepEqual(stray.map(line), [], `every failure is a declared root cause or listed under one\n${shown}`);
        for (const f of report.filter((r) => r.severity === 'fail' && r.role === 'symptom')) {
          assert.ok(f.explainedBy !== undefined, `a symptom names what explains it: ${line(f)}`);
        }
        for (const cause of scenario.rootCauses) {
          assert.ok(
            report.some((f) => isCause(f, cause)),
            `declared root cause ${describeCause(cause)} is reported\n${shown}`,
          );
        }
      } finally {
        await s.stop();
      }
    });
  }
});
