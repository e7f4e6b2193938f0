// What each timeline event does to a running simulated cluster, on a clock the test moves by
// hand: real writes to the object store (a watch sees MODIFIED, ADDED, DELETED), the kubelet's
// view of a crashing, restarted or replaced pod (status, restart count, `--previous` log, the
// owner's ready count), log lines appearing over the burst's seconds, an API server that stops
// answering, and `heal` putting each back. Nothing here waits for real time.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Simulator } from '../../src/sim/simulator.ts';
import type { SimCluster } from '../../src/sim/cluster.ts';
import { loadScenarioFile } from '../../src/sim/scenario/load.ts';
import type { KubeObject } from '../../src/sim/api/types.ts';
import type { StoreEvent } from '../../src/sim/api/objectStore.ts';
import { ManualClock } from './pod/manualClock.ts';
import { SCENARIO_NOW, scratchDir, withTimeline } from './scenario/scenarioFixtures.ts';

const dir = scratchDir('mesh-tui-timeline-');

let running: Simulator | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(timeline: string, mode: 'auto' | 'manual' = 'auto'): Promise<{ sim: Simulator; clock: ManualClock }> {
  const file = await dir.write('timed.yaml', withTimeline(timeline));
  const clock = new ManualClock(SCENARIO_NOW.getTime());
  const sim = await Simulator.start(await loadScenarioFile(file, { now: new Date(clock.now()) }), { clock, timeline: mode });
  running = sim;
  return { sim, clock };
}

function get(cluster: SimCluster, apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return cluster.list(apiVersion, kind, namespace).find((o) => o.metadata.name === name);
}

function pods(cluster: SimCluster, app: string): KubeObject[] {
  return cluster.list('v1', 'Pod', 'istio-system').filter((p) => p.metadata.labels?.app === app);
}

function podOn(cluster: SimCluster, app: string, node: string): KubeObject {
  const pod = pods(cluster, app).find((p) => (p.spec as { nodeName?: string }).nodeName === node);
  assert.ok(pod, `${app} pod on ${node}`);
  return pod;
}

interface ContainerStatusView {
  ready: boolean;
  restartCount: number;
  state: { waiting?: { reason: string }; running?: object };
  lastState: { terminated?: { exitCode: number } };
}

function container(pod: KubeObject): ContainerStatusView {
  const status = pod.status as { containerStatuses: ContainerStatusView[] };
  return status.containerStatuses[0] as ContainerStatusView;
}

function condition(
  obj: KubeObject,
  type: string,
): { status: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  const conditions = (obj.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === type);
}

function watchAll(cluster: SimCluster, kind: string, apiVersion = 'v1'): StoreEvent[] {
  const rt = cluster.registry.byKind(apiVersion, kind);
  assert.ok(rt);
  const events: StoreEvent[] = [];
  // From now on: not the ADDED events of what is already there.
  cluster.store.watch(rt, { resourceVersion: cluster.store.currentResourceVersion() }, (e) => events.push(e));
  return events;
}

/** GET a path of the cluster's API as its admin, the way kubectl would. */
function apiGet(cluster: SimCluster, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, cluster.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.kubeconfigUser().token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('timeline events on a running simulator', () => {
  it('sets a label through the object store (watches see MODIFIED) and heals it back', async () => {
    const { sim, clock } = await start(`  - at: 5
    id: relabel
    context: a
    setLabel: { kind: Namespace, name: istio-system, label: topology.istio.io/network, value: elsewhere }
  - at: 10
    heal: relabel
`);
    const a = sim.cluster('a');
    const events = watchAll(a, 'Namespace');
    const network = (): string | undefined =>
      get(a, 'v1', 'Namespace', undefined, 'istio-system')?.metadata.labels?.['topology.istio.io/network'];
    assert.equal(network(), 'a');
    clock.advance(4_999);
    assert.equal(network(), 'a', 'nothing before its second');
    clock.advance(1);
    assert.equal(network(), 'elsewhere');
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.['topology.istio.io/network']}`),
      ['MODIFIED istio-system elsewhere'],
    );
    clock.advance(5_000);
    assert.equal(network(), 'a', 'healed');
    assert.equal(events.length, 2);
    assert.deepEqual(
      sim.timeline.played.map((p) => [p.playedAtMs, p.event.description, p.error]),
      [
        [5_000, 'a: label Namespace istio-system topology.istio.io/network=elsewhere', undefined],
        [10_000, 'a: heal relabel', undefined],
      ],
    );
    assert.ok(sim.timeline.finished);
  });

  it('flips a remote Gateway condition, moving its transition time, and heals it', async () => {
    const { sim, clock } = await start(`  - at: 3
    id: link-down
    context: a
    setCondition: { peer: b, type: PeerConnected, status: "False", reason: Pending, message: not connected to peer }
  - at: 9
    heal: link-down
`);
    const a = sim.cluster('a');
    const gateway = (): KubeObject => {
      const gw = get(a, 'gateway.networking.k8s.io/v1', 'Gateway', 'istio-eastwest', 'istio-remote-peer-b');
      assert.ok(gw);
      return gw;
    };
    const before = condition(gateway(), 'gloo.solo.io/PeerConnected');
    assert.equal(before?.status, 'True');
    clock.advance(3_000);
    const down = condition(gateway(), 'gloo.solo.io/PeerConnected');
    assert.deepEqual(
      { status: down?.status, reason: down?.reason, message: down?.message, at: down?.lastTransitionTime },
      { status: 'False', reason: 'Pending', message: 'not connected to peer', at: '2026-01-10T12:00:03Z' },
    );
    // The other conditions are left as they were.
    assert.equal(condition(gateway(), 'gloo.solo.io/PeeringSucceeded')?.status, 'True');
    clock.advance(6_000);
    const healed = condition(gateway(), 'gloo.solo.io/PeerConnected');
    assert.deepEqual([healed?.status, healed?.reason, healed?.lastTransitionTime], ['True', before?.reason, '2026-01-10T12:00:09Z']);
  });

  it('crash-loops a pod: not ready, CrashLoopBackOff, restarts growing, the failed run in --previous, its DaemonSet short', async () => {
    const { sim, clock } = await start(`  - at: 2
    id: crash
    context: b
    crashPod: { pods: app=ztunnel, node: b-worker, everySeconds: 10, lastLogLine: "Error: CNI plugin is not ready" }
  - at: 40
    heal: crash
`);
    const b = sim.cluster('b');
    const name = podOn(b, 'ztunnel', 'b-worker').metadata.name;
    const pod = (): KubeObject => {
      const p = get(b, 'v1', 'Pod', 'istio-system', name);
      assert.ok(p);
      return p;
    };
    const daemonSetReady = (): unknown =>
      (get(b, 'apps/v1', 'DaemonSet', 'istio-system', 'ztunnel')?.status as { numberReady?: unknown }).numberReady;
    assert.equal(daemonSetReady(), 2);
    clock.advance(2_000);
    let status = container(pod());
    assert.deepEqual(
      [status.ready, status.restartCount, status.state.waiting?.reason, status.lastState.terminated?.exitCode],
      [false, 1, 'CrashLoopBackOff', 1],
    );
    assert.equal(condition(pod(), 'Ready')?.status, 'False');
    assert.equal(daemonSetReady(), 1);
    assert.equal(container(podOn(b, 'ztunnel', 'b-control-plane')).ready, true, 'the other node is untouched');
    clock.advance(10_000);
    assert.equal(container(pod()).restartCount, 2, 'one more restart per back-off');
    clock.advance(10_000);
    assert.equal(container(pod()).restartCount, 3);
    const previous = await apiGet(b, `/api/v1/namespaces/istio-system/pods/${name}/log?previous=true`);
    assert.equal(previous.status, 200);
    assert.match(previous.body.trimEnd().split('\n').at(-1) ?? '', /Error: CNI plugin is not ready$/);
    clock.advance(20_000);
    status = container(pod());
    // Crashed at 2 s, again at 12, 22 and 32 s; started for good at 40 s.
    assert.deepEqual([status.ready, status.restartCount, status.state.running !== undefined], [true, 5, true], 'healed at 40 s');
    assert.equal(condition(pod(), 'Ready')?.status, 'True');
    assert.equal(daemonSetReady(), 2);
    clock.advance(60_000);
    assert.equal(container(pod()).restartCount, 5, 'the back-off stopped');
  });

  it('restarts a pod in place: one more restart, still Ready, what it logged in --previous', async () => {
    const { sim, clock } = await start(`  - at: 1
    context: a
    restartPod: { pods: app=ztunnel, node: a-worker }
`);
    const a = sim.cluster('a');
    const name = podOn(a, 'ztunnel', 'a-worker').metadata.name;
    const logBefore = await apiGet(a, `/api/v1/namespaces/istio-system/pods/${name}/log`);
    clock.advance(1_000);
    const status = container(podOn(a, 'ztunnel', 'a-worker'));
    assert.deepEqual([status.ready, status.restartCount, status.lastState.terminated?.exitCode], [true, 1, 137]);
    const previous = await apiGet(a, `/api/v1/namespaces/istio-system/pods/${name}/log?previous=true`);
    assert.equal(previous.body, logBefore.body);
  });

  it('deletes a pod; its DaemonSet replaces it under a new name on the same node, Running and logging', async () => {
    const { sim, clock } = await start(`  - at: 1
    context: a
    deletePod: { pods: app=ztunnel, node: a-worker, replaceAfterSeconds: 3 }
`);
    const a = sim.cluster('a');
    const events = watchAll(a, 'Pod');
    const old = podOn(a, 'ztunnel', 'a-worker');
    clock.advance(1_000);
    assert.equal(get(a, 'v1', 'Pod', 'istio-system', old.metadata.name), undefined);
    assert.equal(pods(a, 'ztunnel').length, 1);
    assert.equal((get(a, 'apps/v1', 'DaemonSet', 'istio-system', 'ztunnel')?.status as { numberReady?: number }).numberReady, 1);
    clock.advance(3_000);
    const fresh = podOn(a, 'ztunnel', 'a-worker');
    assert.notEqual(fresh.metadata.name, old.metadata.name);
    assert.match(fresh.metadata.name, /^ztunnel-[a-z0-9]{5}$/);
    assert.notEqual(fresh.metadata.uid, old.metadata.uid);
    assert.deepEqual(fresh.metadata.labels, old.metadata.labels);
    assert.deepEqual(
      [container(fresh).ready, container(fresh).restartCount, (fresh.status as { phase: string }).phase],
      [true, 0, 'Running'],
    );
    assert.deepEqual(
      events
        .filter((e) => e.object.metadata.labels?.app === 'ztunnel')
        .map((e) => `${e.type} ${e.object.metadata.name === old.metadata.name ? 'old' : 'new'}`),
      ['DELETED old', 'ADDED new', 'MODIFIED new'],
    );
    assert.equal((get(a, 'apps/v1', 'DaemonSet', 'istio-system', 'ztunnel')?.status as { numberReady?: number }).numberReady, 2);
    const log = await apiGet(a, `/api/v1/namespaces/istio-system/pods/${fresh.metadata.name}/log`);
    assert.equal(log.status, 200);
    assert.match(log.body, /ztunnel/, 'the replacement logs its start-up');
  });

  it('writes a log burst into the matching pods over its seconds, each node its own line', async () => {
    const { sim, clock } = await start(`  - at: 2
    context: a
    logBurst:
      pods: app=ztunnel
      event: { kind: hbone-timeout, to: b, service: bookinfo/reviews }
      lines: 5
      overSeconds: 4
`);
    const a = sim.cluster('a');
    const timeouts = (node: string): string[] => {
      const pod = podOn(a, 'ztunnel', node);
      const lines = a.podLog('istio-system', pod.metadata.name, 'istio-proxy')?.lines() ?? [];
      return lines.filter((l) => l.text.includes('blocking HBONE port 15008')).map((l) => l.text);
    };
    assert.deepEqual([timeouts('a-worker').length, timeouts('a-control-plane').length], [0, 0]);
    clock.advance(2_000);
    assert.deepEqual([timeouts('a-worker').length, timeouts('a-control-plane').length], [1, 1]);
    clock.advance(2_000);
    assert.equal(timeouts('a-worker').length, 3);
    clock.advance(2_000);
    assert.equal(timeouts('a-worker').length, 5);
    clock.advance(60_000);
    assert.equal(timeouts('a-worker').length, 5, 'a burst ends');
    // Each line carries its own time, in ztunnel's format.
    assert.match(timeouts('a-worker')[4] ?? '', /^2026-01-10T12:00:06\.000000Z\s+error/);
    assert.ok(!timeouts('a-worker').some((t) => t.includes('{{timestamp}}')));
  });

  it('cuts a cluster off and heals it: its API server stops answering, then answers again', async () => {
    const { sim, clock } = await start(`  - at: 1
    id: down
    context: b
    cutOff: {}
  - at: 5
    heal: down
`);
    const b = sim.cluster('b');
    assert.equal((await apiGet(b, '/version')).status, 200);
    clock.advance(1_000);
    await sim.timeline.whenIdle();
    await assert.rejects(apiGet(b, '/version'));
    assert.equal((await apiGet(sim.cluster('a'), '/version')).status, 200, 'the other cluster is fine');
    clock.advance(4_000);
    await sim.timeline.whenIdle();
    assert.equal((await apiGet(b, '/version')).status, 200);
  });

  it('waits in manual mode until started or run to its end; stop leaves no timer behind', async () => {
    const { sim, clock } = await start(
      `  - at: 5
    context: a
    crashPod: { pods: app=ztunnel, node: a-worker }
  - at: 50
    context: a
    logBurst: { pods: app=ztunnel, event: { kind: text, text: "{{timestamp}} error boom" }, lines: 3, overSeconds: 30 }
`,
      'manual',
    );
    const a = sim.cluster('a');
    clock.advance(60_000);
    assert.equal(sim.timeline.played.length, 0);
    assert.equal(container(podOn(a, 'ztunnel', 'a-worker')).ready, true);
    await sim.timeline.runToEnd();
    assert.deepEqual(
      sim.timeline.played.map((p) => [p.playedAtMs, p.error]),
      [
        [0, undefined],
        [0, undefined],
      ],
    );
    assert.equal(container(podOn(a, 'ztunnel', 'a-worker')).ready, false);
    const pod = podOn(a, 'ztunnel', 'a-control-plane');
    const booms =
      a
        .podLog('istio-system', pod.metadata.name, 'istio-proxy')
        ?.lines()
        .filter((l) => l.text.endsWith('error boom')) ?? [];
    assert.equal(booms.length, 3, 'a burst run to the end is written at once');
    await sim.stop();
    assert.equal(clock.pendingTimers, 0, 'back-offs, bursts and log schedules are all cancelled');
  });
});
