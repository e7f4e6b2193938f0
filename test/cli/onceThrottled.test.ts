// A brief 429 is not a degraded context: `--once` waits out the server's Retry-After for as long
// as the deadline allows and reports a clean run; only throttling that outlasts the deadline is
// reported, as throttling.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { validateReport } from '../report/reportSchema.ts';

interface JsonReport {
  contexts: { context: string; status: string; detail: string }[];
  findings: { check: string; severity: string; message: string }[];
  summary: { exitCode: number; unknown: number; fail: number };
}

function parseReport(stdout: string, stderr: string): JsonReport {
  assert.ok(stdout.length > 0, `no report; stderr: ${stderr}`);
  const parsed: unknown = JSON.parse(stdout);
  assert.deepEqual(validateReport(parsed), []);
  return parsed as JsonReport;
}

function notPassed(report: JsonReport): string[] {
  return report.findings.filter((f) => f.severity !== 'pass').map((f) => `${f.severity} ${f.check}: ${f.message}`);
}

describe('mesh-tui --once against a throttling apiserver', () => {
  let sim: TestSimulator | undefined;
  before(async () => {
    sim = await startScenario('healthy');
  });
  after(async () => {
    await sim?.stop();
  });

  it('three 429s with Retry-After: 2 under --timeout 20: waited out, every context ready, nothing unknown, exit 0', async () => {
    // The first three requests to reach cluster-east (its first lists) are told to come back in 2 s.
    sim!.sim.cluster('cluster-east').faults.tooManyRequests(3, 2);
    const r = await runCli(['--once', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '20', '--output', 'json']);
    const report = parseReport(r.stdout, r.stderr);
    assert.deepEqual(
      report.contexts.map((c) => `${c.context} ${c.status}`),
      ['cluster-east ready', 'cluster-west ready'],
    );
    assert.deepEqual(notPassed(report), []);
    assert.equal(report.summary.exitCode, 0);
    assert.equal(r.code, 0, r.stderr);
  });

  it('throttling that outlasts the deadline is reported as throttling on what it held back', async () => {
    // Every gateways request, for longer than the run may take.
    sim!.sim.cluster('cluster-east').faults.tooManyRequests(Number.MAX_SAFE_INTEGER, 60, 'gateways');
    try {
      const r = await runCli(['--once', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '3', '--output', 'json']);
      const report = parseReport(r.stdout, r.stderr);
      const east = report.contexts.find((c) => c.context === 'cluster-east');
      assert.equal(east?.status, 'degraded');
      assert.match(east?.detail ?? '', /throttled on gateways/);
      assert.equal(report.contexts.find((c) => c.context === 'cluster-west')?.status, 'ready');
      assert.notEqual(r.code, 0);
      assert.equal(r.code, report.summary.exitCode);
    } finally {
      sim!.sim.cluster('cluster-east').faults.tooManyRequests(0, 0);
    }
  });
});
