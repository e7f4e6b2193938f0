// The istiod debug feed against simulated clusters: what the store holds after it has run —
// proxy rows from syncz, the licence, clusterz — and the explained unknowns when port-forward
// is forbidden, istiod is too old for an endpoint, or an answer is garbage.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { portForwardHttpGet } from '../../src/kube/portForwardHttp.ts';
import { IstiodDebugFeed, type FetchPod } from '../../src/feeds/istiodDebugFeed.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { createMeshStore, type MeshStore } from '../../src/store/index.ts';
import { contextId, type ContextFacts, type ContextId, type KubeObjectJson, type MeshState } from '../../src/store/types.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';

const EAST = contextId('cluster-east');
const WEST = contextId('cluster-west');

let unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

/** Stands in for the watch feed: the store's istiod and ztunnel pods are what the cluster holds now. */
async function syncPods(store: MeshStore, client: ContextClient, context: ContextId): Promise<void> {
  const list = await client.getJson<{ items: KubeObjectJson[]; metadata: { resourceVersion?: string } }>(
    `/api/v1/pods?labelSelector=${encodeURIComponent('app in (istiod,ztunnel)')}`,
  );
  store.actions.relist(
    context,
    ISTIOD_ZTUNNEL_PODS,
    list.items.map((pod) => ({ ...pod, kind: 'Pod', apiVersion: 'v1' })),
    list.metadata.resourceVersion,
  );
  store.flush();
}

function facts(state: MeshState, context: ContextId): ContextFacts | undefined {
  return state.facts[context];
}

/** Every istiod pod of the context has all three facts, none older than `since`. */
function allFetched(state: MeshState, context: ContextId, istiodPods: readonly string[], since = ''): boolean {
  const f = facts(state, context);
  if (!f) return false;
  return istiodPods.every((pod) =>
    [f.syncz[pod], f.license[pod], f.clusterz[pod]].every((fact) => fact !== undefined && fact.observedAt >= since),
  );
}

interface Harness {
  t: TestSimulator;
  store: MeshStore;
  clients: Map<string, ContextClient>;
  feeds: IstiodDebugFeed[];
  istiodPods(context: ContextId): string[];
  client(context: ContextId): ContextClient;
  stop(): Promise<void>;
}

async function harness(
  scenario: string,
  options: { file?: string; fetchPod?: FetchPod; retryThrottledUntil?: number } = {},
): Promise<Harness> {
  const t = await startScenario(scenario, options.file !== undefined ? { file: options.file } : {});
  const store = createMeshStore({ intervalMs: 5 });
  const clients = createContextClients(loadKubeconfig({ kubeconfigPath: t.kubeconfigPath }), { requestTimeoutMs: 10_000 });
  const client = (context: ContextId): ContextClient => clients.get(context) ?? assert.fail(`no client for ${context}`);
  for (const context of t.sim.contexts()) await syncPods(store, client(contextId(context)), contextId(context));
  const feeds = t.sim.contexts().map(
    (context) =>
      new IstiodDebugFeed({
        context: contextId(context),
        client: client(contextId(context)),
        store,
        intervalMs: 60_000,
        requestTimeoutMs: 5_000,
        ...(options.fetchPod && { fetchPod: options.fetchPod }),
        ...(options.retryThrottledUntil !== undefined && { retryThrottledUntil: options.retryThrottledUntil }),
      }),
  );
  return {
    t,
    store,
    clients,
    feeds,
    client,
    istiodPods: (context) =>
      t.sim
        .cluster(context)
        .list('v1', 'Pod', 'istio-system')
        .filter((pod) => pod.metadata.labels?.app === 'istiod')
        .map((pod) => pod.metadata.name),
    async stop(): Promise<void> {
      await Promise.all(feeds.map((feed) => feed.stop()));
      store.dispose();
      await Promise.all([...clients.values()].map((c) => c.close()));
      await t.stop();
    },
  };
}

describe('IstiodDebugFeed: healthy scenario', () => {
  let h: Harness;
  before(async () => {
    unhandled = [];
    h = await harness('healthy');
    for (const feed of h.feeds) feed.start();
  });
  after(async () => {
    await h.stop();
    assert.deepEqual(unhandled, []);
  });

  it('syncz rows of every istiod include every ztunnel pod and the peered remote istiod (FSDS, SGDS, WDS)', async () => {
    for (const [context, peerClusterId] of [
      [EAST, 'west'],
      [WEST, 'east'],
    ] as const) {
      const istiods = h.istiodPods(context);
      assert.ok(istiods.length > 0);
      const state = await waitFor(h.store, (s) => allFetched(s, context, istiods), { what: `facts of ${context}` });
      const ztunnels = h.t.sim
        .cluster(context)
        .list('v1', 'Pod', 'istio-system')
        .filter((pod) => pod.metadata.labels?.app === 'ztunnel')
        .map((pod) => `${pod.metadata.name}.istio-system`);
      assert.ok(ztunnels.length > 0);
      for (const istiod of istiods) {
        const fact = facts(state, context)?.syncz[istiod];
        assert.equal(fact?.state, 'known', fact?.state === 'unknown' ? fact.reason : '');
        if (fact?.state !== 'known') return;
        assert.equal(fact.value.istiodPod, istiod);
        const names = fact.value.rows.map((row) => row.name);
        for (const ztunnel of ztunnels) assert.ok(names.includes(ztunnel), `${istiod} syncz has ${ztunnel}`);
        const peer = fact.value.rows.find((row) => row.cluster === peerClusterId && row.name.startsWith('istiod-'));
        assert.ok(peer, `${istiod} syncz has the peered istiod of cluster ${peerClusterId}`);
        assert.deepEqual([...new Set(peer.types.map((type) => type.short))].sort(), ['FSDS', 'SGDS', 'WDS']);
        assert.ok(Date.parse(fact.observedAt) > 0, 'observedAt is a time');
      }
    }
  });

  it('license says OK for gloo-mesh and clusterz lists the local cluster', async () => {
    const istiod = h.istiodPods(EAST)[0] ?? assert.fail('no istiod');
    const state = await waitFor(h.store, (s) => allFetched(s, EAST, [istiod]));
    assert.deepEqual(facts(state, EAST)?.license[istiod]?.state === 'known' && facts(state, EAST)?.license[istiod], {
      state: 'known',
      value: { state: 'OK', product: 'gloo-mesh' },
      observedAt: facts(state, EAST)?.license[istiod]?.observedAt,
    });
    const clusterz = facts(state, EAST)?.clusterz[istiod];
    assert.equal(clusterz?.state, 'known');
    if (clusterz?.state === 'known') assert.deepEqual(clusterz.value, [{ id: 'east', secretName: '', syncStatus: 'synced' }]);
  });

  it('a deleted ztunnel pod is gone from the next refresh', async () => {
    const istiods = h.istiodPods(EAST);
    await waitFor(h.store, (s) => allFetched(s, EAST, istiods));
    const victim = h.t.sim
      .cluster(EAST)
      .list('v1', 'Pod', 'istio-system')
      .find((pod) => pod.metadata.labels?.app === 'ztunnel');
    const name = victim?.metadata.name ?? assert.fail('no ztunnel pod');
    const before = facts(h.store.getState(), EAST)?.syncz[istiods[0] ?? ''];
    assert.ok(
      before?.state === 'known' && before.value.rows.some((row) => row.name === `${name}.istio-system`),
      `${name} is in syncz before`,
    );
    await h.client(EAST).makeApi(CoreV1Api).deleteNamespacedPod({ name, namespace: 'istio-system', gracePeriodSeconds: 0 });
    const since = new Date().toISOString();
    await h.feeds[0]?.refresh();
    const state = await waitFor(h.store, (s) => allFetched(s, EAST, istiods, since), { what: 'facts after the deletion' });
    for (const istiod of istiods) {
      const fact = facts(state, EAST)?.syncz[istiod];
      assert.equal(fact?.state, 'known');
      if (fact?.state === 'known')
        assert.ok(!fact.value.rows.some((row) => row.name === `${name}.istio-system`), `${name} still in ${istiod}'s syncz`);
    }
  });

  it('drops the facts of an istiod pod that is gone', async () => {
    const istiods = h.istiodPods(WEST);
    await waitFor(h.store, (s) => allFetched(s, WEST, istiods));
    const gone = istiods[0] ?? assert.fail('no istiod');
    await h.client(WEST).makeApi(CoreV1Api).deleteNamespacedPod({ name: gone, namespace: 'istio-system', gracePeriodSeconds: 0 });
    await syncPods(h.store, h.client(WEST), WEST);
    const state = await waitFor(h.store, (s) => facts(s, WEST)?.syncz[gone] === undefined, { what: `facts of ${gone} pruned` });
    assert.equal(facts(state, WEST)?.license[gone], undefined);
    assert.equal(facts(state, WEST)?.clusterz[gone], undefined);
  });
});

describe('IstiodDebugFeed: explained unknowns', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    assert.deepEqual(unhandled, []);
  });

  it("license-invalid: cluster-west's license fact says EXPIRED, cluster-east's OK", async () => {
    unhandled = [];
    h = await harness('license-invalid');
    for (const feed of h.feeds) feed.start();
    const west = h.istiodPods(WEST)[0] ?? assert.fail('no istiod');
    const east = h.istiodPods(EAST)[0] ?? assert.fail('no istiod');
    const state = await waitFor(h.store, (s) => allFetched(s, WEST, [west]) && allFetched(s, EAST, [east]));
    const license = facts(state, WEST)?.license[west];
    assert.equal(license?.state, 'known');
    if (license?.state === 'known') assert.deepEqual(license.value, { state: 'EXPIRED', product: 'gloo-trial' });
    const eastLicense = facts(state, EAST)?.license[east];
    assert.equal(eastLicense?.state === 'known' && eastLicense.value.state, 'OK');
  });

  const expectForbidden = (state: MeshState, context: ContextId, pods: readonly string[], user = 'oncall'): void => {
    for (const pod of pods) {
      for (const kind of ['syncz', 'license', 'clusterz'] as const) {
        const fact = facts(state, context)?.[kind][pod];
        assert.equal(fact?.state, 'unknown', `${kind} of ${pod}`);
        if (fact?.state !== 'unknown') continue;
        assert.equal(fact.errorKind, 'forbidden');
        assert.match(
          fact.reason,
          new RegExp(
            `^cannot read /debug/${kind} from istiod pod istiod-\\S+: ${context}: forbidden: user "${user}" ` +
              `cannot create pods/portforward in namespace "istio-system"$`,
          ),
        );
        // Kept as data too, so MC-ACCESS-001 and the capture never parse the sentence back.
        assert.deepEqual(fact.forbidden, { user, verb: 'create', resource: 'pods/portforward', group: '', namespace: 'istio-system' });
      }
    }
  };

  it('forbidden scenario: every context gets unknowns naming pods/portforward, each on its own', async () => {
    unhandled = [];
    h = await harness('forbidden');
    for (const feed of h.feeds) feed.start();
    const east = h.istiodPods(EAST);
    const west = h.istiodPods(WEST);
    const state = await waitFor(h.store, (s) => allFetched(s, EAST, east) && allFetched(s, WEST, west));
    expectForbidden(state, EAST, east);
    expectForbidden(state, WEST, west);
  });

  it('a one-shot asks a port-forward answered 429 again after its Retry-After: the facts come in', async () => {
    unhandled = [];
    h = await harness('healthy', { retryThrottledUntil: Date.now() + 60_000 });
    // The next three port-forwards to cluster-east (its first fetches) are told to come back in 1 s.
    h.t.sim.cluster(EAST).faults.tooManyRequests(3, 1, 'pods');
    for (const feed of h.feeds) feed.start();
    await Promise.all(h.feeds.map((feed) => feed.idle()));
    h.store.flush();
    for (const pod of h.istiodPods(EAST)) {
      for (const kind of ['syncz', 'license', 'clusterz'] as const)
        assert.equal(facts(h.store.getState(), EAST)?.[kind][pod]?.state, 'known', `${kind} of ${pod}`);
    }
  });

  it("a port-forward answered 429 past the one-shot's deadline is an unknown that says it was throttled", async () => {
    unhandled = [];
    h = await harness('healthy', { retryThrottledUntil: Date.now() + 60_000 });
    h.t.sim.cluster(EAST).faults.tooManyRequests(3, 120, 'pods');
    for (const feed of h.feeds) feed.start();
    await Promise.all(h.feeds.map((feed) => feed.idle()));
    h.store.flush();
    const throttled = h
      .istiodPods(EAST)
      .flatMap((pod) => (['syncz', 'license', 'clusterz'] as const).map((kind) => facts(h!.store.getState(), EAST)?.[kind][pod]))
      .filter((fact) => fact?.state === 'unknown' && fact.errorKind === 'throttled');
    assert.equal(throttled.length, 3);
  });

  it('port-forward forbidden in one context: its unknowns do not hold back the other context’s facts', async () => {
    unhandled = [];
    h = await harness('healthy');
    const user = h.t.sim.cluster(EAST).kubeconfigUser().name;
    h.t.sim.cluster(EAST).faults.forbid(user, { verb: 'create', resource: 'pods/portforward' });
    for (const feed of h.feeds) feed.start();
    const east = h.istiodPods(EAST);
    const west = h.istiodPods(WEST);
    const state = await waitFor(h.store, (s) => allFetched(s, EAST, east) && allFetched(s, WEST, west));
    expectForbidden(state, EAST, east, user);
    for (const pod of west) {
      assert.equal(facts(state, WEST)?.syncz[pod]?.state, 'known');
      assert.equal(facts(state, WEST)?.license[pod]?.state, 'known');
    }
  });

  it('an istiod older than 1.27 answers 404 for /debug/license: unknown, "not supported before Istio 1.27"', async () => {
    unhandled = [];
    const dir = await mkdtemp(join(tmpdir(), 'istiod-debug-'));
    const file = join(dir, 'old-istiod.yaml');
    await writeFile(
      file,
      [
        'name: old-istiod',
        'summary: Two clusters on Solo Istio 1.26, before /debug/license existed.',
        'defaults:',
        '  istioVersion: 1.26.4-solo',
        '  license: { type: enterprise, product: gloo-mesh, expiresInDays: 300 }',
        'clusters:',
        '  - { context: cluster-east, clusterId: east, network: east-net, peers: [cluster-west] }',
        '  - { context: cluster-west, clusterId: west, network: west-net, peers: [cluster-east] }',
        'rootCauses: []',
        '',
      ].join('\n'),
    );
    try {
      h = await harness('old-istiod', { file });
      h.feeds[0]?.start();
      const pod = h.istiodPods(EAST)[0] ?? assert.fail('no istiod');
      const state = await waitFor(h.store, (s) => allFetched(s, EAST, [pod]));
      const license = facts(state, EAST)?.license[pod];
      assert.equal(license?.state, 'unknown');
      if (license?.state === 'unknown') {
        assert.equal(license.errorKind, 'notFound');
        assert.match(license.reason, /not supported before Istio 1\.27/);
      }
      assert.equal(facts(state, EAST)?.syncz[pod]?.state, 'known');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stop() cancels fetches in flight: it resolves, and nothing is written after it', async () => {
    unhandled = [];
    h = await harness('healthy');
    // The upgrade waits 30 s in the API server; only the cancel can end these fetches.
    h.t.sim.cluster(EAST).faults.setLatency(30_000);
    const feed = h.feeds[0] ?? assert.fail('no feed');
    feed.start();
    await feed.stop();
    h.store.flush();
    assert.equal(h.store.getState().facts[EAST], undefined);
    await feed.refresh();
    h.store.flush();
    assert.equal(h.store.getState().facts[EAST], undefined, 'a stopped feed does not fetch');
    h.t.sim.cluster(EAST).faults.setLatency(0);
  });

  it('garbage, an HTML error page and a 500 become unknowns that say what came back', async () => {
    unhandled = [];
    // The real port-forward, with the answers replaced the way a broken or foreign server would.
    const corrupt: FetchPod = async (pod, path, signal) => {
      const result = await portForwardHttpGet(h?.client(EAST).kubeConfig ?? assert.fail('no harness'), {
        namespace: pod.namespace,
        pod: pod.name,
        port: 15014,
        path,
        signal,
      });
      if (!result.ok) return result;
      const replace = (statusCode: number, statusText: string, body: string): typeof result => ({
        ok: true,
        response: { ...result.response, statusCode, statusText, body: Buffer.from(body) },
      });
      if (path === '/debug/syncz') return replace(200, 'OK', '{"versionInfo": 3, "resources": "nope"');
      if (path === '/debug/license') return replace(200, 'OK', '<html><body>Welcome to nginx</body></html>');
      return replace(500, 'Internal Server Error', 'clusterz: internal error\nstack…');
    };
    h = await harness('healthy', { fetchPod: corrupt });
    h.feeds[0]?.start();
    const pod = h.istiodPods(EAST)[0] ?? assert.fail('no istiod');
    const state = await waitFor(h.store, (s) => allFetched(s, EAST, [pod]));
    const f = facts(state, EAST);
    const reasons = (['syncz', 'license', 'clusterz'] as const).map((kind) => {
      const fact = f?.[kind][pod];
      assert.equal(fact?.state, 'unknown', kind);
      return fact?.state === 'unknown' ? fact.reason : '';
    });
    assert.match(reasons[0] ?? '', /^cannot read \/debug\/syncz from istiod pod istiod-\S+: not a syncz answer/);
    assert.match(
      reasons[1] ?? '',
      /not a license answer \(expected \{"State": …, "Product": …\}, got "<html><body>Welcome to nginx<\/body><\/html>"\)/,
    );
    assert.match(reasons[2] ?? '', /istiod answered HTTP 500 Internal Server Error: clusterz: internal error$/);
  });
});
