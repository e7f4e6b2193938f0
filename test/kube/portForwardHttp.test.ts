// An HTTP GET over pods/portforward against the simulator: what the caller gets back for a
// working istiod debug endpoint, a missing endpoint, a refused port inside the pod, an RBAC
// refusal of the upgrade, a missing pod and a stalled API server; and the response reader on
// the byte shapes servers send (Content-Length, chunked, read-to-close, garbage, too big).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { HttpResponseReader, portForwardHttpGet, type PodHttpResult } from '../../src/kube/portForwardHttp.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';

const EAST = 'cluster-east';

function expectOk(result: PodHttpResult): Extract<PodHttpResult, { ok: true }>['response'] {
  if (!result.ok) assert.fail(`expected a response, got ${result.error.kind}: ${result.error.message}`);
  return result.response;
}

function expectError(result: PodHttpResult): Extract<PodHttpResult, { ok: false }>['error'] {
  if (result.ok) assert.fail(`expected an error, got HTTP ${result.response.statusCode}`);
  return result.error;
}

describe('portForwardHttpGet against the simulator', () => {
  let t: TestSimulator;
  let client: ContextClient;
  let istiodPod: string;
  let user: string;

  before(async () => {
    t = await startScenario('healthy');
    const clients = createContextClients(loadKubeconfig({ kubeconfigPath: t.kubeconfigPath, context: EAST }));
    client = clients.get(EAST) ?? assert.fail('no client for cluster-east');
    const pod = t.sim
      .cluster(EAST)
      .list('v1', 'Pod', 'istio-system')
      .find((p) => p.metadata.labels?.app === 'istiod');
    istiodPod = pod?.metadata.name ?? assert.fail('no istiod pod in cluster-east');
    user = t.sim.cluster(EAST).kubeconfigUser().name;
  });
  after(async () => {
    await client.close();
    await t.stop();
  });

  const get = (path: string, extra: { pod?: string; port?: number; timeoutMs?: number } = {}): Promise<PodHttpResult> =>
    portForwardHttpGet(client.kubeConfig, {
      namespace: 'istio-system',
      pod: extra.pod ?? istiodPod,
      port: extra.port ?? 15014,
      path,
      ...(extra.timeoutMs !== undefined && { timeoutMs: extra.timeoutMs }),
    });

  it('reads istiod /debug/syncz: status, headers and the whole JSON body', async () => {
    const response = expectOk(await get('/debug/syncz'));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(Number(response.headers['content-length']), response.body.length);
    const syncz = JSON.parse(response.body.toString('utf8')) as { resources?: unknown[] };
    assert.ok(Array.isArray(syncz.resources) && syncz.resources.length > 0, 'syncz lists connected proxies');
  });

  it("returns istiod's own 404 for an endpoint it does not serve", async () => {
    const response = expectOk(await get('/debug/no-such-endpoint'));
    assert.equal(response.statusCode, 404);
    assert.equal(response.body.toString('utf8'), '404 page not found\n');
  });

  it('reports a refused port inside the pod from the error channel', async () => {
    const error = expectError(await get('/', { port: 15000 }));
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, /^cluster-east: port-forward to pod istio-system\/istiod-[^ ]+:15000 failed: error forwarding port 15000/);
    assert.match(error.message, /connection refused/);
  });

  it('reads the Status of a refused upgrade: forbidden names create on pods/portforward', async () => {
    t.sim.cluster(EAST).faults.forbid(user, { verb: 'create', resource: 'pods/portforward' });
    try {
      const error = expectError(await get('/debug/syncz'));
      assert.equal(error.kind, 'forbidden');
      assert.equal(error.statusCode, 403);
      assert.equal(error.forbidden?.verb, 'create');
      assert.equal(error.forbidden?.resource, 'pods/portforward');
      assert.match(error.message, /cannot create pods\/portforward in namespace "istio-system"/);
    } finally {
      t.sim.cluster(EAST).faults.allow(user, { verb: 'create', resource: 'pods/portforward' });
    }
    expectOk(await get('/debug/syncz'));
  });

  it('says which pod is missing', async () => {
    const error = expectError(await get('/debug/syncz', { pod: 'istiod-gone' }));
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /pods "istiod-gone" not found/);
  });

  it('times out when the API server does not answer the upgrade, and works again after', async () => {
    t.sim.cluster(EAST).faults.setLatency(1_500);
    try {
      const error = expectError(await get('/debug/syncz', { timeoutMs: 100 }));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /GET \/debug\/syncz on pod istio-system\/istiod-[^ ]+:15014 \(port-forward\) timed out/);
    } finally {
      t.sim.cluster(EAST).faults.setLatency(0);
    }
    expectOk(await get('/debug/clusterz'));
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const pending = portForwardHttpGet(client.kubeConfig, {
      namespace: 'istio-system',
      pod: istiodPod,
      port: 15014,
      path: '/debug/syncz',
      signal: controller.signal,
    });
    controller.abort();
    assert.equal(expectError(await pending).kind, 'aborted');
  });
});

describe('HttpResponseReader', () => {
  const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

  it('completes a Content-Length body only once every byte is in, split anywhere', () => {
    const reader = new HttpResponseReader(1024);
    assert.equal(reader.push(bytes('HTTP/1.1 200 OK\r\nContent-Le')).kind, 'partial');
    assert.equal(reader.push(bytes('ngth: 5\r\nX-A: 1\r\nX-A: 2\r\n\r\nhel')).kind, 'partial');
    const state = reader.push(bytes('lo'));
    assert.equal(state.kind, 'complete');
    if (state.kind !== 'complete') return;
    assert.equal(state.response.body.toString(), 'hello');
    assert.equal(state.response.headers['x-a'], '1, 2');
    assert.equal(state.response.statusText, 'OK');
  });

  it('decodes a chunked body with extensions and trailers', () => {
    const reader = new HttpResponseReader(1024);
    assert.equal(
      reader.push(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n')).kind,
      'partial',
    );
    assert.equal(reader.push(bytes('0\r\nX-Trailer: 1\r\n')).kind, 'partial');
    const state = reader.push(bytes('\r\n'));
    assert.equal(state.kind, 'complete');
    if (state.kind === 'complete') assert.equal(state.response.body.toString(), 'Wikipedia');
  });

  it('reads a body without length until the connection closes', () => {
    const reader = new HttpResponseReader(1024);
    assert.equal(reader.push(bytes('HTTP/1.0 200 OK\r\n\r\n[1,2')).kind, 'partial');
    assert.equal(reader.push(bytes(']')).kind, 'partial');
    const state = reader.finishAtClose();
    assert.equal(state.kind, 'complete');
    if (state.kind === 'complete') assert.equal(state.response.body.toString(), '[1,2]');
  });

  it('refuses garbage, a truncated body and a body over the limit', () => {
    const garbage = new HttpResponseReader(1024).push(bytes('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    assert.deepEqual(garbage, { kind: 'error', message: 'not an HTTP response (starts with "SSH-2.0-OpenSSH_9.6")' });

    const cut = new HttpResponseReader(1024);
    cut.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    assert.deepEqual(cut.finishAtClose(), {
      kind: 'error',
      message: 'connection closed before the response body was complete (3 bytes read)',
    });

    const big = new HttpResponseReader(4).push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'));
    assert.deepEqual(big, { kind: 'error', message: 'response body of 5 bytes is larger than the 4-byte limit' });

    const bigChunks = new HttpResponseReader(4).push(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\n'));
    assert.deepEqual(bigChunks, { kind: 'error', message: 'response body is larger than the 4-byte limit' });
  });
});
