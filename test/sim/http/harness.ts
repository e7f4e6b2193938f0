// Starts one simulated API server on 127.0.0.1 with a few seeded objects and users, and
// hands tests what a client needs: client-node KubeConfigs per user and a kubeconfig file
// (mode 0600) for kubectl. Every harness must be closed; close() also removes the temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { KubeConfig } from '@kubernetes/client-node';
import { issueServingPair } from '../../../src/sim/pki.ts';
import { RESOURCE_TYPES, ResourceRegistry } from '../../../src/sim/api/resources.ts';
import { ObjectStore } from '../../../src/sim/api/objectStore.ts';
import { FaultController } from '../../../src/sim/api/faults.ts';
import { SimApiServer } from '../../../src/sim/api/server.ts';
import type { KubeObject } from '../../../src/sim/api/types.ts';
import type { FaultSpec, SimUser } from '../../../src/sim/scenario/model.ts';

export const ADMIN_TOKEN = 'admin-token-0123456789';
export const VIEWER_TOKEN = 'viewer-token-0123456789';
export const EXPIRED_TOKEN = 'expired-token-0123456789';

export const USERS: SimUser[] = [
  { name: 'admin', token: ADMIN_TOKEN, forbidden: [] },
  // The viewer may not read secrets anywhere, nor list pods in kube-system, nor forward ports.
  {
    name: 'viewer',
    token: VIEWER_TOKEN,
    forbidden: [
      { verb: '*', resource: 'secrets' },
      { verb: 'list', resource: 'pods', group: '', namespace: 'kube-system' },
      { verb: 'create', resource: 'pods/portforward' },
      { verb: 'get', resource: 'pods/log', namespace: 'kube-system' },
    ],
  },
  { name: 'old-admin', token: EXPIRED_TOKEN, expired: true, forbidden: [] },
];

const CREATED = new Date(Date.now() - 3 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');

function ns(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, creationTimestamp: CREATED },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function pod(namespace: string, name: string, labels: Record<string, string>, ip: string, ready = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, creationTimestamp: CREATED },
    spec: { nodeName: 'node-a', serviceAccountName: 'default', containers: [{ name: 'main', image: 'example/main:1' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'main',
          ready,
          restartCount: 0,
          state: { running: { startedAt: CREATED } },
          image: 'example/main:1',
          imageID: '',
          started: true,
        },
      ],
    },
  };
}

/** A small cluster: namespaces, pods, a node, a service, a deployment, Gateway API and Istio objects. */
export function seedObjects(): KubeObject[] {
  return [
    ns('default'),
    ns('kube-system'),
    ns('istio-system', { 'topology.istio.io/network': 'net1' }),
    ns('bookinfo', { 'istio.io/dataplane-mode': 'ambient' }),
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-a', labels: { 'node-role.kubernetes.io/control-plane': '' }, creationTimestamp: CREATED },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        nodeInfo: { kubeletVersion: 'v1.37.2' },
      },
    },
    pod('istio-system', 'istiod-7d4b9c6f5-abcde', { app: 'istiod' }, '10.244.0.5'),
    pod('istio-system', 'ztunnel-x1y2z', { app: 'ztunnel' }, '10.244.0.6'),
    pod('kube-system', 'coredns-5d78c9869d-q2w3e', { 'k8s-app': 'kube-dns' }, '10.244.0.2'),
    pod('bookinfo', 'productpage-v1-6b746f74dc-9x8y7', { app: 'productpage' }, '10.244.1.7', false),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istiod', namespace: 'istio-system', creationTimestamp: CREATED },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        selector: { app: 'istiod' },
        ports: [{ name: 'grpc-xds', port: 15010, protocol: 'TCP' }],
      },
      status: {},
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system', creationTimestamp: CREATED },
      data: { mesh: 'trustDomain: cluster.local' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cacerts', namespace: 'istio-system', creationTimestamp: CREATED },
      type: 'Opaque',
      data: { 'ca-cert.pem': 'LS0t' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system', generation: 1, creationTimestamp: CREATED },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'istiod' } },
        template: { metadata: { labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', image: 'istio/pilot:1.28' }] } },
      },
      status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'istio-eastwest', creationTimestamp: CREATED },
      spec: { controllerName: 'istio.io/eastwest-controller' },
      status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: CREATED }] },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'istio-eastwest', namespace: 'istio-eastwest', creationTimestamp: CREATED },
      spec: { gatewayClassName: 'istio-eastwest', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      status: {
        addresses: [{ type: 'IPAddress', value: '172.18.0.10' }],
        conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: '', lastTransitionTime: CREATED }],
      },
    },
    ns('istio-eastwest'),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: {
        name: 'stale-peer-entry',
        namespace: 'istio-system',
        labels: { 'topology.istio.io/cluster': 'cluster-2' },
        creationTimestamp: CREATED,
      },
      spec: { address: '172.18.0.20', network: 'net2' },
    },
  ];
}

export interface Harness {
  server: SimApiServer;
  store: ObjectStore;
  registry: ResourceRegistry;
  faults: FaultController;
  url: string;
  caPem: string;
  /** kubeconfig for kubectl, current context = admin. */
  kubeconfigPath: string;
  /** A kubeconfig file for another user (for kubectl as a restricted user). */
  kubeconfigFor(token: string): string;
  /** client-node KubeConfig with this bearer token (admin by default). */
  kubeConfig(token?: string): KubeConfig;
  close(): Promise<void>;
}

export interface HarnessOptions {
  objects?: KubeObject[];
  crdsMissing?: string[];
  bookmarkIntervalMs?: number;
  faults?: FaultSpec[];
  historyLimit?: number;
}

/** Pod log and port-forward stand-ins: enough to see the hand-over happen. */
function stubPods(): {
  log: (req: IncomingMessage, res: ServerResponse, pod: KubeObject, query: URLSearchParams) => void;
  portForward: (req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject, query: URLSearchParams) => void;
  close: () => void;
} {
  const wss = new WebSocketServer({ noServer: true });
  return {
    log(_req, res, p, query) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const line = `log of ${p.metadata.namespace}/${p.metadata.name} container=${query.get('container') ?? ''}\n`;
      // A follow stays open like a real one, so faults can cut it.
      if (query.get('follow') === 'true') res.write(line);
      else res.end(line);
    },
    portForward(req, socket, head, p, query) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(`forwarding ${p.metadata.namespace}/${p.metadata.name} ports=${query.get('ports') ?? ''}`);
        ws.close();
      });
    },
    close() {
      wss.close();
    },
  };
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const { ca, serving } = issueServingPair('http-test');
  const registry = new ResourceRegistry(RESOURCE_TYPES, o.crdsMissing ?? []);
  const store = new ObjectStore(registry, o.historyLimit !== undefined ? { historyLimit: o.historyLimit } : undefined);
  store.seed(o.objects ?? seedObjects());
  const faults = new FaultController();
  const pods = stubPods();
  const server = new SimApiServer({
    name: 'http-test',
    tls: { certPem: serving.certPem, keyPem: serving.keyPem },
    registry,
    store,
    users: USERS,
    faults,
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? 200,
    pods,
  });
  await server.listen();
  if (o.faults) faults.applySpecs(o.faults);
  const dir = mkdtempSync(join(tmpdir(), 'mesh-tui-http-'));
  const caData = Buffer.from(ca.certPem).toString('base64');
  const writeKubeconfig = (file: string, token: string): string => {
    const path = join(dir, file);
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: sim\n  cluster:\n    server: ${server.url}\n    certificate-authority-data: ${caData}`,
      'users:',
      `- name: user\n  user:\n    token: ${token}`,
      'contexts:',
      '- name: sim\n  context:\n    cluster: sim\n    user: user',
      'current-context: sim',
      '',
    ].join('\n');
    writeFileSync(path, yaml, { mode: 0o600 });
    return path;
  };
  const kubeconfigPath = writeKubeconfig('admin.kubeconfig', ADMIN_TOKEN);
  let n = 0;
  return {
    server,
    store,
    registry,
    faults,
    url: server.url,
    caPem: ca.certPem,
    kubeconfigPath,
    kubeconfigFor: (token) => writeKubeconfig(`user-${n++}.kubeconfig`, token),
    kubeConfig(token = ADMIN_TOKEN) {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'sim', server: server.url, caData, skipTLSVerify: false }],
        users: [{ name: 'user', token }],
        contexts: [{ name: 'sim', cluster: 'sim', user: 'user' }],
        currentContext: 'sim',
      });
      return kc;
    },
    async close() {
      await server.close();
      pods.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw HTTPS request (for what the typed clients hide: headers, exact bodies, odd methods). */
export async function rawRequest(
  h: Harness,
  path: string,
  init: { method?: string; token?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const token = init.token === undefined ? ADMIN_TOKEN : init.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const req = request(`${h.url}${path}`, { method: init.method ?? 'GET', headers, ca: h.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const hs = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') hs.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: hs, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
