// The logs feed against simulated clusters, judged by what the store ends up holding: the
// signature counts of each context equal what the simulator's kubelet holds for the followed
// containers (so every line was read exactly once — also across stream resets and outages),
// deleted pods stop being followed, a cap leaves pods visibly unfollowed, and a context whose
// user may not read logs says `forbidden` while the other contexts go on.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { LogFeed, POD_LOGS_RESOURCE, type LogFeedOptions } from '../../src/feeds/logFeed.ts';
import { parseLogLine } from '../../src/mesh/ztunnelLog.ts';
import { classifyRecord, type SignatureId } from '../../src/mesh/logSignatures.ts';
import { createMeshStore, type MeshStore } from '../../src/store/meshStore.ts';
import { contextId, type MeshState } from '../../src/store/types.ts';
import type { SimCluster } from '../../src/sim/cluster.ts';
import type { KubeObject } from '../../src/sim/api/types.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const PODS_RESOURCE = 'pods#istiod-ztunnel';

interface Harness {
  test: TestSimulator;
  store: MeshStore;
  contexts: string[];
  /** Puts the simulator's istiod and ztunnel pods into the store, as the watch feed would. */
  mirrorPods(context: string): void;
  stop(): Promise<void>;
}

function meshPods(cluster: SimCluster): KubeObject[] {
  return cluster.list('v1', 'Pod').filter((p) => p.metadata.labels?.app === 'ztunnel' || p.metadata.labels?.app === 'istiod');
}

async function startHarness(scenario: string, options: LogFeedOptions = {}): Promise<Harness> {
  const test = await startScenario(scenario);
  const store = createMeshStore({ intervalMs: 20 });
  const clients: Map<string, ContextClient> = createContextClients(loadKubeconfig({ env: { KUBECONFIG: test.kubeconfigPath } }), {
    requestTimeoutMs: 10_000,
  });
  const contexts = test.sim.clusters.map((c) => c.context);
  const mirrorPods = (context: string): void => {
    store.actions.relist(contextId(context), PODS_RESOURCE, meshPods(test.sim.cluster(context)));
  };
  for (const context of contexts) mirrorPods(context);
  const feeds = contexts.map(
    (context) =>
      new LogFeed(
        { context: contextId(context), client: clients.get(context)!, store },
        { follower: { backoff: { initialMs: 20, maxMs: 200, forbiddenMs: 300 } }, ...options },
      ),
  );
  for (const feed of feeds) feed.start();
  return {
    test,
    store,
    contexts,
    mirrorPods,
    async stop(): Promise<void> {
      await Promise.all(feeds.map((feed) => feed.stop()));
      store.dispose();
      for (const client of clients.values()) await client.close();
      await test.stop();
    },
  };
}

/** What the signatures of a context must count: every failure line the followed containers hold. */
function expectedCounts(cluster: SimCluster, pods: readonly KubeObject[] = meshPods(cluster)): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pod of pods) {
    const istiod = pod.metadata.labels?.app === 'istiod';
    const buffer = cluster.podLog(pod.metadata.namespace ?? 'default', pod.metadata.name, istiod ? 'discovery' : 'istio-proxy');
    for (const line of buffer?.lines() ?? []) {
      const id = classifyRecord(parseLogLine(line.text, istiod ? 'istiod' : 'ztunnel'));
      if (id !== undefined) counts[id] = (counts[id] ?? 0) + 1;
    }
  }
  return counts;
}

function storedCounts(state: MeshState, context: string): Record<string, number> {
  const table = state.logSignatures[contextId(context)] ?? {};
  return Object.fromEntries(Object.values(table).map((agg) => [agg.id, agg.count]));
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** Waits until the store's counts for `context` equal the simulator's; returns them. */
async function countsMatch(h: Harness, context: string, what: string, pods?: () => KubeObject[]): Promise<Record<string, number>> {
  const cluster = h.test.sim.cluster(context);
  const expectedNow = (): Record<string, number> => expectedCounts(cluster, pods?.());
  const state = await waitFor(h.store, (s) => sameCounts(storedCounts(s, context), expectedNow()), {
    what,
    describe: (s) => `stored ${JSON.stringify(storedCounts(s, context))}, simulator ${JSON.stringify(expectedNow())}`,
  });
  return storedCounts(state, context);
}

/** A ztunnel line the classifier files under `connection-refused`. */
function refusedLine(marker: string): string {
  return (
    `${new Date().toISOString()}\terror\taccess\tconnection failed\tdst.addr=10.9.9.9:8080 error="connection ` +
    `refused (os error 111)" marker=${marker}`
  );
}

function ztunnels(h: Harness, context: string): KubeObject[] {
  return meshPods(h.test.sim.cluster(context)).filter((p) => p.metadata.labels?.app === 'ztunnel');
}

function streamsOf(state: MeshState, context: string): Record<string, { phase: string }> {
  return state.contexts[contextId(context)]?.logStreams ?? {};
}

function podLogsSync(state: MeshState, context: string): string | undefined {
  return state.contexts[contextId(context)]?.resources[POD_LOGS_RESOURCE]?.sync;
}

describe('LogFeed: signatures per context', () => {
  after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections'));

  const cases: { scenario: string; context: string; signatures: SignatureId[]; clean?: string }[] = [
    { scenario: 'network-mismatch', context: 'cluster-west', signatures: ['network-identity-mismatch'], clean: 'cluster-east' },
    { scenario: 'peer-disconnected', context: 'cluster-east', signatures: ['hbone-timeout', 'peer-disconnected'], clean: 'cluster-west' },
    { scenario: 'root-ca-mismatch', context: 'cluster-east', signatures: ['root-of-trust'] },
  ];
  for (const { scenario, context, signatures, clean } of cases) {
    it(`${scenario}: ${signatures.join(', ')} in ${context}, each line counted once`, async () => {
      const h = await startHarness(scenario);
      try {
        const counts = await countsMatch(h, context, `${context} signatures equal to the simulator's lines`);
        for (const id of signatures) assert.ok((counts[id] ?? 0) > 0, `${id} seen in ${context}`);
        if (clean !== undefined) {
          const other = await countsMatch(h, clean, `${clean} signatures`);
          for (const id of signatures) assert.equal(other[id], undefined, `${id} not in ${clean}`);
        }
        const state = h.store.getState();
        const streams = streamsOf(state, context);
        assert.equal(
          Object.keys(streams).length,
          meshPods(h.test.sim.cluster(context)).length,
          'every istiod and ztunnel pod has a stream',
        );
        assert.ok(
          Object.values(streams).every((s) => s.phase === 'following'),
          JSON.stringify(streams),
        );
        assert.equal(podLogsSync(state, context), 'synced');
      } finally {
        await h.stop();
      }
    });
  }
});

describe('LogFeed: resume, pods coming and going, garbage', () => {
  let h: Harness;
  const context = 'cluster-east';
  before(async () => {
    h = await startHarness('healthy');
  });
  after(async () => {
    await h.stop();
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  it('counts every line once across a stream reset', async () => {
    await countsMatch(h, context, 'initial history');
    const [zt] = ztunnels(h, context);
    const buffer = h.test.sim.cluster(context).podLog('istio-system', zt!.metadata.name, 'istio-proxy')!;
    const time = Date.now();
    buffer.append({ time, text: refusedLine('before-reset') });
    const before = await countsMatch(h, context, 'the line before the reset');
    assert.ok((before['connection-refused'] ?? 0) >= 1);
    h.test.sim.cluster(context).faults.resetStreams();
    // Same instant and text as a delivered line: a new line the resume must not mistake for a repeat.
    buffer.append({ time, text: refusedLine('before-reset') });
    buffer.append({ time: time + 1, text: refusedLine('after-reset') });
    const after = await countsMatch(h, context, 'lines across the reset');
    assert.equal(after['connection-refused'], (before['connection-refused'] ?? 0) + 2);
  });

  it('counts every line once across an outage of the API server', async () => {
    const cluster = h.test.sim.cluster(context);
    const before = await countsMatch(h, context, 'before the outage');
    await cluster.faults.setUnreachable(true);
    try {
      for (const zt of ztunnels(h, context)) {
        cluster
          .podLog('istio-system', zt.metadata.name, 'istio-proxy')!
          .append({ time: Date.now(), text: refusedLine(`outage-${zt.metadata.name}`) });
      }
      await waitFor(h.store, (s) => Object.values(streamsOf(s, context)).some((st) => st.phase === 'retrying'), {
        what: 'follows retrying',
      });
    } finally {
      await cluster.faults.setUnreachable(false);
    }
    const after = await countsMatch(h, context, 'lines written during the outage');
    assert.equal(after['connection-refused'], (before['connection-refused'] ?? 0) + ztunnels(h, context).length);
    await waitFor(h.store, (s) => Object.values(streamsOf(s, context)).every((st) => st.phase === 'following'), {
      what: 'all following again',
    });
  });

  it('garbage, binary and enormous lines never stop the feed', async () => {
    const [zt] = ztunnels(h, context);
    const buffer = h.test.sim.cluster(context).podLog('istio-system', zt!.metadata.name, 'istio-proxy')!;
    const before = await countsMatch(h, context, 'before garbage');
    const now = Date.now();
    buffer.append({ time: now, text: '\u0000\u001b[31m{"level":"error",' });
    buffer.append({ time: now, text: `${'x'.repeat(300_000)} error connection refused` });
    buffer.append({ time: now, text: '{"level":"error","msg":' + '['.repeat(10_000) });
    buffer.append({ time: now, text: '\uFFFD\uD800 not utf-8 \t\t\t= = =' });
    buffer.append({ time: now, text: refusedLine('after-garbage') });
    const state = await waitFor(
      h.store,
      (s) => (storedCounts(s, context)['connection-refused'] ?? 0) > (before['connection-refused'] ?? 0),
      { what: 'the line after the garbage' },
    );
    assert.ok(state.logSignatures[contextId(context)]?.['connection-refused']?.examples.some((e) => e.includes('after-garbage')));
    assert.equal(streamsOf(state, context)[`istio-system/${zt!.metadata.name}`]?.phase, 'following');
  });

  it('stops following a pod deleted in the simulator', async () => {
    const cluster = h.test.sim.cluster(context);
    const [gone, kept] = ztunnels(h, context);
    assert.ok(gone && kept);
    const rt = cluster.registry.byKind('v1', 'Pod')!;
    cluster.store.delete(rt, 'istio-system', gone.metadata.name, {});
    h.mirrorPods(context);
    await waitFor(h.store, (s) => streamsOf(s, context)[`istio-system/${gone.metadata.name}`] === undefined, {
      what: 'the deleted pod forgotten',
    });
    const before = storedCounts(h.store.getState(), context);
    // The simulator keeps the deleted pod's log buffer: a line there must not be read any more.
    cluster.podLog('istio-system', gone.metadata.name, 'istio-proxy')!.append({ time: Date.now(), text: refusedLine('deleted-pod') });
    cluster.podLog('istio-system', kept.metadata.name, 'istio-proxy')!.append({ time: Date.now(), text: refusedLine('kept-pod') });
    const state = await waitFor(
      h.store,
      (s) => s.logSignatures[contextId(context)]?.['connection-refused']?.examples.some((e) => e.includes('kept-pod')) === true,
      { what: "the kept pod's line" },
    );
    assert.equal(storedCounts(state, context)['connection-refused'], (before['connection-refused'] ?? 0) + 1);
    assert.ok(!state.logSignatures[contextId(context)]?.['connection-refused']?.examples.some((e) => e.includes('deleted-pod')));
  });
});

describe('LogFeed: cap on concurrent streams', () => {
  it('follows istiod first, shows the rest as not followed, and fills a freed slot', async () => {
    const h = await startHarness('healthy', { maxStreams: 1 });
    const context = 'cluster-west';
    try {
      const cluster = h.test.sim.cluster(context);
      const istiod = meshPods(cluster).find((p) => p.metadata.labels?.app === 'istiod')!;
      const ztunnelSources = ztunnels(h, context).map((p) => `istio-system/${p.metadata.name}`);
      let state = await waitFor(h.store, (s) => streamsOf(s, context)[`istio-system/${istiod.metadata.name}`]?.phase === 'following', {
        what: 'istiod followed',
      });
      for (const source of ztunnelSources) assert.equal(streamsOf(state, context)[source]?.phase, 'notFollowed', source);
      // Not followed means not counted: only istiod's lines are in the signatures.
      await countsMatch(h, context, 'istiod lines only', () => [istiod]);

      cluster.store.delete(cluster.registry.byKind('v1', 'Pod')!, 'istio-system', istiod.metadata.name, {});
      h.mirrorPods(context);
      state = await waitFor(h.store, (s) => ztunnelSources.some((src) => streamsOf(s, context)[src]?.phase === 'following'), {
        what: 'a ztunnel takes the freed slot',
      });
      const phases = ztunnelSources.map((src) => streamsOf(state, context)[src]?.phase).sort();
      assert.deepEqual(phases, ['following', 'notFollowed']);
      assert.equal(streamsOf(state, context)[`istio-system/${istiod.metadata.name}`], undefined);
    } finally {
      await h.stop();
    }
  });
});

describe('LogFeed: pods/log forbidden', () => {
  it('forbidden scenario: every context says forbidden on pods/log, pods stay synced', async () => {
    const h = await startHarness('forbidden');
    // What cluster-east showed, commit by commit: pods/log and each stream's phase.
    const seen: string[] = [];
    const unsubscribe = h.store.api.subscribe((s) => {
      const shown = [podLogsSync(s, 'cluster-east'), ...Object.values(streamsOf(s, 'cluster-east')).map((st) => st.phase)].join(' ');
      if (seen.at(-1) !== shown) seen.push(shown);
    });
    try {
      for (const context of h.contexts) {
        const state = await waitFor(h.store, (s) => podLogsSync(s, context) === 'forbidden', { what: `${context} pods/log forbidden` });
        const resource = state.contexts[contextId(context)]!.resources[POD_LOGS_RESOURCE]!;
        assert.equal(resource.error?.kind, 'forbidden');
        assert.match(resource.error?.message ?? '', /pods\/log/);
        assert.equal(state.contexts[contextId(context)]!.resources[PODS_RESOURCE]?.sync, 'synced');
        await waitFor(h.store, (s) => Object.values(streamsOf(s, context)).every((st) => st.phase === 'forbidden'), {
          what: `${context} streams forbidden`,
        });
        assert.deepEqual(storedCounts(h.store.getState(), context), {});
      }
      // Retries keep the status: it does not flicker back to syncing while a retry is under way
      // (slow answers make a retry long enough for the store to commit what it shows meanwhile).
      h.test.sim.cluster('cluster-east').faults.setLatency(150);
      const errorTimes = (s: MeshState): string[] =>
        Object.values(s.contexts[contextId('cluster-east')]?.logStreams ?? {})
          .map((st) => st.error?.at ?? '')
          .sort();
      const settledAt = errorTimes(h.store.getState()).at(-1) ?? '';
      await waitFor(h.store, (s) => errorTimes(s).every((at) => at > settledAt), { what: 'every stream retried again' });
      const settled = seen.findIndex((shown) => shown.split(' ').every((word) => word === 'forbidden'));
      assert.ok(settled >= 0);
      assert.deepEqual(seen.slice(settled + 1), [], `shown after settling: ${seen.slice(settled).join(' | ')}`);
    } finally {
      unsubscribe();
      await h.stop();
    }
  });

  it('one context forbidden at run time, the other keeps counting', async () => {
    const h = await startHarness('healthy');
    const [east, west] = ['cluster-east', 'cluster-west'] as const;
    try {
      await countsMatch(h, east, 'east history');
      await countsMatch(h, west, 'west history');
      const eastCluster = h.test.sim.cluster(east);
      eastCluster.faults.forbid(eastCluster.kubeconfigUser().name, { verb: 'get', resource: 'pods/log' });
      eastCluster.faults.resetStreams();
      await waitFor(h.store, (s) => podLogsSync(s, east) === 'forbidden', { what: 'east pods/log forbidden' });
      const westCluster = h.test.sim.cluster(west);
      const [zt] = ztunnels(h, west);
      westCluster.podLog('istio-system', zt!.metadata.name, 'istio-proxy')!.append({ time: Date.now(), text: refusedLine('west-goes-on') });
      const counts = await countsMatch(h, west, 'west goes on');
      assert.equal(counts['connection-refused'], 1);
      const state = h.store.getState();
      assert.equal(podLogsSync(state, west), 'synced');
      assert.equal(podLogsSync(state, east), 'forbidden');
    } finally {
      await h.stop();
    }
  });
});

describe('LogFeed: history reads for a one-shot snapshot', () => {
  it('network-mismatch: every log read to its end once, each line counted once, no stream left open', async () => {
    const h = await startHarness('network-mismatch', { history: true });
    try {
      for (const context of h.contexts) {
        const pods = meshPods(h.test.sim.cluster(context));
        const state = await waitFor(
          h.store,
          (s) =>
            Object.keys(streamsOf(s, context)).length === pods.length &&
            Object.values(streamsOf(s, context)).every((st) => st.phase === 'following'),
          { what: `${context}: every history read` },
        );
        assert.deepEqual(storedCounts(state, context), expectedCounts(h.test.sim.cluster(context)));
        assert.equal(podLogsSync(state, context), 'synced');
        // A follow would still hold its stream open; a history read has ended.
        assert.equal(h.test.sim.cluster(context).faults.openStreams, 0);
      }
      assert.ok((storedCounts(h.store.getState(), 'cluster-west')['network-identity-mismatch'] ?? 0) > 0);
    } finally {
      await h.stop();
    }
  });

  it('forbidden scenario: each read fails as forbidden and pods/log says so', async () => {
    const h = await startHarness('forbidden', { history: true });
    try {
      for (const context of h.contexts) {
        const state = await waitFor(
          h.store,
          (s) => podLogsSync(s, context) === 'forbidden' && Object.values(streamsOf(s, context)).every((st) => st.phase === 'forbidden'),
          {
            what: `${context} pods/log forbidden`,
          },
        );
        assert.match(state.contexts[contextId(context)]!.resources[POD_LOGS_RESOURCE]!.error?.message ?? '', /pods\/log/);
        assert.deepEqual(storedCounts(state, context), {});
      }
    } finally {
      await h.stop();
    }
  });
});
