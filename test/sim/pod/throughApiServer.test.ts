// The pod services wired into the simulated HTTPS API server (auth, pod lookup), reached the way
// the product and on-call engineers reach them: client-node's Log and PortForward, and kubectl.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { KubeConfig, Log, PortForward } from '@kubernetes/client-node';
import { issueServingPair } from '../../../src/sim/pki.ts';
import { RESOURCE_TYPES, ResourceRegistry } from '../../../src/sim/api/resources.ts';
import { ObjectStore } from '../../../src/sim/api/objectStore.ts';
import { FaultController } from '../../../src/sim/api/faults.ts';
import { SimApiServer } from '../../../src/sim/api/server.ts';
import { PodServices } from '../../../src/sim/pod/podServices.ts';
import { writeKubeconfig } from '../../../src/sim/kubeconfig.ts';
import type { GeneratedCluster } from '../../../src/sim/scenario/model.ts';
import { kubectl } from '../../helpers/kubectl.ts';
import { pod } from './podHarness.ts';

const TOKEN = 'pod-test-admin-token';

const spec: GeneratedCluster = {
  context: 'cluster-west',
  clusterId: 'cluster-west',
  network: 'net-west',
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' }, spec: {}, status: { phase: 'Active' } },
    pod('istio-system', 'istiod-5d8f9c7b6-abcde', ['discovery', 'istio-proxy'], {}, { app: 'istiod' }),
    pod('istio-system', 'ztunnel-q7r8s', ['istio-proxy'], {}, { app: 'ztunnel' }),
  ],
  crdsMissing: [],
  users: [{ name: 'admin', token: TOKEN, forbidden: [] }],
  logs: [
    {
      namespace: 'istio-system',
      pod: 'ztunnel-q7r8s',
      container: 'istio-proxy',
      history: [
        { ageSeconds: 30, text: 'ztunnel started' },
        { ageSeconds: 5, text: 'xds connected' },
      ],
      // A real second passes before the live line: the follow test waits for it, it does not time it.
      live: [{ everySeconds: 1, text: 'live tick' }],
    },
    {
      namespace: 'istio-system',
      pod: 'istiod-5d8f9c7b6-abcde',
      container: 'discovery',
      history: [{ ageSeconds: 1, text: 'istiod ready' }],
      live: [],
    },
  ],
  istiodDebug: {
    syncz: (view, istiod) => [{ cluster_id: view.context, proxy: 'ztunnel-q7r8s.istio-system', proxy_type: 'ztunnel', istiod }],
    license: () => ({ State: 'OK', Product: 'GlooMesh' }),
    clusterz: () => [],
  },
  faults: [],
};

describe('pod services through the simulated API server', () => {
  let server: SimApiServer;
  let services: PodServices;
  let kc: KubeConfig;
  let dir: string;
  let kubeconfigPath: string;

  before(async () => {
    const { ca, serving } = issueServingPair('pod-test');
    const registry = new ResourceRegistry(RESOURCE_TYPES, spec.crdsMissing);
    const store = new ObjectStore(registry);
    store.seed(spec.objects);
    services = new PodServices({
      scripts: spec.logs,
      istiodDebug: spec.istiodDebug,
      view: { context: spec.context, list: () => [], peer: () => undefined },
    });
    server = new SimApiServer({
      name: spec.context,
      tls: { certPem: serving.certPem, keyPem: serving.keyPem },
      registry,
      store,
      users: spec.users,
      faults: new FaultController(),
      pods: services,
    });
    await server.listen();
    const cluster = { url: server.url, caPem: ca.certPem };
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'west', server: cluster.url, caData: Buffer.from(cluster.caPem).toString('base64') }],
      users: [{ name: 'admin', token: TOKEN }],
      contexts: [{ name: 'west', cluster: 'west', user: 'admin' }],
      currentContext: 'west',
    });
    dir = mkdtempSync(join(tmpdir(), 'mesh-tui-pod-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    await writeKubeconfig(kubeconfigPath, [{ context: 'west', server: cluster.url, caPem: cluster.caPem, user: 'admin', token: TOKEN }]);
  });

  after(async () => {
    services.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('client-node’s Log follows a container: history first, then live lines', async () => {
    const out = new PassThrough();
    let text = '';
    const seen = new Promise<void>((resolve) => {
      out.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('live tick')) resolve();
      });
    });
    // limitBytes ends the stream server-side once the live line is in, so nothing is left open.
    const limit = Buffer.byteLength('ztunnel started\nxds connected\nlive tick\n');
    await new Log(kc).log('istio-system', 'ztunnel-q7r8s', 'istio-proxy', out, { follow: true, limitBytes: limit });
    await seen;
    assert.equal(text, 'ztunnel started\nxds connected\nlive tick\n');
  });

  it('client-node’s PortForward reaches istiod’s /debug/syncz', async () => {
    const output = new PassThrough();
    const input = new PassThrough();
    let response = '';
    const complete = new Promise<void>((resolve) => {
      output.on('data', (chunk: Buffer) => {
        response += chunk.toString();
        if (response.includes(']')) resolve();
      });
    });
    const result = await new PortForward(kc).portForward('istio-system', 'istiod-5d8f9c7b6-abcde', [15014], output, null, input);
    if (typeof result === 'function') throw new Error('expected a WebSocket');
    input.write('GET /debug/syncz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await complete;
    const closed = new Promise((resolve) => result.addEventListener('close', resolve));
    result.close();
    await closed;
    const body = response.slice(response.indexOf('\r\n\r\n') + 4);
    assert.match(response, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(response, /\r\nContent-Type: application\/json\r\n/);
    assert.match(response, /\r\nContent-Length: \d+\r\n/, 'istiod (Go) sends small bodies with a length, not chunked');
    assert.deepEqual(JSON.parse(body), [
      { cluster_id: 'cluster-west', proxy: 'ztunnel-q7r8s.istio-system', proxy_type: 'ztunnel', istiod: 'istiod-5d8f9c7b6-abcde' },
    ]);
  });

  it('kubectl logs reads a container and reports the apiserver’s container errors', async () => {
    const tail = await kubectl(kubeconfigPath, ['logs', '-n', 'istio-system', 'ztunnel-q7r8s', '--tail=1']);
    assert.equal(tail.code, 0, tail.stderr);
    assert.match(tail.stdout, /^(xds connected|live tick)\n$/);
    const chosen = await kubectl(kubeconfigPath, ['logs', '-n', 'istio-system', 'istiod-5d8f9c7b6-abcde', '-c', 'discovery']);
    assert.equal(chosen.stdout, 'istiod ready\n');
    const unknown = await kubectl(kubeconfigPath, ['logs', '-n', 'istio-system', 'istiod-5d8f9c7b6-abcde', '-c', 'nope']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /container nope is not valid for pod istiod-5d8f9c7b6-abcde/);
    // -f with no history streams until the byte limit is reached: exactly the next live line.
    const followed = await kubectl(kubeconfigPath, [
      'logs',
      '-f',
      '-n',
      'istio-system',
      'ztunnel-q7r8s',
      '--tail=0',
      `--limit-bytes=${Buffer.byteLength('live tick\n')}`,
    ]);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'live tick\n');
    const previous = await kubectl(kubeconfigPath, ['logs', '-n', 'istio-system', 'ztunnel-q7r8s', '--previous']);
    assert.notEqual(previous.code, 0);
    assert.match(previous.stderr, /previous terminated container "istio-proxy" in pod "ztunnel-q7r8s" not found/);
  });
});
