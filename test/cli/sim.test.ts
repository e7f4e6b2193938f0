import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
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
    for (const name of ['healthy', 'healthy-3', 'network-mismatch', 'stale-autogenflat', 'peer-disconnected', 'root-ca-mismatch',
      'eastwest-no-address', 'ztunnel-crashloop', 'license-invalid', 'env-incompatible', 'dns-capture-off', 'asymmetric-link', 'forbidden']) {
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

  it('names the file, the path inside it and the problem for a bad scenario file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-sim-bad-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: broken\nsummary: x\nclusters:\n  - context: a\n    clusterId: a\n    network: n\n    eastWest:\n      addressType: Foo\n');
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
