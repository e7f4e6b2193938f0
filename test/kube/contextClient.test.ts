import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { withTimeout } from '../../src/kube/requestOptions.ts';
import { classifyError } from '../../src/kube/errors.ts';
import { failureStatus, namespaceList, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';

/** Answers as cluster `name`, only to `token`; /hang never answers; /stream sends two chunks. */
function clusterHandler(name: string, token: string): Parameters<typeof startLoopbackApiServer>[0] {
  return (request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      sendJson(response, 401, failureStatus(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (request.url?.startsWith('/hang')) return; // never answers; closed with the server
    if (request.url?.startsWith('/stream')) {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.write(`first line from ${name}\n`);
      setTimeout(() => response.end(`second line from ${name}\n`), 1500);
      return;
    }
    sendJson(response, 200, namespaceList(name));
  };
}

describe('ContextClient: one client per context', () => {
  let east: LoopbackApiServer;
  let west: LoopbackApiServer;
  let tmp: TempDir;
  let clients: Map<string, ContextClient>;
  const client = (name: string): ContextClient => {
    const found = clients.get(name);
    assert.ok(found, name);
    return found;
  };

  before(async () => {
    east = await startLoopbackApiServer(clusterHandler('east', 'east-token'), { name: 'east' });
    west = await startLoopbackApiServer(clusterHandler('west', 'west-token'), { name: 'west' });
    tmp = makeTempDir();
    const eastFile = tmp.writeKubeconfig('east.yaml', tokenKubeconfig('east', east.url, east.caData, 'east-token'));
    const westFile = tmp.writeKubeconfig('west.yaml', tokenKubeconfig('west', west.url, west.caData, 'west-token'));
    clients = createContextClients(loadKubeconfig({ env: { KUBECONFIG: `${eastFile}:${westFile}` } }), { requestTimeoutMs: 10_000 });
  });
  after(async () => {
    for (const each of clients.values()) await each.close();
    await east.close();
    await west.close();
    tmp.remove();
  });

  it('sends each context\'s requests to its own server with its own token, even interleaved', async () => {
    const eastApi = client('east').makeApi(CoreV1Api);
    const westApi = client('west').makeApi(CoreV1Api);
    const results = await Promise.all([
      eastApi.listNamespace(),
      westApi.listNamespace(),
      client('east').getJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces'),
      westApi.listNamespace(),
      eastApi.listNamespace(),
    ]);
    assert.deepEqual(
      results.map((list) => list.items[0]?.metadata?.name),
      ['east', 'west', 'east', 'west', 'east'],
    );
    assert.ok(east.requests.length >= 3 && west.requests.length >= 2);
    assert.ok(east.requests.every((r) => r.authorization === 'Bearer east-token'));
    assert.ok(west.requests.every((r) => r.authorization === 'Bearer west-token'));
    assert.ok(east.requests.every((r) => r.userAgent === 'mesh-tui'));
    assert.equal(client('east').server, east.url);
    assert.equal(client('west').name, 'west');
  });

  it('refuses to switch the context of its KubeConfig (client-node would send A\'s requests with B\'s token)', () => {
    assert.throws(() => client('east').kubeConfig.setCurrentContext('west'), /belongs to context "east"/);
    assert.deepEqual(client('east').kubeConfig.getContexts().map((c) => c.name), ['east']);
    assert.deepEqual(client('east').kubeConfig.getUsers().map((u) => u.name), ['east-user']);
  });

  it('times a generated call out with withTimeout, classified as a timeout', async () => {
    // Generated calls cannot target /hang, so use a server that never answers at all.
    const stalled = await startLoopbackApiServer(() => undefined, { name: 'stalled' });
    const file = tmp.writeKubeconfig('stalled.yaml', tokenKubeconfig('stalled', stalled.url, stalled.caData, 't'));
    const [stalledClient] = createContextClients(loadKubeconfig({ kubeconfigPath: file })).values();
    assert.ok(stalledClient);
    try {
      const error: unknown = await stalledClient.makeApi(CoreV1Api).listNamespace({}, withTimeout(300)).then(
        () => assert.fail('expected a timeout'),
        (caught: unknown) => caught,
      );
      const classified = classifyError(error, { context: 'stalled', action: 'list namespaces' });
      assert.equal(classified.kind, 'timeout');
      assert.equal(classified.message, 'stalled: list namespaces timed out');
    } finally {
      await stalledClient.close();
      await stalled.close();
    }
  });

  it('times a raw request out with timeoutMs', async () => {
    const error: unknown = await client('east').fetch('/hang', { timeoutMs: 300 }).then(
      () => assert.fail('expected a timeout'),
      (caught: unknown) => caught,
    );
    assert.equal(classifyError(error).kind, 'timeout');
  });

  it('streams a body past the timeout when stream: true (the timeout only covers headers)', async () => {
    const response = await client('west').fetch('/stream', { stream: true, timeoutMs: 1000 });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'first line from west\nsecond line from west\n');
  });

  it('close() cancels in-flight requests of that context only, and later requests fail at once', async () => {
    const tmpFile = tmp.writeKubeconfig('east-again.yaml', tokenKubeconfig('east', east.url, east.caData, 'east-token'));
    const [doomed] = createContextClients(loadKubeconfig({ kubeconfigPath: tmpFile })).values();
    assert.ok(doomed);
    const pending = doomed.fetch('/hang', { timeoutMs: 60_000 });
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => classifyError(error).kind,
    );
    // Wait until the server has the request, so the abort hits it in flight.
    while (!east.requests.some((r) => r.path === '/hang' && r.authorization === 'Bearer east-token')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await doomed.close();
    assert.equal(await outcome, 'aborted');
    assert.equal(classifyError(await doomed.getJson('/api/v1/namespaces').catch((e: unknown) => e)).kind, 'aborted');
    // The other clients are untouched.
    const list = await client('east').makeApi(CoreV1Api).listNamespace();
    assert.equal(list.items[0]?.metadata?.name, 'east');
  });
});
