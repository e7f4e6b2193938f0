// kubectl 1.20 against the simulator, through a kubeconfig the harness writes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubectl, kubectlPath } from '../../helpers/kubectl.ts';
import { startHarness, VIEWER_TOKEN, type Harness } from './harness.ts';

describe('kubectl against the simulated apiserver', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('get pods -A prints the server-side table', async () => {
    const r = await kubectl(h.kubeconfigPath, ['get', 'pods', '-A']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(r.stdout, /istio-system\s+istiod-7d4b9c6f5-abcde\s+1\/1\s+Running\s+0\s+3h/);
    assert.match(r.stdout, /bookinfo\s+productpage-v1-6b746f74dc-9x8y7\s+0\/1\s+Running/);
    assert.equal(lines.length, 5);
  });

  it('get gateways -A -o yaml prints the objects', async () => {
    const r = await kubectl(h.kubeconfigPath, ['get', 'gateways.gateway.networking.k8s.io', '-A', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kind: Gateway\n/);
    assert.match(r.stdout, /gatewayClassName: istio-eastwest/);
    assert.match(r.stdout, /value: 172\.18\.0\.10/);
  });

  it('get by short name shows the CRD printer columns', async () => {
    const r = await kubectl(h.kubeconfigPath, ['get', 'gtw', '-n', 'istio-eastwest']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\n/);
    assert.match(r.stdout, /istio-eastwest\s+istio-eastwest\s+172\.18\.0\.10\s+True\s+3h/);
  });

  it('label namespace --overwrite changes the stored label', async () => {
    const r = await kubectl(h.kubeconfigPath, ['label', 'namespace', 'bookinfo', 'topology.istio.io/network=net2', '--overwrite']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'namespace/bookinfo labeled');
    const ns = await h.kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name: 'bookinfo' });
    assert.equal(ns.metadata?.labels?.['topology.istio.io/network'], 'net2');
    assert.equal(ns.metadata?.labels?.['istio.io/dataplane-mode'], 'ambient');
  });

  it('delete workloadentry --dry-run=server reports success and keeps the object', async () => {
    const r = await kubectl(h.kubeconfigPath, ['delete', 'workloadentry', 'stale-peer-entry', '-n', 'istio-system', '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'workloadentry.networking.istio.io "stale-peer-entry" deleted (server dry run)');
    const still = await kubectl(h.kubeconfigPath, ['get', 'we', '-n', 'istio-system', '-o', 'name']);
    assert.equal(still.stdout.trim(), 'workloadentry.networking.istio.io/stale-peer-entry');
  });

  it('reports the real Forbidden and NotFound errors', async () => {
    const forbidden = await kubectl(h.kubeconfigFor(VIEWER_TOKEN), ['get', 'secrets', '-A']);
    assert.notEqual(forbidden.code, 0);
    assert.equal(
      forbidden.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope',
    );
    const missing = await kubectl(h.kubeconfigPath, ['get', 'pod', 'nope', '-n', 'default']);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
  });

  it('get --watch prints the list, then new rows as objects change', async () => {
    const child = spawn(kubectlPath(), ['--kubeconfig', h.kubeconfigPath, 'get', 'namespaces', '--watch'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const waitFor = (re: RegExp): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(out)) resolve();
        };
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          check();
        });
        child.once('exit', (code) => reject(new Error(`kubectl exited ${String(code)} before ${String(re)}: ${out}`)));
        check();
      });
    try {
      await waitFor(/kube-system\s+Active/);
      await h
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .createNamespace({ body: { metadata: { name: 'watched-ns' } } });
      await waitFor(/watched-ns\s+Active/);
      const lines = out.trim().split('\n');
      assert.match(lines[0]!, /^NAME\s+STATUS\s+AGE$/);
      assert.equal(lines.filter((l) => l.startsWith('NAME')).length, 1, 'one header');
    } finally {
      child.kill();
    }
  });
});
