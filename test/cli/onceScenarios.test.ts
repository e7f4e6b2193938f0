// "Done when": for every built-in scenario, `mesh-tui --demo NAME --once --output json`, run
// through the launcher like a user would, names the scenario's declared root cause (check id,
// context, subject) as the first failing finding — or, for a root cause whose expected severity
// is `unknown`, as the first finding that did not pass — and the healthy scenarios fail nothing.
// Scenarios run one after another: each starts its own clusters and the machine is shared.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { listBuiltinScenarios, loadBuiltinScenario } from '../../src/sim/scenario/load.ts';
import type { RootCause } from '../../src/sim/scenario/model.ts';
import { validateReport } from '../report/reportSchema.ts';

interface ReportFinding {
  check: string;
  severity: string;
  role: string;
  contexts: string[];
  subject: { context: string; kind: string; namespace?: string; name: string };
  message: string;
}

interface JsonReport {
  contexts: { context: string; status: string; detail: string }[];
  findings: ReportFinding[];
  notes: string[];
  summary: { exitCode: number; fail: number; line: string };
}

function describeFinding(f: ReportFinding | undefined): string {
  if (f === undefined) return 'none';
  const ns = f.subject.namespace !== undefined ? `${f.subject.namespace}/` : '';
  return `${f.severity} ${f.check} [${f.contexts.join(',')}] ${f.subject.kind} ${ns}${f.subject.name}: ${f.message}`;
}

function matches(f: ReportFinding, cause: RootCause): boolean {
  return (
    f.check === cause.check &&
    f.contexts.includes(cause.context) &&
    f.subject.kind === cause.subject.kind &&
    (f.subject.namespace ?? '') === (cause.subject.namespace ?? '') &&
    f.subject.name === cause.subject.name
  );
}

function describeCause(c: RootCause): string {
  const ns = c.subject.namespace !== undefined ? `${c.subject.namespace}/` : '';
  return `${c.expectedSeverity ?? 'fail'} ${c.check} [${c.context}] ${c.subject.kind} ${ns}${c.subject.name}`;
}

const scenarios = await listBuiltinScenarios();

describe("mesh-tui --demo NAME --once --output json names each scenario's root cause first", () => {
  for (const { name } of scenarios) {
    it(name, async () => {
      const scenario = await loadBuiltinScenario(name);
      const r = await runCli(['--demo', name, '--once', '--output', 'json'], process.env, 120_000);
      assert.ok(r.stdout.length > 0, `no report; exit ${String(r.code)}; stderr: ${r.stderr}`);
      const parsed: unknown = JSON.parse(r.stdout);
      assert.deepEqual(validateReport(parsed), [], 'the report follows docs/report.md');
      const report = parsed as JsonReport;
      assert.equal(r.code, report.summary.exitCode, `the process exits with the report's code; stderr: ${r.stderr}`);
      const problems = report.findings.filter((f) => f.severity !== 'pass');
      const context = `${report.summary.line}\nnotes: ${report.notes.join('; ')}\nproblems:\n${problems.map(describeFinding).join('\n')}`;

      const [primary] = scenario.rootCauses;
      if (primary === undefined) {
        assert.equal(report.summary.fail, 0, `a healthy scenario fails nothing\n${context}`);
        assert.equal(r.code, 0, `a healthy scenario exits 0\n${context}`);
        return;
      }
      const expected = primary.expectedSeverity ?? 'fail';
      const first = expected === 'fail' ? report.findings.find((f) => f.severity === 'fail') : problems[0];
      // A scenario may declare the same fault on several subjects of one check (two stale entries,
      // two clusters' CAs): which of those a check lists first is its own order, so any of them may lead.
      const leaders = scenario.rootCauses.filter((c) => c.check === primary.check && (c.expectedSeverity ?? 'fail') === expected);
      assert.ok(
        first !== undefined && first.severity === expected && leaders.some((c) => matches(first, c)),
        `expected first ${expected === 'fail' ? 'failing' : 'non-pass'} finding: ${leaders.map(describeCause).join(' or ')}\ngot: ` +
          `${describeFinding(first)}\n${context}`,
      );
      // Every declared cause is reported, with the severity it must have.
      for (const cause of scenario.rootCauses) {
        assert.ok(
          problems.some((f) => matches(f, cause) && f.severity === (cause.expectedSeverity ?? 'fail')),
          `also expected ${describeCause(cause)}\n${context}`,
        );
      }
      // A warning alone leaves everything evaluated and nothing failed: exit 0.
      const unsure = expected === 'unknown' ? 3 : 0;
      assert.equal(r.code, expected === 'fail' ? 1 : report.summary.fail > 0 ? 1 : unsure, context);
    });
  }
});
