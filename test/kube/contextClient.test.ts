import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net, { type AddressInfo, type Socket } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { withTimeout } from '../../src/kube/requestOptions.ts';
import { classifyError } from '../../src/kube/errors.ts';
import { failureStatus, namespaceList, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';
import { waitUntil } from '../helpers/waitFor.ts';

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

  it("sends each context's requests to its own server with its own token, even interleaved", async () => {
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

  it("refuses to switch the context of its KubeConfig (client-node would send A's requests with B's token)", () => {
    assert.throws(() => client('east').kubeConfig.setCurrentContext('west'), /belongs to context "east"/);
    assert.deepEqual(
      client('east')
        .kubeConfig.getContexts()
        .map((c) => c.name),
      ['east'],
    );
    assert.deepEqual(
      client('east')
        .kubeConfig.getUsers()
        .map((u) => u.name),
      ['east-user'],
    );
  });

  it('times a generated call out with withTimeout, classified as a timeout', async () => {
    // Generated calls cannot target /hang, so use a server that never answers at all.
    const stalled = await startLoopbackApiServer(() => undefined, { name: 'stalled' });
    const file = tmp.writeKubeconfig('stalled.yaml', tokenKubeconfig('stalled', stalled.url, stalled.caData, 't'));
    const [stalledClient] = createContextClients(loadKubeconfig({ kubeconfigPath: file })).values();
    assert.ok(stalledClient);
    try {
      const error: unknown = await stalledClient
        .makeApi(CoreV1Api)
        .listNamespace({}, withTimeout(300))
        .then(
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
    const error: unknown = await client('east')
      .fetch('/hang', { timeoutMs: 300 })
      .then(
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

describe('ContextClient: nothing outlives close()', () => {
  let tmp: TempDir;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.remove());

  it('close() destroys a connection that is still opening (the server accepted TCP and never answers)', async () => {
    const open = new Set<Socket>();
    const silent = net.createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
      socket.resume(); // reads the ClientHello and never answers it
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const file = tmp.writeKubeconfig(
        'silent.yaml',
        tokenKubeconfig('silent', `https://127.0.0.1:${port}`, Buffer.from('unused').toString('base64'), 't'),
      );
      const [doomed] = createContextClients(loadKubeconfig({ kubeconfigPath: file })).values();
      assert.ok(doomed);
      const outcome = doomed.fetch('/api/v1/pods', { stream: true }).then(
        () => 'answered',
        (error: unknown) => classifyError(error).kind,
      );
      await waitUntil(() => open.size > 0, { timeoutMs: 10_000, what: 'the client to connect' });
      await doomed.close();
      assert.equal(await outcome, 'aborted');
      // undici would otherwise keep the TLS handshake waiting for its 10 s connect timeout.
      await waitUntil(() => open.size === 0, { timeoutMs: 3_000, what: 'the half-open connection to be closed by the client' });
    } finally {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a request waiting for a hung exec plugin ends as soon as its caller gives up, and close() kills the plugin', async () => {
    const pidFile = join(tmp.dir, 'hung.pid');
    const plugin = tmp.write('bin/hung-plugin', `#!/bin/sh\necho $$ > "${pidFile}"\nsleep 60\n`, 0o755);
    const file = tmp.writeKubeconfig('hung.yaml', {
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin } } }],
      contexts: [{ name: 'hung', context: { cluster: 'c', user: 'u' } }],
    });
    const [client] = createContextClients(loadKubeconfig({ kubeconfigPath: file })).values();
    assert.ok(client);
    const caller = new AbortController();
    const outcome = client.fetch('/api/v1/pods', { signal: caller.signal, stream: true }).then(
      () => 'answered',
      (error: unknown) => classifyError(error).kind,
    );
    await waitUntil(() => existsSync(pidFile), { timeoutMs: 10_000, what: 'the plugin to start' });
    caller.abort(new DOMException('watch stopped', 'AbortError'));
    assert.equal(await outcome, 'aborted');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await client.close();
    await waitUntil(() => !alive(pid), { timeoutMs: 5_000, what: `plugin ${pid} to be killed` });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
