// Why contextDispatcher.ts exists: client-node 2 opens a new TLS connection for every request
// (reference/client-node.md §2.3). Our per-context client must reuse one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { namespaceList, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';

describe('connections per context', () => {
  let server: LoopbackApiServer;
  let tmp: TempDir;
  let file: string;

  before(async () => {
    server = await startLoopbackApiServer((_request, response) => sendJson(response, 200, namespaceList('only')), { name: 'reuse' });
    tmp = makeTempDir();
    file = tmp.writeKubeconfig('config', tokenKubeconfig('reuse', server.url, server.caData, 'tok'));
  });
  after(async () => {
    await server.close();
    tmp.remove();
  });

  it("API calls and raw requests reuse the context's pooled TLS connections instead of one per call", async () => {
    const [resolved] = loadKubeconfig({ kubeconfigPath: file }).contexts;
    assert.ok(resolved);
    const client = new ContextClient(resolved);
    try {
      const api = client.makeApi(CoreV1Api);
      // undici hands a connection back to its pool a tick after the body ends, so a tight loop
      // may open a second one right at the start; after that warm-up nothing new is opened.
      const before = server.tlsConnections();
      await api.listNamespace();
      await client.getJson('/api/v1/namespaces');
      const warm = server.tlsConnections();
      assert.ok(warm - before <= 2, `warm-up opened ${warm - before} connections`);
      for (let i = 0; i < 10; i += 1) await api.listNamespace();
      for (let i = 0; i < 10; i += 1) await client.getJson('/api/v1/namespaces');
      assert.equal(server.tlsConnections(), warm, '20 more calls opened no new connection');
    } finally {
      await client.close();
    }
  });

  // The premise of contextDispatcher.ts, held as a fact: when a client-node release starts
  // reusing connections by itself, this fails and says the workaround may go.
  it('plain client-node makeApiClient opens a new TLS connection for every call (why contextDispatcher.ts exists)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const before = server.tlsConnections();
    const api = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 10; i += 1) await api.listNamespace();
    assert.equal(server.tlsConnections() - before, 10, 'one connection per call');
  });
});
