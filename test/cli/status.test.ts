import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';

describe('mesh-tui status', () => {
  let sim: TestSimulator | undefined;
  before(async () => {
    sim = await startScenario('network-mismatch');
  });
  after(async () => {
    await sim?.stop();
  });

  it('shows every context ready with its cluster id, proxies and the log signature that explains the fault', async () => {
    const r = await runCli(['status', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '60']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^cluster-east +east +ready +(\d+)\/\1 +[1-9]\d* +\d+\/\d+ +0$/m);
    assert.match(r.stdout, /^cluster-west +west +ready +(\d+)\/\1 +[1-9]\d* +\d+\/\d+ +[1-9]\d*$/m);
    assert.match(r.stdout, /Destination in 240\.240\.0\.0\/16 \[MC-NET-001\]/);
  });

  it('reports a dead cluster as unreachable, prints the others, and exits 3', async () => {
    await sim!.sim.cluster('cluster-west').faults.setUnreachable(true);
    try {
      const r = await runCli(['status', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '20', '--output', 'json']);
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout) as { contexts: { context: string; status: string }[] };
      const byName = new Map(report.contexts.map((c) => [c.context, c.status]));
      assert.equal(byName.get('cluster-east'), 'ready');
      assert.match(byName.get('cluster-west') ?? '', /^unreachable/);
    } finally {
      await sim!.sim.cluster('cluster-west').faults.setUnreachable(false);
    }
  });

  it('selects one context with --context', async () => {
    const r = await runCli([
      'status',
      '--kubeconfig',
      sim!.kubeconfigPath,
      '--context',
      'cluster-east',
      '--output',
      'json',
      '--timeout',
      '60',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { contexts: { context: string }[] };
    assert.deepEqual(
      report.contexts.map((c) => c.context),
      ['cluster-east'],
    );
  });

  it('names the missing context and exits 2', async () => {
    const r = await runCli(['status', '--kubeconfig', sim!.kubeconfigPath, '--context', 'nosuch']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /context "nosuch" not found/);
    assert.match(r.stderr, /cluster-east, cluster-west/);
  });

  it('names a kubeconfig that does not exist and exits 2', async () => {
    const r = await runCli(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/nonexistent\/kubeconfig/);
  });
});

describe('mesh-tui status as a restricted user', () => {
  let sim: TestSimulator | undefined;
  before(async () => {
    sim = await startScenario('forbidden');
  });
  after(async () => {
    await sim?.stop();
  });

  it('says which reads are forbidden, never pretends they passed, and exits 3', async () => {
    const r = await runCli(['status', '--kubeconfig', sim!.kubeconfigPath, '--timeout', '60']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^cluster-east +east +degraded: forbidden on pods\/log/m);
    assert.match(r.stdout, /syncz \(istiod-\S+\): unknown — .*forbidden.*pods\/portforward/);
    assert.doesNotMatch(r.stdout, /^ {2}syncz \(.*\): \d+ proxies/m);
  });
});
