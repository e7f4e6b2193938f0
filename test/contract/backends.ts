// The two clusters the contract suite compares: a real kube-apiserver (the harness: etcd, RBAC,
// hand-written CRDs, a fake kubelet) and one simulated cluster. Both give the same things — an
// endpoint, an admin and a restricted token, kubeconfigs, a node whose pods' logs the test
// writes — so one test body runs against each and the observable answers can be compared.
//
// What "restricted" means must match on both sides: it may read (get/list/watch) everything the
// console reads, but not secrets, pods/log or pods/portforward, and it may not write anything.
// The Segment CRD (segments.admin.solo.io) is absent on both, for the missing-CRD contract.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Simulator } from '../../src/sim/simulator.ts';
import { writeKubeconfig } from '../../src/sim/kubeconfig.ts';
import type { GeneratedCluster, Scenario, SimUser } from '../../src/sim/scenario/model.ts';
import type { KubeObject } from '../../src/sim/api/types.ts';
import { contractBinaries } from './harness/binaries.ts';
import { startContractClusters, type ContractUserName } from './harness/contractClusters.ts';
import { kubeRequest, type ApiEndpoint, type RawResponse } from './harness/kubeRequest.ts';

export type BackendName = 'simulator' | 'kube-apiserver';
export type { ContractUserName };

export interface BackendLogLine {
  time: Date;
  text: string;
}

/** A container whose log the test will write; the simulator must know it before it starts. */
export interface LogContainer {
  namespace: string;
  pod: string;
  container: string;
}

export interface BackendOptions {
  logContainers?: LogContainer[];
}

export interface ContractBackend {
  readonly name: BackendName;
  /** The kubeconfig context name writeKubeconfig() uses. */
  readonly context: string;
  readonly endpoint: ApiEndpoint;
  /** Give pods this spec.nodeName so their logs are served. */
  readonly nodeName: string;
  token(user: ContractUserName): string;
  kubeConfig(user: ContractUserName): KubeConfig;
  writeKubeconfig(user: ContractUserName): Promise<string>;
  request(user: ContractUserName, method: string, path: string, body?: unknown, contentType?: string): Promise<RawResponse>;
  /** Replaces a container's log (the kubelet's side); lines must be in time order. */
  setLog(container: LogContainer, lines: BackendLogLine[]): void;
  appendLog(container: LogContainer, line: BackendLogLine): void;
  /**
   * Ends every watch of the Gateway CRD and forgets its history, so a client resuming from an
   * older resourceVersion gets 410 Expired and must relist. The simulator compacts and resets
   * its streams; the real server rebuilds a CRD's storage (and watch cache, which starts at the
   * current resourceVersion) when the CRD's spec changes.
   */
  expireGatewayWatches(): Promise<void>;
  stop(): Promise<void>;
}

export const MISSING_CRD = 'segments.admin.solo.io';

const READ_VERBS = ['get', 'list', 'watch'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** The simulator's deny-list equivalent of the harness's RBAC role for `restricted`. */
const RESTRICTED_FORBIDDEN: SimUser['forbidden'] = [
  ...WRITE_VERBS.map((verb) => ({ verb, resource: '*' })),
  ...READ_VERBS.map((verb) => ({ verb, resource: 'secrets', group: '' })),
  { verb: '*', resource: 'pods/log', group: '' },
  { verb: '*', resource: 'pods/portforward', group: '' },
];

/**
 * A raw call with an explicit Content-Length. (Node sends a DELETE body with neither
 * Content-Length nor chunking, so a server would not see DeleteOptions and the stray bytes
 * would spoil the next request on the connection.) A fresh connection per call, no agent.
 */
export function rawCall(
  endpoint: ApiEndpoint,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<RawResponse> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, endpoint.url),
      {
        method,
        ca: endpoint.caPem,
        agent: false,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': String(payload.length) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function kubeConfigFor(context: string, endpoint: ApiEndpoint, user: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: context, server: endpoint.url, caData: Buffer.from(endpoint.caPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: user, token }],
    contexts: [{ name: context, cluster: context, user }],
    currentContext: context,
  });
  return kc;
}

function tinyScenario(nodeName: string, users: SimUser[], options: BackendOptions): Scenario {
  const cluster: GeneratedCluster = {
    context: 'contract-sim',
    clusterId: 'contract-sim',
    network: 'contract-net',
    // What a fresh real apiserver holds that tests could see: its namespaces and our Node.
    objects: [
      namespace('default'),
      namespace('kube-system'),
      namespace('kube-public'),
      namespace('kube-node-lease'),
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName } },
        spec: {},
        status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] },
      },
    ],
    crdsMissing: [MISSING_CRD],
    users,
    logs: (options.logContainers ?? []).map((c) => ({ ...c, history: [], live: [] })),
    istiodDebug: { syncz: () => [], license: () => undefined, clusterz: () => [] },
    faults: [],
  };
  return {
    name: 'contract',
    summary: 'contract suite: one empty cluster',
    rootCauses: [],
    clusters: [cluster],
    timeline: [],
    source: 'builtin:contract',
  };
}

export async function startSimulatorBackend(options: BackendOptions = {}): Promise<ContractBackend> {
  const nodeName = 'contract-node';
  const tokens: Record<ContractUserName, string> = {
    admin: 'contract-admin-token-0123456789',
    restricted: 'contract-restricted-token-0123456789',
  };
  const sim = await Simulator.start(
    tinyScenario(
      nodeName,
      [
        { name: 'admin', token: tokens.admin, forbidden: [] },
        { name: 'restricted', token: tokens.restricted, forbidden: RESTRICTED_FORBIDDEN },
      ],
      options,
    ),
  );
  const cluster = sim.cluster('contract-sim');
  const endpoint = { url: cluster.url, caPem: cluster.caPem };
  const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-contract-sim-'));
  const buffer = (c: LogContainer) => {
    const found = cluster.podLog(c.namespace, c.pod, c.container);
    if (!found) throw new Error(`simulator backend: ${c.namespace}/${c.pod}/${c.container} not in logContainers`);
    return found;
  };
  return {
    name: 'simulator',
    context: 'contract-sim',
    endpoint,
    nodeName,
    token: (user) => tokens[user],
    kubeConfig: (user) => kubeConfigFor('contract-sim', endpoint, user, tokens[user]),
    async writeKubeconfig(user) {
      const path = join(dir, `${user}.kubeconfig`);
      await writeKubeconfig(path, [{ context: 'contract-sim', server: endpoint.url, caPem: endpoint.caPem, user, token: tokens[user] }]);
      return path;
    },
    request: (user, method, path, body, contentType) => rawCall(endpoint, tokens[user], method, path, body, contentType),
    setLog(c, lines) {
      // A log buffer only grows, as a container's log does; tests set a container's log once.
      const log = buffer(c);
      for (const line of lines) log.append({ time: line.time.getTime(), text: line.text });
    },
    appendLog(c, line) {
      buffer(c).append({ time: line.time.getTime(), text: line.text });
    },
    expireGatewayWatches() {
      cluster.faults.gone('gateways');
      cluster.faults.resetStreams();
      return Promise.resolve();
    },
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForCrdGone(endpoint: ApiEndpoint, token: string, name: string): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  const deleted = await kubeRequest(endpoint, token, 'DELETE', path);
  if (deleted.status !== 200) throw new Error(`DELETE ${path}: HTTP ${deleted.status}: ${deleted.body}`);
  const [plural = '', ...group] = name.split('.');
  const deadline = Date.now() + 60_000;
  // Gone means both the CRD and its served path: the handler cache lags behind the object.
  for (;;) {
    const crd = await kubeRequest(endpoint, token, 'GET', path);
    const served = await kubeRequest(endpoint, token, 'GET', `/apis/${group.join('.')}/v1alpha1/${plural}`);
    if (crd.status === 404 && served.status === 404) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} still present after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A spec change (a new category) makes the apiextensions server replace the CRD's storage. */
async function touchCrdSpec(endpoint: ApiEndpoint, token: string, name: string, n: number): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  const patch = [{ op: 'add', path: '/spec/names/categories', value: [`mesh-tui-contract-${n}`] }];
  const r = await rawCall(endpoint, token, 'PATCH', path, patch, 'application/json-patch+json');
  if (r.status !== 200) throw new Error(`PATCH ${path}: HTTP ${r.status}: ${r.body}`);
}

export async function startRealBackend(_options: BackendOptions = {}): Promise<ContractBackend> {
  const run = await startContractClusters({ names: ['contract-real'] });
  try {
    const cluster = run.clusters[0];
    if (!cluster) throw new Error('harness started no cluster');
    const endpoint = { url: cluster.url, caPem: cluster.caPem };
    const token = (user: ContractUserName): string => cluster.users[user].token;
    await waitForCrdGone(endpoint, token('admin'), MISSING_CRD);
    let touches = 0;
    return {
      name: 'kube-apiserver',
      context: cluster.name,
      endpoint,
      nodeName: cluster.nodeName,
      token,
      kubeConfig: (user) => kubeConfigFor(cluster.name, endpoint, user, token(user)),
      writeKubeconfig: (user) => cluster.writeKubeconfig(user),
      request: (user, method, path, body, contentType) => rawCall(endpoint, token(user), method, path, body, contentType),
      setLog: (c, lines) => cluster.kubelet.setLog(c.namespace, c.pod, c.container, lines),
      appendLog: (c, line) => cluster.kubelet.appendLog(c.namespace, c.pod, c.container, line),
      expireGatewayWatches: () => touchCrdSpec(endpoint, token('admin'), 'gateways.gateway.networking.k8s.io', ++touches),
      stop: () => run.stop(),
    };
  } catch (error) {
    await run.stop();
    throw error;
  }
}

/**
 * Why the real backend cannot run here, or null when it can. Under CI=true a missing toolchain
 * is a failure, not a skip: the suite must not go quietly green on a machine that never ran it.
 */
export function realBackendUnavailable(): string | null {
  const binaries = contractBinaries();
  if (binaries.missing.length === 0) return null;
  return `real kube-apiserver/etcd not built (missing ${binaries.missing.join(', ')}); run test/contract/build-binaries.sh`;
}

/** Starts both backends; `skip` is set (and loud) when the real one is unavailable outside CI. */
export async function startBothBackends(
  options: BackendOptions = {},
): Promise<{ backends: ContractBackend[]; skip: string | null; stop(): Promise<void> }> {
  const why = realBackendUnavailable();
  if (why !== null) {
    if (process.env.CI === 'true') throw new Error(`${why} — under CI=true the contract suite is required`);
    process.stderr.write(`\n*** CONTRACT SUITE SKIPPED: ${why} ***\n\n`);
    return { backends: [], skip: `SKIPPED: ${why}`, stop: async () => {} };
  }
  const [sim, real] = await Promise.allSettled([startSimulatorBackend(options), startRealBackend(options)]);
  const started = [sim, real].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = [sim, real].find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(started.map((b) => b.stop()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return {
    backends: started,
    skip: null,
    stop: async () => {
      await Promise.allSettled(started.map((b) => b.stop()));
    },
  };
}
