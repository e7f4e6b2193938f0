// A plain HTTP server that routes the two pod paths to PodServices, standing in for the
// simulated API server so the pod handlers can be tested on their own, with real clients.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { PodServices, type PodServicesOptions } from '../../../src/sim/pod/podServices.ts';
import type { KubeObject } from '../../../src/sim/api/types.ts';
import type { ClusterView, IstiodDebugSource } from '../../../src/sim/scenario/model.ts';

const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|portforward)$/;

export function pod(
  namespace: string,
  name: string,
  containers: string[],
  extra: Partial<KubeObject> = {},
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: `example/${c}` })) },
    status: { phase: 'Running' },
    ...extra,
  };
}

export const emptyView: ClusterView = {
  context: 'test',
  list: () => [],
  peer: () => undefined,
};

export const noDebug: IstiodDebugSource = {
  syncz: () => [],
  license: () => undefined,
  clusterz: () => [],
};

export interface Harness {
  url: string;
  services: PodServices;
  kubeConfig: KubeConfig;
  close(): Promise<void>;
}

export async function startHarness(pods: KubeObject[], options: Partial<PodServicesOptions>): Promise<Harness> {
  const services = new PodServices({ scripts: [], istiodDebug: noDebug, view: emptyView, ...options });
  const find = (req: IncomingMessage): { pod: KubeObject; query: URLSearchParams; kind: string } | undefined => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = POD_PATH.exec(url.pathname);
    if (!match) return undefined;
    const found = pods.find((p) => p.metadata.namespace === match[1] && p.metadata.name === match[2]);
    return found && match[3] ? { pod: found, query: url.searchParams, kind: match[3] } : undefined;
  };
  const server: Server = createServer((req, res) => {
    const target = find(req);
    if (!target || target.kind !== 'log') {
      res.writeHead(404).end();
      return;
    }
    services.log(req, res, target.pod, target.query);
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    const target = find(req);
    if (!target || target.kind !== 'portforward') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    services.portForward(req, socket, head, target.pod, target.query);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'tester' }],
    currentContext: 'sim',
  });
  return {
    url,
    services,
    kubeConfig,
    async close() {
      services.close();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
