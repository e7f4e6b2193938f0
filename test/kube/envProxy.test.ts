import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { CoreV1Api } from '@kubernetes/client-node';
import { proxyFromEnvironment } from '../../src/kube/envProxy.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { namespaceList, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';

describe("proxy from the environment, with Go's rules as kubectl applies them", () => {
  it('uses HTTPS_PROXY (or https_proxy) for https servers and HTTP_PROXY for http ones', () => {
    assert.equal(proxyFromEnvironment('https://api.example.com:6443', { HTTPS_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
    assert.equal(proxyFromEnvironment('https://api.example.com', { https_proxy: 'proxy:3128' }), 'http://proxy:3128');
    assert.equal(proxyFromEnvironment('https://api.example.com', { HTTP_PROXY: 'http://p:1' }), undefined);
    assert.equal(proxyFromEnvironment('http://api.example.com', { HTTP_PROXY: 'http://p:1' }), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://api.example.com', {}), undefined);
  });

  it('never proxies localhost or loopback', () => {
    const env = { HTTPS_PROXY: 'http://p:1' };
    assert.equal(proxyFromEnvironment('https://127.0.0.1:6443', env), undefined);
    assert.equal(proxyFromEnvironment('https://localhost:6443', env), undefined);
    assert.equal(proxyFromEnvironment('https://[::1]:6443', env), undefined);
  });

  it('honours NO_PROXY names, domain suffixes, IPs, CIDRs, ports and *', () => {
    const env = (noProxy: string): Record<string, string> => ({ HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy });
    assert.equal(proxyFromEnvironment('https://api.example.com', env('example.com')), undefined);
    assert.equal(proxyFromEnvironment('https://example.com', env('example.com')), undefined);
    assert.equal(proxyFromEnvironment('https://api.example.com', env('.example.com')), undefined);
    assert.equal(proxyFromEnvironment('https://example.com', env('.example.com')), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://notexample.com', env('example.com')), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://10.1.2.3:6443', env('10.0.0.0/8')), undefined);
    assert.equal(proxyFromEnvironment('https://11.1.2.3:6443', env('10.0.0.0/8')), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://10.1.2.3:6443', env('10.1.2.3')), undefined);
    assert.equal(proxyFromEnvironment('https://api.example.com:6443', env('api.example.com:443')), 'http://p:1');
    assert.equal(proxyFromEnvironment('https://api.example.com:6443', env('api.example.com:6443')), undefined);
    assert.equal(proxyFromEnvironment('https://anything', env('*')), undefined);
  });

  it('a proxy-url in the kubeconfig wins over the environment', () => {
    const tmp = makeTempDir();
    try {
      const file = tmp.writeKubeconfig('config', {
        clusters: [
          { name: 'a', cluster: { server: 'https://a.example', 'proxy-url': 'http://kubeconfig-proxy:1' } },
          { name: 'b', cluster: { server: 'https://b.example' } },
        ],
        contexts: [
          { name: 'a', context: { cluster: 'a' } },
          { name: 'b', context: { cluster: 'b' } },
        ],
      });
      const loaded = loadKubeconfig({ kubeconfigPath: file, env: { HTTPS_PROXY: 'http://env-proxy:2' } });
      assert.deepEqual(
        loaded.contexts.map((c) => c.cluster.proxyUrl),
        ['http://kubeconfig-proxy:1', 'http://env-proxy:2'],
      );
    } finally {
      tmp.remove();
    }
  });

  describe('end to end through a CONNECT proxy', () => {
    let apiServer: LoopbackApiServer;
    let proxy: http.Server;
    let proxyUrl: string;
    const connects: string[] = [];
    const sockets = new Set<net.Socket>();
    let tmp: TempDir;

    before(async () => {
      apiServer = await startLoopbackApiServer((_request, response) => sendJson(response, 200, namespaceList('via-proxy')), {
        name: 'proxied',
      });
      // Sends every CONNECT to the API server, whatever host it names: "kubernetes" does not resolve here.
      proxy = http.createServer((_request, response) => response.writeHead(405).end());
      proxy.on('connect', (request: http.IncomingMessage, client: net.Socket) => {
        connects.push(request.url ?? '');
        const upstream = net.connect(apiServer.port, '127.0.0.1', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      tmp = makeTempDir();
    });
    after(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await apiServer.close();
      tmp.remove();
    });

    it('requests to a cluster without proxy-url go through HTTPS_PROXY, over the shared pool', async () => {
      const server = `https://kubernetes:${apiServer.port}`;
      const file = tmp.writeKubeconfig('proxied.yaml', tokenKubeconfig('proxied', server, apiServer.caData, 'tok'));
      const [resolved] = loadKubeconfig({ kubeconfigPath: file, env: { HTTPS_PROXY: proxyUrl } }).contexts;
      assert.ok(resolved);
      const client = new ContextClient(resolved);
      try {
        const api = client.makeApi(CoreV1Api);
        assert.equal((await api.listNamespace()).items[0]?.metadata?.name, 'via-proxy');
        assert.equal((await api.listNamespace()).items[0]?.metadata?.name, 'via-proxy');
        assert.ok(connects.length >= 1);
        assert.ok(connects.every((target) => target === `kubernetes:${apiServer.port}`));
        assert.ok(apiServer.requests.every((r) => r.authorization === 'Bearer tok'));
      } finally {
        await client.close();
      }
    });
  });
});
