// The source-pods feed against simulated clusters: for cluster-east's autogenflat
// WorkloadEntries, the fact says which pods still exist in the cluster they came from, and
// says so only when it can (a source cluster outside the loaded contexts, or one whose
// CLUSTER_ID is not known yet, is never called stale).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { SourcePodsFeed } from '../../src/feeds/sourcePodsFeed.ts';
import { WORKLOAD_ENTRIES } from '../../src/store/resourceIds.ts';
import { IstiodDebugFeed } from '../../src/feeds/istiodDebugFeed.ts';
import { MeshFeeds } from '../../src/feeds/meshFeeds.ts';
import { createMeshStore, type MeshStore } from '../../src/store/index.ts';
import {
  clusterId,
  contextId,
  type ContextId,
  type Fact,
  type KubeObjectJson,
  type MeshState,
  type SourcePodsFactValue,
} from '../../src/store/types.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';

const EAST = contextId('cluster-east');
const WEST = contextId('cluster-west');
const STALE_PODS = ['reviews-7d9c6b4f8b-q8m4z', 'reviews-7d9c6b4f8b-x2x7k'];

let unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

interface Harness {
  t: TestSimulator;
  store: MeshStore;
  feed: SourcePodsFeed;
  client(context: ContextId): ContextClient;
  /** Stands in for the watch feed: the store's WorkloadEntries of cluster-east are what it holds now. */
  syncEntries(): Promise<void>;
  stop(): Promise<void>;
}

async function harness(scenario: string, options: { loaded: ContextId[]; learnClusterIds: ContextId[] }): Promise<Harness> {
  const t = await startScenario(scenario);
  const store = createMeshStore({ intervalMs: 5, contexts: options.loaded });
  const clients = createContextClients(loadKubeconfig({ kubeconfigPath: t.kubeconfigPath, contexts: options.loaded }));
  const client = (context: ContextId): ContextClient => clients.get(context) ?? assert.fail(`no client for ${context}`);
  for (const context of options.learnClusterIds) store.actions.setClusterId(context, clusterId(t.sim.cluster(context).spec.clusterId));
  const syncEntries = async (): Promise<void> => {
    const list = await client(EAST).getJson<{ items: KubeObjectJson[]; metadata: { resourceVersion?: string } }>(
      '/apis/networking.istio.io/v1/workloadentries',
    );
    const items = list.items.map((we) => ({ ...we, kind: 'WorkloadEntry', apiVersion: 'networking.istio.io/v1' }));
    store.actions.relist(EAST, WORKLOAD_ENTRIES, items, list.metadata.resourceVersion);
    store.flush();
  };
  await syncEntries();
  const feed = new SourcePodsFeed({
    context: EAST,
    store,
    clientFor: (context) => clients.get(context),
    intervalMs: 60_000,
    requestTimeoutMs: 5_000,
  });
  return {
    t,
    store,
    feed,
    client,
    syncEntries,
    async stop(): Promise<void> {
      await feed.stop();
      store.dispose();
      await Promise.all([...clients.values()].map((c) => c.close()));
      await t.stop();
    },
  };
}

function westFact(state: MeshState): Fact<SourcePodsFactValue> | undefined {
  return state.facts[EAST]?.sourcePods?.['west'];
}

function knownWest(state: MeshState): SourcePodsFactValue | undefined {
  const fact = westFact(state);
  return fact?.state === 'known' ? fact.value : undefined;
}

/** The west pods the simulator holds now, as `namespace/name`. */
function westPods(t: TestSimulator): Set<string> {
  return new Set(
    t.sim
      .cluster(WEST)
      .list('v1', 'Pod')
      .map((pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`),
  );
}

describe('SourcePodsFeed', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    assert.deepEqual(unhandled, []);
  });

  it('stale-autogenflat: shows exactly the entries whose west pod is missing, and agrees with the cluster', async () => {
    unhandled = [];
    h = await harness('stale-autogenflat', { loaded: [EAST, WEST], learnClusterIds: [EAST, WEST] });
    h.feed.start();
    const state = await waitFor(
      h.store,
      (s) => knownWest(s) !== undefined && knownWest(s)?.entries.every((e) => e.state !== 'unknown') === true,
      {
        what: 'the west source-pods fact',
        describe: (s) => JSON.stringify(westFact(s)),
      },
    );
    const value = knownWest(state) ?? assert.fail('no fact');
    assert.equal(value.sourceContext, WEST);
    assert.ok(value.entries.length > STALE_PODS.length, 'live entries are listed too');
    const missing = value.entries.filter((e) => e.state === 'missing');
    assert.deepEqual(missing.map((e) => e.podName).sort(), STALE_PODS);
    assert.deepEqual(
      missing.map((e) => e.workloadEntry).sort(),
      STALE_PODS.map((pod) => `istio-system/autogenflat.west.bookinfo.${pod}.29b5948be416`),
    );
    const pods = westPods(h.t);
    for (const entry of value.entries) {
      assert.equal(entry.state, pods.has(`${entry.podNamespace}/${entry.podName}`) ? 'present' : 'missing', entry.workloadEntry);
      assert.ok(entry.checkedAt !== undefined);
    }
  });

  it('a source pod deleted later shows up as missing after a refresh; a deleted entry leaves the fact', async () => {
    unhandled = [];
    h = await harness('stale-autogenflat', { loaded: [EAST, WEST], learnClusterIds: [EAST, WEST] });
    h.feed.start();
    const first = await waitFor(h.store, (s) => knownWest(s)?.entries.some((e) => e.state === 'present') === true);
    const live = knownWest(first)?.entries.find((e) => e.state === 'present') ?? assert.fail('no live entry');
    await h
      .client(WEST)
      .makeApi(CoreV1Api)
      .deleteNamespacedPod({ name: live.podName, namespace: live.podNamespace, gracePeriodSeconds: 0 });
    await h.feed.refresh();
    const after = await waitFor(
      h.store,
      (s) => knownWest(s)?.entries.find((e) => e.workloadEntry === live.workloadEntry)?.state === 'missing',
      {
        what: `${live.workloadEntry} missing`,
      },
    );
    assert.equal(knownWest(after)?.entries.filter((e) => e.state === 'missing').length, STALE_PODS.length + 1);

    const [namespace = '', name = ''] = live.workloadEntry.split('/');
    await h
      .client(EAST)
      .makeApi(CustomObjectsApi)
      .deleteNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1', namespace, plural: 'workloadentries', name });
    await h.syncEntries();
    await waitFor(
      h.store,
      (s) => knownWest(s) !== undefined && !knownWest(s)?.entries.some((e) => e.workloadEntry === live.workloadEntry),
      {
        what: `${live.workloadEntry} gone from the fact`,
      },
    );
  });

  it('entries from a cluster outside the loaded contexts are recorded as notLoaded, never missing', async () => {
    unhandled = [];
    h = await harness('stale-autogenflat', { loaded: [EAST], learnClusterIds: [EAST] });
    h.feed.start();
    const state = await waitFor(h.store, (s) => knownWest(s) !== undefined, {
      what: 'the west fact',
      describe: (s) => JSON.stringify(westFact(s)),
    });
    const value = knownWest(state) ?? assert.fail('no fact');
    assert.equal(value.sourceContext, undefined);
    assert.ok(value.entries.length > 0);
    for (const entry of value.entries) {
      assert.equal(entry.state, 'notLoaded');
      assert.match(entry.reason ?? '', /^cluster west is not one of the loaded contexts \(cluster-east=east\)/);
    }
  });

  it("while a loaded context's CLUSTER_ID is unknown the fact is unknown, then known once it is learned", async () => {
    unhandled = [];
    h = await harness('stale-autogenflat', { loaded: [EAST, WEST], learnClusterIds: [EAST] });
    h.feed.start();
    const pending = await waitFor(h.store, (s) => westFact(s) !== undefined);
    const fact = westFact(pending);
    assert.equal(fact?.state, 'unknown');
    if (fact?.state === 'unknown') assert.match(fact.reason, /CLUSTER_ID of cluster-west is not known/);
    h.store.actions.setClusterId(WEST, clusterId('west'));
    const known = await waitFor(h.store, (s) => knownWest(s)?.entries.some((e) => e.state === 'missing') === true);
    assert.equal(knownWest(known)?.sourceContext, WEST);
  });

  it('forbidden to get pods in the source cluster: entries are unknown and say why, none is called missing', async () => {
    unhandled = [];
    h = await harness('stale-autogenflat', { loaded: [EAST, WEST], learnClusterIds: [EAST, WEST] });
    const user = h.t.sim.cluster(WEST).kubeconfigUser().name;
    h.t.sim.cluster(WEST).faults.forbid(user, { verb: 'get', resource: 'pods' });
    h.feed.start();
    const state = await waitFor(h.store, (s) => knownWest(s) !== undefined, { what: 'the west fact' });
    const value = knownWest(state) ?? assert.fail('no fact');
    for (const entry of value.entries) {
      assert.equal(entry.state, 'unknown');
      assert.match(
        entry.reason ?? '',
        new RegExp(
          `cannot look pod bookinfo/${entry.podName} up: cluster-west: forbidden: user "${user}" cannot get pods in namespace "bookinfo"`,
        ),
      );
    }
  });
});

describe('SourcePodsFeed and IstiodDebugFeed under MeshFeeds', () => {
  it('with the watch feed learning CLUSTER_IDs, stale-autogenflat shows its two stale entries and istiod facts arrive', async () => {
    unhandled = [];
    const t = await startScenario('stale-autogenflat');
    const store = createMeshStore({ intervalMs: 10 });
    const feeds: MeshFeeds = new MeshFeeds({
      kubeconfig: loadKubeconfig({ kubeconfigPath: t.kubeconfigPath }),
      store,
      extraFeeds: [
        (feed) => new IstiodDebugFeed({ ...feed, intervalMs: 60_000 }),
        (feed) => new SourcePodsFeed({ ...feed, clientFor: (context) => feeds.client(context), intervalMs: 60_000 }),
      ],
    });
    try {
      feeds.start();
      const state = await waitFor(
        store,
        (s) =>
          knownWest(s)?.entries.filter((e) => e.state === 'missing').length === STALE_PODS.length &&
          Object.values(s.facts[EAST]?.syncz ?? {}).some((f) => f.state === 'known'),
        { what: 'source-pod and syncz facts', timeoutMs: 20_000 },
      );
      assert.equal(state.contexts[WEST]?.clusterId, 'west');
      assert.deepEqual(
        knownWest(state)
          ?.entries.filter((e) => e.state === 'missing')
          .map((e) => e.podName)
          .sort(),
        STALE_PODS,
      );
    } finally {
      await feeds.stop();
      store.dispose();
      await t.stop();
    }
    assert.deepEqual(unhandled, []);
  });
});
