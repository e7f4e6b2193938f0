// `mesh-tui act` as a runbook runs it: the real launcher against simulated clusters. Without
// --yes it prints the plan and the dry run and changes nothing; with --yes it applies, and a
// fresh `--once` then sees the finding pass. A forbidden user is told what is missing (exit 4)
// before anything changes; misuse is exit 2. The audit log lands under XDG_STATE_HOME.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { getObject } from '../feeds/simChanges.ts';

interface OnceFinding {
  check: string;
  severity: string;
  contexts: string[];
}

async function withScenario(
  name: string,
  body: (sim: TestSimulator, env: NodeJS.ProcessEnv, stateDir: string) => Promise<void>,
): Promise<void> {
  const sim = await startScenario(name);
  const stateDir = await mkdtemp(join(tmpdir(), 'mesh-tui-act-state-'));
  try {
    await body(sim, { ...process.env, XDG_STATE_HOME: stateDir, NO_COLOR: '1' }, stateDir);
  } finally {
    await sim.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function onceFindings(sim: TestSimulator, env: NodeJS.ProcessEnv): Promise<OnceFinding[]> {
  const once = await runCli(['--once', '-o', 'json', '--kubeconfig', sim.kubeconfigPath], env);
  assert.ok(once.code !== 2, once.stderr);
  return (JSON.parse(once.stdout) as { findings: OnceFinding[] }).findings;
}

async function auditLines(stateDir: string): Promise<{ phase: string; result: string; object: { kind: string; name: string } }[]> {
  const text = await readFile(join(stateDir, 'mesh-tui', 'audit.log'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { phase: string; result: string; object: { kind: string; name: string } });
}

test('act relabel-network: the plan and dry run change nothing; --yes applies and --once sees MC-NET-001 pass', async () => {
  await withScenario('network-mismatch', async (sim, env, stateDir) => {
    const args = ['act', 'relabel-network', '--kubeconfig', sim.kubeconfigPath, '--context', 'cluster-west', '--network', 'west-net'];
    const dry = await runCli(args, env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /context cluster-west\n {2}~ Namespace istio-system: metadata\.labels\["topology\.istio\.io\/network"\] "west-network" -> "west-net"/,
    );
    assert.match(dry.stdout, /accepted {2}cluster-west {2}Namespace istio-system/);
    assert.match(dry.stdout, /helm upgrade istiod .* --reuse-values --set global\.network=west-net/);
    assert.match(dry.stdout, /Nothing was changed\. Run again with --yes to apply\./);
    const ns = getObject(sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, 'istio-system');
    assert.equal(ns.metadata.labels?.['topology.istio.io/network'], 'west-network');

    const applied = await runCli([...args, '--yes'], env);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /applied {3}cluster-west {2}Namespace istio-system/);
    assert.match(
      applied.stdout,
      /kubectl --context cluster-west label namespace istio-system topology\.istio\.io\/network=west-network --overwrite/,
    );

    const findings = (await onceFindings(sim, env)).filter((f) => f.check === 'MC-NET-001' && f.contexts.includes('cluster-west'));
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'fail'),
      [],
      'MC-NET-001 no longer fails in cluster-west',
    );
    assert.deepEqual(
      (await auditLines(stateDir)).map((e) => `${e.phase} ${e.result}`),
      ['dry-run accepted', 'dry-run accepted', 'apply applied'],
    );

    // Run again: nothing left to do, still exit 0.
    const again = await runCli([...args, '--yes'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to change/);
  });
});

test('act delete-stale-workloadentries --yes deletes both stale entries and --once sees MC-WE-001 pass', async () => {
  await withScenario('stale-autogenflat', async (sim, env) => {
    const result = await runCli(
      ['act', 'delete-stale-workloadentries', '--kubeconfig', sim.kubeconfigPath, '--context', 'cluster-east', '--yes'],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /- delete WorkloadEntry istio-system\/autogenflat\.west\.bookinfo\.reviews-7d9c6b4f8b-x2x7k\.29b5948be416/);
    assert.match(result.stdout, /because cluster-west: Pod bookinfo\/reviews-7d9c6b4f8b-x2x7k NotFound/);
    assert.equal(result.stdout.match(/applied {3}cluster-east {2}WorkloadEntry/g)?.length, 2);
    assert.match(result.stdout, /no undo\. istiod regenerates/);
    const findings = (await onceFindings(sim, env)).filter((f) => f.check === 'MC-WE-001' && f.contexts.includes('cluster-east'));
    assert.ok(findings.length > 0);
    assert.ok(
      findings.every((f) => f.severity === 'pass'),
      JSON.stringify(findings),
    );
  });
});

test('act tells a user who may not patch namespaces what is missing, changes nothing, exit 4', async () => {
  await withScenario('network-mismatch', async (sim, env, stateDir) => {
    sim.sim.cluster('cluster-west').faults.forbid('admin', { verb: 'patch', resource: 'namespaces', group: '' });
    const result = await runCli(
      ['act', 'relabel-network', '--kubeconfig', sim.kubeconfigPath, '--context', 'cluster-west', '--network', 'west-net', '--yes'],
      env,
    );
    assert.equal(result.code, 4, result.stdout + result.stderr);
    assert.match(result.stdout, /Missing permissions \(nothing was dry-run or changed\):\n {2}cluster-west: cannot patch namespaces/);
    const ns = getObject(sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, 'istio-system');
    assert.equal(ns.metadata.labels?.['topology.istio.io/network'], 'west-network');
    assert.deepEqual(
      (await auditLines(stateDir)).map((e) => `${e.phase} ${e.result}`),
      ['permission refused'],
    );
  });
});

test('act usage errors exit 2 without touching any cluster', async () => {
  const cases: [string[], RegExp][] = [
    [['act'], /name the action/],
    [['act', 'fix-everything', '--context', 'x'], /unknown action "fix-everything"/],
    [['act', 'relabel-network', '--context', 'x'], /--network NAME is required/],
    [['act', 'relabel-network', '--network', 'n'], /--context NAME is required/],
    [['act', 'relabel-network', '--context', 'x', '--network', 'n', '--dry-run', '--yes'], /--dry-run or --yes, not both/],
    [['act', 'relabel-network', '--context', 'x', '--network', 'n', '--read-only'], /--read-only forbids every change/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});
