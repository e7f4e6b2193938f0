import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';

describe('mesh-tui sim', () => {
  it('lists the built-in scenarios with their root cause', async () => {
    const r = await runCli(['scenarios']);
    assert.equal(r.code, 0);
    for (const name of [
      'healthy',
      'healthy-3',
      'network-mismatch',
      'stale-autogenflat',
      'peer-disconnected',
      'root-ca-mismatch',
      'eastwest-no-address',
      'ztunnel-crashloop',
      'license-invalid',
      'env-incompatible',
      'dns-capture-off',
      'asymmetric-link',
      'remote-gateway-stale-address',
      'select-workload-entries-false',
      'forbidden',
    ]) {
      assert.match(r.stdout, new RegExp(`^${name} +\\S`, 'm'), `scenario ${name} listed with a summary`);
    }
    const json = await runCli(['scenarios', '--output', 'json']);
    const parsed = JSON.parse(json.stdout) as { name: string; summary: string }[];
    assert.ok(parsed.every((s) => s.summary.length > 0));
  });

  it('serves a scenario that kubectl can use, and removes its kubeconfig on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const { child, line } = await startCli(['sim', '--scenario', 'healthy', '--kubeconfig-out', kubeconfig], /^ready /);
    try {
      const [, path, contexts] = line.split(' ');
      assert.equal(path, kubeconfig);
      const names = (contexts ?? '').split(',');
      assert.equal(names.length, 2);
      assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);

      const first = names[0] ?? '';
      const pods = await kubectl(kubeconfig, ['--context', first, 'get', 'pods', '-A']);
      assert.equal(pods.code, 0, pods.stderr);
      assert.match(pods.stdout, /istio-system +istiod-\S+ +1\/1 +Running/);
      assert.match(pods.stdout, /ztunnel-\S+ +1\/1 +Running/);

      const gateways = await kubectl(kubeconfig, ['--context', first, 'get', 'gateways.gateway.networking.k8s.io', '-A', '-o', 'yaml']);
      assert.equal(gateways.code, 0, gateways.stderr);
      assert.match(gateways.stdout, /gatewayClassName: istio-eastwest/);
      assert.match(gateways.stdout, /type: gloo.solo.io\/PeerConnected/);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 0);
      assert.equal(existsSync(kubeconfig), false, 'kubeconfig removed on exit');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite an existing file (it may be a real kubeconfig) and leaves it untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-existing-'));
    const precious = join(dir, 'config');
    const contents = "apiVersion: v1\nkind: Config\n# the on-call engineer's real contexts\n";
    await writeFile(precious, contents, { mode: 0o600 });
    const before = await stat(precious);
    try {
      const r = await runCli(['sim', '--scenario', 'healthy', '--kubeconfig-out', precious]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `mesh-tui: sim: ${precious} already exists; give a new path, or --force to replace it\n`);
      assert.equal(await readFile(precious, 'utf8'), contents);
      assert.equal((await stat(precious)).mtimeMs, before.mtimeMs);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--force replaces an existing file and leaves it in place on exit: only a file it created is removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-force-'));
    const existing = join(dir, 'config');
    await writeFile(existing, 'old contents\n');
    try {
      const { child, stderr } = await startCli(['sim', '--scenario', 'healthy', '--kubeconfig-out', existing, '--force'], /^ready /);
      assert.match(await readFile(existing, 'utf8'), /kind: Config/);
      assert.equal((await stat(existing)).mode & 0o777, 0o600);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 0);
      assert.match(stderr(), /replaced .*config \(--force\); it is left in place on exit/);
      assert.equal(existsSync(existing), true, 'a file the simulator did not create is not removed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on exit removes the file it created, but not a file put at that path since', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-replaced-'));
    const out = join(dir, 'kubeconfig');
    try {
      const { child } = await startCli(['sim', '--scenario', 'healthy', '--kubeconfig-out', out], /^ready /);
      // The user saves something else under the same name while the simulator runs.
      await rm(out);
      await writeFile(out, "the user's own file\n");
      child.kill('SIGINT');
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 0);
      assert.equal(await readFile(out, 'utf8'), "the user's own file\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits on the first SIGTERM while clients hold connections to a cluster that went unreachable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-unreachable-'));
    const scenario = join(dir, 'west-down.yaml');
    const out = join(dir, 'kubeconfig');
    await writeFile(
      scenario,
      `name: west-down
summary: cluster-west goes away a moment after start
clusters:
  - { context: cluster-east, clusterId: east, network: east-net, peers: [cluster-west] }
  - { context: cluster-west, clusterId: west, network: west-net, peers: [cluster-east], faults: [{ kind: unreachable, afterSeconds: 1 }] }
`,
    );
    try {
      const { child } = await startCli(['sim', '--scenario-file', scenario, '--kubeconfig-out', out], /^ready /);
      // A live client (watches, log follows, port-forwards) on both clusters while west goes down.
      const client = await startCli(['status', '--kubeconfig', out, '--timeout', '30'], /CONTEXT/).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      child.kill('SIGTERM');
      const exited = once(child, 'close') as Promise<[number | null]>;
      const late = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
      const outcome = await Promise.race([exited, late]);
      client?.child.kill('SIGKILL');
      if (outcome === 'still running') child.kill('SIGKILL');
      assert.notEqual(outcome, 'still running', 'the simulator still runs 10 s after SIGTERM');
      assert.equal(outcome[0], 0);
      assert.equal(existsSync(out), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file, the path inside it and the problem for a bad scenario file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-bad-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'name: broken\nsummary: x\nclusters:\n  - context: a\n    clusterId: a\n    network: n\n    eastWest:\n      addressType: Foo\n',
    );
    try {
      const r = await runCli(['sim', '--scenario-file', file, '--kubeconfig-out', join(dir, 'k')]);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(file), r.stderr);
      assert.match(r.stderr, /clusters\[0\]\.eastWest\.addressType/);
      assert.match(r.stderr, /Foo/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says which scenario is unknown', async () => {
    const r = await runCli(['sim', '--scenario', 'no-such-thing', '--kubeconfig-out', '/tmp/never']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-thing/);
  });
});
