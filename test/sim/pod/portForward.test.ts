// Port-forward as client-node's PortForward (a real WebSocket client) sees it: istiod's debug
// endpoints on 15014, and the kubelet's refusal for any other pod or port.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { get } from 'node:http';
import { PassThrough } from 'node:stream';
import { PortForward } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { JsonValue } from '../../../src/sim/api/types.ts';
import type { ClusterView, IstiodDebugSource } from '../../../src/sim/scenario/model.ts';
import { pod, startHarness, type Harness } from './podHarness.ts';

const istiodPod = pod('istio-system', 'istiod-7c9f-xyz12', ['discovery'], {}, { app: 'istiod' });
const oldIstiod = pod('istio-system', 'istiod-old-abcde', ['discovery'], {}, { app: 'istiod' });
const ztunnelPod = pod('istio-system', 'ztunnel-abc12', ['istio-proxy'], {}, { app: 'ztunnel' });

/** Per-request content that depends on the current view and on which istiod is asked. */
let connectedZtunnels = ['ztunnel-abc12', 'ztunnel-def34'];
const source: IstiodDebugSource = {
  syncz: (view: ClusterView, istiod: string): JsonValue =>
    connectedZtunnels.map((name) => ({
      cluster_id: view.context,
      proxy: `${name}.istio-system`,
      proxy_type: 'ztunnel',
      istio_version: '1.28.2-solo',
      resources: { 'type.googleapis.com/istio.workload.Address': { sent: istiod, acked: istiod } },
    })),
  license: (_view, istiod) => (istiod === 'istiod-old-abcde' ? undefined : { State: 'OK', Product: 'GlooMesh' }),
  clusterz: (view) => [{ ID: view.context, SecretName: '', SyncStatus: 'synced' }],
};
const view: ClusterView = { context: 'cluster-east', list: () => [], peer: () => undefined };

/** PortForward returns a factory only when retrying; these tests never ask it to. */
function socketOf(result: WebSocket | (() => WebSocket | null)): WebSocket {
  if (typeof result === 'function') throw new Error('expected a WebSocket, not a retrying factory');
  return result;
}

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('port-forward', () => {
  let h: Harness;
  let local: Server;
  let localPort = 0;
  const sockets = new Set<Socket>();
  const websockets = new Set<{ close(): void }>();
  let target = { pod: istiodPod.metadata.name, port: 15014 };

  before(async () => {
    h = await startHarness([istiodPod, oldIstiod, ztunnelPod], { istiodDebug: source, view });
    // As the console will: one local listener, one PortForward WebSocket per accepted connection.
    local = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      void new PortForward(h.kubeConfig).portForward('istio-system', target.pod, [target.port], socket, null, socket).then((result) => {
        const ws = socketOf(result);
        websockets.add(ws);
        // client-node never ends the output when the server closes the WebSocket; the caller does.
        ws.addEventListener('close', () => socket.end());
      });
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    localPort = (local.address() as AddressInfo).port;
  });

  after(async () => {
    for (const ws of websockets) ws.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => local.close(() => resolve()));
    await h.close();
  });

  function httpGet(path: string): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port: localPort, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      }).on('error', reject);
    });
  }

  it('GET /debug/syncz over the forwarded stream returns what istiod reports now', async () => {
    target = { pod: istiodPod.metadata.name, port: 15014 };
    const reply = await httpGet('/debug/syncz');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json');
    const body = JSON.parse(reply.body) as { proxy: string; cluster_id: string; resources: Record<string, { sent: string }> }[];
    assert.deepEqual(
      body.map((e) => e.proxy),
      ['ztunnel-abc12.istio-system', 'ztunnel-def34.istio-system'],
    );
    assert.equal(body[0]?.cluster_id, 'cluster-east');
    assert.equal(body[0]?.resources['type.googleapis.com/istio.workload.Address']?.sent, 'istiod-7c9f-xyz12');

    connectedZtunnels = ['ztunnel-abc12'];
    const after = JSON.parse((await httpGet('/debug/syncz')).body) as unknown[];
    assert.equal(after.length, 1, 'syncz is computed per request');
  });

  it('?pretty indents like istiod; ?namespace filters by proxy namespace', async () => {
    target = { pod: istiodPod.metadata.name, port: 15014 };
    const pretty = await httpGet('/debug/syncz?pretty');
    assert.match(pretty.body, /^\[\n {4}\{\n {8}"cluster_id": "cluster-east",/);
    assert.deepEqual(JSON.parse((await httpGet('/debug/syncz?namespace=bookinfo')).body), []);
  });

  it('/debug/license and /debug/clusterz answer JSON; an istiod without the license endpoint answers 404', async () => {
    target = { pod: istiodPod.metadata.name, port: 15014 };
    assert.deepEqual(JSON.parse((await httpGet('/debug/license')).body), { State: 'OK', Product: 'GlooMesh' });
    assert.deepEqual(JSON.parse((await httpGet('/debug/clusterz')).body), [{ ID: 'cluster-east', SecretName: '', SyncStatus: 'synced' }]);
    const unknown = await httpGet('/debug/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body, '404 page not found\n');
    target = { pod: oldIstiod.metadata.name, port: 15014 };
    const old = await httpGet('/debug/license');
    assert.equal(old.status, 404);
    assert.equal(old.body, '404 page not found\n');
  });

  async function forwardError(podName: string, port: number): Promise<string> {
    const err = new PassThrough();
    let text = '';
    err.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const output = new PassThrough();
    const input = new PassThrough();
    const ws = socketOf(await new PortForward(h.kubeConfig).portForward('istio-system', podName, [port], output, err, input));
    await new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) resolve();
      else ws.addEventListener('close', () => resolve());
    });
    return text;
  }

  it('a port nothing listens on gets the kubelet’s error on the error channel, then the socket closes', async () => {
    const ztunnel = await forwardError('ztunnel-abc12', 15014);
    assert.match(
      ztunnel,
      /^error forwarding port 15014 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]+": failed to connect to localhost:15014 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:15014: connect: connection refused/,
    );
    const otherPort = await forwardError('istiod-7c9f-xyz12', 15010);
    assert.match(otherPort, /failed to connect to localhost:15010 inside namespace/);
  });

  it('the upgrade is refused without ports (400) and for a subprotocol the kubelet does not speak (403)', async () => {
    const statusOf = (url: string, protocols: string[]): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, protocols);
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => {});
      });
    const base = `${h.url.replace('http', 'ws')}/api/v1/namespaces/istio-system/pods/istiod-7c9f-xyz12/portforward`;
    assert.equal(await statusOf(base, ['v4.channel.k8s.io']), 400);
    assert.equal(await statusOf(`${base}?ports=15014`, ['v5.channel.k8s.io']), 403);
    assert.equal(await statusOf(`${base}?ports=15014`, ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 101);
  });

  it('forwards several ports on one socket: a channel pair per port, errors only on the failing port’s channel', async () => {
    const url = `${h.url.replace('http', 'ws')}/api/v1/namespaces/istio-system/pods/istiod-7c9f-xyz12/portforward?ports=15014,15010`;
    const ws = new WebSocket(url, ['v4.channel.k8s.io']);
    websockets.add(ws);
    const byChannel = new Map<number, Buffer[]>();
    ws.on('message', (data: Buffer) => {
      const channel = data[0] ?? -1;
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), data.subarray(1)]);
      if (channel === 0 && Buffer.concat(byChannel.get(0) ?? []).includes('GlooMesh')) ws.close();
    });
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /debug/license HTTP/1.1\r\nHost: localhost\r\n\r\n')]));
    await new Promise((resolve) => ws.on('close', resolve));
    // Opening frames: the port, little-endian, on each of the four channels.
    assert.deepEqual(byChannel.get(0)?.[0], Buffer.from([0xa6, 0x3a]));
    assert.deepEqual(byChannel.get(1)?.[0], Buffer.from([0xa6, 0x3a]));
    assert.deepEqual(byChannel.get(2)?.[0], Buffer.from([0xa2, 0x3a]));
    assert.deepEqual(byChannel.get(3)?.[0], Buffer.from([0xa2, 0x3a]));
    assert.equal(byChannel.get(1)?.length, 1, 'no error for the port that works');
    assert.match(byChannel.get(3)?.[1]?.toString() ?? '', /^error forwarding port 15010 to pod /);
    assert.match(Buffer.concat(byChannel.get(0)?.slice(1) ?? []).toString(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*"Product":"GlooMesh"/);
  });

  it('speaks the base64 variant of the channel protocol too', async () => {
    const url = `${h.url.replace('http', 'ws')}/api/v1/namespaces/istio-system/pods/istiod-7c9f-xyz12/portforward?ports=15014`;
    const ws = new WebSocket(url, ['v4.base64.channel.k8s.io']);
    websockets.add(ws);
    const frames: string[] = [];
    let response = '';
    const done = new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        frames.push(text);
        if (frames.length > 2 && text.startsWith('0')) response += Buffer.from(text.slice(1), 'base64').toString();
        if (response.includes('GlooMesh')) resolve();
      });
    });
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send('0' + Buffer.from('GET /debug/license HTTP/1.1\r\nHost: localhost\r\n\r\n').toString('base64'));
    await done;
    // Each channel opens with its port, 15014 little-endian, base64-encoded.
    assert.deepEqual(frames.slice(0, 2), [
      '0' + Buffer.from([0xa6, 0x3a]).toString('base64'),
      '1' + Buffer.from([0xa6, 0x3a]).toString('base64'),
    ]);
    assert.match(response, /^HTTP\/1\.1 200 OK\r\n/);
    ws.close();
  });
});
