// `mesh-tui --once` and `--demo … --once` through the real launcher: flags, usage errors, exit
// codes, a context that does not answer in time, --since and --context selection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenarioText } from '../../src/sim/scenario/load.ts';
import { runCli } from '../helpers/cli.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { validateReport } from '../report/reportSchema.ts';

interface JsonReport {
  contexts: { context: string; status: string; detail: string; logSignatures: { id: string; count: number }[] }[];
  notes: string[];
  options: { since: string | null; demoScenario: string | null };
  summary: { exitCode: number };
}

function parseReport(stdout: string): JsonReport {
  const parsed: unknown = JSON.parse(stdout);
  assert.deepEqual(validateReport(parsed), []);
  return parsed as JsonReport;
}

describe('mesh-tui top-level flags', () => {
  it('without --once and without a terminal: one hint line, then the report as --once would print it', async () => {
    const r = await runCli(['--demo', 'healthy', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'mesh-tui: not a terminal; printing one report (as --once)\n');
    assert.deepEqual(parseReport(r.stdout).options.demoScenario, 'healthy');
  });

  it('lists --once, --demo and the exit codes in --help', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ {2}--once +run the multicluster checks once/m);
    assert.match(r.stdout, /^ {2}--demo \[NAME\] +/m);
    assert.match(r.stdout, /Exit codes: 0 all passed, 1 something failed, 2 usage or kubeconfig error,\n3 nothing failed/);
  });

  const usageCases: [string[], RegExp][] = [
    [['--once', '--output', 'yaml'], /--output must be one of text, markdown, json, scenario \(got "yaml"\)/],
    [['--once', '--since', '5 minutes'], /--since must be a duration like 30s, 5m or 1h \(got "5 minutes"\)/],
    [['--once', '--since', '0s'], /--since must be longer than 0s/],
    [['--once', '--timeout', '0'], /--timeout must be a positive number of seconds \(got "0"\)/],
    [['--once', '--timeout', '-1'], /option "--timeout" needs a value/],
    [['--once', '--frobnicate'], /unknown option "--frobnicate"/],
    [['--once', 'healthy'], /unexpected argument "healthy"/],
    [['--demo', 'healthy', 'healthy-3', '--once'], /--demo takes one scenario name/],
    [['--demo', 'no-such-scenario', '--once'], /--demo: .*no-such-scenario/],
    [['--demo', '--once', '--kubeconfig', '/tmp/x'], /--demo writes its own kubeconfig; leave out --kubeconfig/],
    [['--once', '--kubeconfig', '/nonexistent/kubeconfig'], /\/nonexistent\/kubeconfig/],
    [['--once', '--context', 'a', '--contexts', 'a,b'], /give --context or --contexts, not both/],
  ];
  for (const [args, message] of usageCases) {
    it(`rejects ${args.join(' ')} with one line and exit 2`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^mesh-tui: /);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  it('--output scenario writes what was observed as a scenario file the loader reads back', async () => {
    const r = await runCli(['--demo', 'healthy', '--once', '--output', 'scenario']);
    assert.equal(r.code, 0, r.stderr);
    const spec = parseScenarioText(r.stdout, 'captured.yaml');
    assert.deepEqual(spec.clusters.map((c) => c.context).sort(), ['cluster-east', 'cluster-west']);
  });
});

describe('mesh-tui --demo NAME --once', () => {
  it('--context selects one of the demo clusters; the others are not read', async () => {
    const r = await runCli(['--demo', 'network-mismatch', '--once', '--output', 'json', '--context', 'cluster-east']);
    const report = parseReport(r.stdout);
    assert.deepEqual(
      report.contexts.map((c) => `${c.context} ${c.status}`),
      ['cluster-east ready'],
    );
    assert.equal(report.options.demoScenario, 'network-mismatch');
    assert.equal(r.code, report.summary.exitCode);
  });

  it('--since counts only log lines newer than the duration', async () => {
    const west = (report: JsonReport): number =>
      report.contexts.find((c) => c.context === 'cluster-west')?.logSignatures.find((s) => s.id === 'network-identity-mismatch')?.count ??
      0;
    const all = parseReport((await runCli(['--demo', 'network-mismatch', '--once', '--output', 'json'])).stdout);
    const recent = parseReport((await runCli(['--demo', 'network-mismatch', '--once', '--output', 'json', '--since', '1m'])).stdout);
    // The scenario's history reaches two minutes back, one line every 15 s per ztunnel.
    assert.ok(west(all) > 0);
    assert.ok(west(recent) > 0, 'the last minute still has lines');
    assert.ok(west(recent) < west(all), `${west(recent)} lines in the last minute, ${west(all)} in all`);
    assert.equal(recent.options.since, '1m');
  });
});

describe('mesh-tui --once against a kubeconfig', () => {
  let sim: TestSimulator | undefined;
  before(async () => {
    sim = await startScenario('healthy');
  });
  after(async () => {
    await sim?.stop();
  });

  it('reports a context that does not answer in time as timed out and prints the others', async () => {
    // Every request to cluster-west now takes ten minutes: it is still connecting at the deadline.
    sim!.sim.cluster('cluster-west').faults.setLatency(600_000);
    try {
      const r = await runCli(['--once', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '4', '--output', 'json']);
      const report = parseReport(r.stdout);
      const byName = new Map(report.contexts.map((c) => [c.context, c]));
      assert.equal(byName.get('cluster-east')?.status, 'ready');
      assert.equal(byName.get('cluster-west')?.status, 'timedOut');
      assert.match(byName.get('cluster-west')?.detail ?? '', /^timed out after 4s: /);
      assert.ok(report.notes.includes('cluster-west did not answer within 4s; its findings are incomplete'), report.notes.join('\n'));
      assert.notEqual(r.code, 0);
      assert.equal(r.code, report.summary.exitCode, r.stderr);
    } finally {
      sim!.sim.cluster('cluster-west').faults.setLatency(0);
    }
  });

  it('prints the text report of the healthy clusters: every check passes, exit 0', async () => {
    const r = await runCli(['--once', '--kubeconfig', sim!.kubeconfigPath, '--output', 'text']);
    assert.match(r.stdout, /^mesh-tui \d+\.\d+\.\d+ — multicluster checks at /);
    assert.match(r.stdout, /^cluster-east +east +ready$/m);
    assert.match(r.stdout, /^cluster-west +west +ready$/m);
    const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.match(last, /^OK: 0 failed, 0 warnings, 0 unknown, 0 info, [1-9]\d* passed; 2\/2 contexts read \(exit 0\)$/);
    assert.equal(r.code, 0, r.stderr);
  });
});
