// Nothing secret leaves the console: for every built-in scenario, every output a user can ask
// for — the --once report as text, Markdown and JSON, the captured scenario, and `mesh-tui
// status` as text and JSON — holds no private key, none of the scenario's ca-key.pem, no token
// of the kubeconfig, and neither the license key the simulator minted nor any of its JWT parts.
//
// Every scenario goes through the same functions the CLI calls, on the console's own snapshot;
// the real `bin/mesh-tui` is run for every format on two of them (NO_SECRETS_CLI=all runs it on
// every built-in, which takes many minutes on a shared two-core machine).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { load as parseYaml } from 'js-yaml';
import { evaluateChecks } from '../../checks/registry.ts';
import { toolVersion } from '../../src/cli/version.ts';
import { renderFeedStatusText, summarizeFeeds } from '../../src/report/feedStatus.ts';
import { renderFindingsJson } from '../../src/report/findingsJson.ts';
import { renderFindingsMarkdown } from '../../src/report/findingsMarkdown.ts';
import { buildOnceReport } from '../../src/report/findingsReport.ts';
import { renderFindingsText } from '../../src/report/findingsText.ts';
import { captureScenario } from '../../src/report/scenarioCapture.ts';
import { listBuiltinScenarios, parseScenarioText } from '../../src/sim/scenario/load.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { runCli } from '../helpers/cli.ts';
import { LICENSE_DATA_KEYS } from '../../src/store/licenseClaims.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';

interface Needle {
  what: string;
  text: string;
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

function secretData(scenario: Scenario, name: string, key: string): { context: string; value: string }[] {
  return scenario.clusters.flatMap((c) =>
    c.objects
      .filter((o) => o.kind === 'Secret' && o.metadata.name === name)
      .flatMap((o) => {
        const value = (o as { data?: Record<string, string> }).data?.[key];
        return value !== undefined ? [{ context: c.context, value }] : [];
      }),
  );
}

/** Every licence key the simulator planted: in any licence Secret data key, or inline in an env var. */
function licenseKeys(scenario: Scenario): { context: string; key: string }[] {
  const found: { context: string; key: string }[] = [];
  for (const name of LICENSE_DATA_KEYS) {
    for (const c of scenario.clusters)
      for (const o of c.objects) {
        const value = o.kind === 'Secret' ? (o as { data?: Record<string, string> }).data?.[name] : undefined;
        if (value !== undefined) found.push({ context: c.context, key: decode(value) });
      }
  }
  for (const c of scenario.clusters)
    for (const o of c.objects)
      for (const m of JSON.stringify(o).matchAll(/"name":"(?:SOLO_LICENSE_KEY|GLOO_MESH_LICENSE_KEY)","value":"([^"]+)"/g))
        if (m[1] !== undefined) found.push({ context: c.context, key: m[1] });
  return found;
}

/** Every secret the scenario's clusters hold, in the forms a leak could take. */
async function secretsOf(run: ScenarioSnapshot): Promise<Needle[]> {
  const needles: Needle[] = [{ what: 'a PEM private key', text: 'PRIVATE KEY' }];
  const caKeys = secretData(run.sim.scenario, 'cacerts', 'ca-key.pem');
  assert.ok(caKeys.length > 0, 'the scenario holds a ca-key.pem to look for');
  for (const { context, value } of caKeys) {
    needles.push({ what: `${context} ca-key.pem (base64)`, text: value });
    const body = decode(value)
      .split('\n')
      .filter((line) => line.length >= 40);
    for (const line of body) needles.push({ what: `${context} ca-key.pem (PEM line)`, text: line });
  }
  for (const { context, key } of licenseKeys(run.sim.scenario)) {
    needles.push(
      { what: `${context} license key (base64)`, text: Buffer.from(key).toString('base64') },
      { what: `${context} license key`, text: key },
    );
    for (const [i, part] of key.split('.').entries()) {
      if (part.length >= 8) needles.push({ what: `${context} license key JWT part ${i}`, text: part });
    }
  }
  const kubeconfig = parseYaml(await readFile(run.sim.kubeconfigPath, 'utf8')) as { users?: { user?: { token?: string } }[] };
  const tokens = (kubeconfig.users ?? []).flatMap((u) => (u.user?.token !== undefined ? [u.user.token] : []));
  assert.ok(tokens.length > 0, 'the kubeconfig holds tokens to look for');
  for (const token of tokens) needles.push({ what: 'a kubeconfig token', text: token });
  for (const user of run.sim.scenario.clusters.flatMap((c) => c.users))
    needles.push({ what: `user ${user.name}'s token`, text: user.token });
  return needles;
}

function assertNoSecret(output: string, needles: Needle[], where: string): void {
  assert.ok(output.length > 0, `${where} printed something`);
  for (const needle of needles) {
    assert.ok(!output.includes(needle.text), `${where} contains ${needle.what}`);
  }
}

/** The outputs, made by the functions the CLI calls. */
function outputsOf(run: ScenarioSnapshot, name: string): Record<string, string> {
  const report = buildOnceReport({
    snapshot: run.snapshot,
    findings: evaluateChecks(run.snapshot, { precheck: false, istioNamespace: 'istio-system' }),
    toolVersion: toolVersion(),
    options: { precheck: false, istioNamespace: 'istio-system', since: null, timeoutSeconds: 30, demoScenario: null },
  });
  const status = summarizeFeeds(run.snapshot);
  return {
    'report text': renderFindingsText(report),
    'report markdown': renderFindingsMarkdown(report),
    'report json': renderFindingsJson(report),
    'captured scenario': captureScenario(run.snapshot, { name }),
    'status text': renderFeedStatusText(status),
    'status json': JSON.stringify(status, null, 2),
  };
}

const CLI_RUNS: [string, string[]][] = [
  ['--once -o text', ['--once', '-o', 'text']],
  ['--once -o markdown', ['--once', '-o', 'markdown']],
  ['--once -o json', ['--once', '-o', 'json']],
  ['--once -o scenario', ['--once', '-o', 'scenario']],
  ['status', ['status']],
  ['status -o json', ['status', '-o', 'json']],
];

// A restricted user's token and its forbidden reads; an expired trial licence and its warnings.
// (Each CLI run settles a whole mesh: 6 runs of every built-in would take minutes.)
const CLI_SCENARIOS = new Set(['forbidden', 'license-invalid']);

const scenarios = await listBuiltinScenarios();
const runs: ScenarioSnapshot[] = [];
after(async () => {
  for (const run of runs) await run.stop();
});

describe('no output holds a secret', { concurrency: 1 }, () => {
  for (const { name } of scenarios) {
    test(name, async (t) => {
      const run = await snapshotOfScenario(name);
      runs.push(run);
      try {
        const needles = await secretsOf(run);
        const outputs = outputsOf(run, name);
        for (const [format, output] of Object.entries(outputs)) assertNoSecret(output, needles, `${name}: ${format}`);
        // The capture left the secrets out, not everything: the public CA certificate is still there.
        const publicCert = secretData(run.sim.scenario, 'cacerts', 'ca-cert.pem')[0]!.value;
        assert.ok(outputs['captured scenario']!.includes(publicCert), `${name}: the captured scenario keeps cacerts ca-cert.pem`);
        if (process.env.NO_SECRETS_CLI !== 'all' && !CLI_SCENARIOS.has(name)) return;
        // Two at a time: the machine's two cores are shared.
        for (let i = 0; i < CLI_RUNS.length; i += 2) {
          await Promise.all(
            CLI_RUNS.slice(i, i + 2).map(async ([label, args]) => {
              const result = await runCli([...args, '--kubeconfig', run.sim.kubeconfigPath, '--timeout', '10'], process.env, 90_000);
              t.diagnostic(`${label}: exit ${String(result.code)}`);
              assert.notEqual(result.code, null, `${name}: mesh-tui ${label} finished`);
              assertNoSecret(result.stdout, needles, `${name}: mesh-tui ${label} (stdout)`);
              for (const needle of needles)
                assert.ok(!result.stderr.includes(needle.text), `${name}: mesh-tui ${label} (stderr) contains ${needle.what}`);
            }),
          );
        }
      } finally {
        runs.splice(runs.indexOf(run), 1);
        await run.stop();
      }
    });
  }
});

// The licence key in each place istiod may read it from (license-expiring with license.source
// set): no output holds it, and the capture keeps only a claims-only stand-in that still counts
// down to the same expiry when replayed.
describe('no output holds the licence key, wherever istiod reads it from', { concurrency: 1 }, () => {
  for (const source of ['value', 'secretRef', 'env'] as const) {
    test(`license.source ${source}`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-nosecrets-'));
      const builtin = await readFile(new URL('../../src/sim/scenario/builtin/license-expiring.yaml', import.meta.url), 'utf8');
      const file = join(dir, 'license.yaml');
      await writeFile(file, builtin.replace('expiresInDays: 3 }', `expiresInDays: 3, source: ${source} }`));
      const run = await snapshotOfScenario('license-expiring', { file });
      try {
        const needles = await secretsOf(run);
        assert.ok(
          needles.some((n) => n.what === 'cluster-west license key'),
          'the scenario holds a licence key to look for',
        );
        const outputs = outputsOf(run, `license-${source}`);
        for (const [format, output] of Object.entries(outputs)) assertNoSecret(output, needles, `${source}: ${format}`);
        assert.match(outputs['report text']!, /expires in 3 days/, 'the report counts down');
        const captured = parseScenarioText(outputs['captured scenario']!, join(dir, 'captured.yaml'));
        const west = captured.clusters.find((c) => c.context === 'cluster-west');
        const standIns = JSON.stringify(west?.manifests ?? []);
        assert.doesNotMatch(standIns, /licenseClaims/, 'the capture writes no store bookkeeping');
        if (source !== 'env') return;
        assert.match(standIns, /"name":"SOLO_LICENSE_KEY","value":"[A-Za-z0-9_-]+"/, 'the capture keeps a stand-in key in the env');
        for (const [label, args] of CLI_RUNS.filter(([l]) => l.startsWith('--once'))) {
          const result = await runCli([...args, '--kubeconfig', run.sim.kubeconfigPath, '--timeout', '10'], process.env, 90_000);
          t.diagnostic(`${label}: exit ${String(result.code)}`);
          assertNoSecret(result.stdout, needles, `${source}: mesh-tui ${label} (stdout)`);
          for (const needle of needles)
            assert.ok(!result.stderr.includes(needle.text), `${source}: mesh-tui ${label} (stderr) contains ${needle.what}`);
        }
      } finally {
        await run.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
