// The log follower against simulated clusters: what it delivers is exactly what the kubelet
// holds for the container — after stream resets and outages too — and a forbidden pods/log
// is reported as such. Lines are written into the simulator's log buffer by the test, so the
// expected content is known line by line.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { LogFollower, type FollowedLine, type LogFollowState } from '../../src/kube/logFollower.ts';
import { kubeletTimestamp } from '../../src/sim/pod/logTime.ts';
import type { LogBuffer } from '../../src/sim/pod/logBuffer.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitUntil } from '../helpers/waitFor.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

interface Recorder {
  lines: FollowedLine[];
  states: LogFollowState[];
  follower: LogFollower;
}

function follow(client: ContextClient, namespace: string, pod: string, container: string): Recorder {
  const lines: FollowedLine[] = [];
  const states: LogFollowState[] = [];
  const follower = new LogFollower({
    client,
    namespace,
    pod,
    container,
    backoff: { initialMs: 20, maxMs: 200, forbiddenMs: 200 },
    onLines: (batch) => lines.push(...batch),
    onState: (state) => states.push(state),
  });
  follower.start();
  return { lines, states, follower };
}

/** The buffer as a client with ?timestamps=true reads it. */
function expected(buffer: LogBuffer): string[] {
  return buffer.lines().map((line) => `${kubeletTimestamp(line.time)} ${line.text}`);
}

function received(recorder: Recorder): string[] {
  return recorder.lines.map((line) => `${line.timestamp ?? '-'} ${line.text}`);
}

async function receivedAll(recorder: Recorder, buffer: LogBuffer, what: string): Promise<void> {
  await waitUntil(() => recorder.lines.length >= buffer.lines().length, { what, timeoutMs: 15_000 });
  assert.deepEqual(received(recorder), expected(buffer), what);
}

function ztunnelPod(test: TestSimulator, context: string): string {
  const pod = test.sim
    .cluster(context)
    .list('v1', 'Pod', 'istio-system')
    .find((p) => p.metadata.labels?.app === 'ztunnel');
  assert.ok(pod, `a ztunnel pod in ${context}`);
  return pod.metadata.name;
}

function clientsFor(test: TestSimulator): Map<string, ContextClient> {
  return createContextClients(loadKubeconfig({ env: { KUBECONFIG: test.kubeconfigPath } }), { requestTimeoutMs: 10_000 });
}

describe('LogFollower against the simulator', () => {
  let test: TestSimulator;
  let clients: Map<string, ContextClient>;
  let context: string;

  before(async () => {
    test = await startScenario('healthy');
    clients = clientsFor(test);
    context = test.sim.clusters[0]!.context;
  });
  after(async () => {
    for (const client of clients.values()) await client.close();
    await test.stop();
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  it('delivers the history and then new lines, timestamps stripped and kept', async () => {
    const pod = ztunnelPod(test, context);
    const buffer = test.sim.cluster(context).podLog('istio-system', pod, 'istio-proxy');
    assert.ok(buffer);
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    try {
      await receivedAll(recorder, buffer, 'the history');
      assert.ok(recorder.lines.length > 0);
      buffer.append({ time: Date.now(), text: 'first new line' });
      buffer.append({ time: Date.now(), text: 'second new line' });
      await receivedAll(recorder, buffer, 'history plus two new lines');
      assert.ok(recorder.lines.every((line) => line.timestamp !== undefined && !line.text.startsWith(line.timestamp)));
      assert.ok(recorder.states.some((state) => state.phase === 'following'));
    } finally {
      await recorder.follower.stop();
    }
  });

  it('resumes after the simulator resets every stream: each line exactly once', async () => {
    const pod = ztunnelPod(test, context);
    const buffer = test.sim.cluster(context).podLog('istio-system', pod, 'istio-proxy')!;
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    try {
      const at = Date.now();
      buffer.append({ time: at, text: 'before reset A' });
      buffer.append({ time: at, text: 'same instant, same text' });
      await receivedAll(recorder, buffer, 'lines before the reset');
      const attemptsBefore = recorder.states.filter((s) => s.phase === 'retrying').length;
      test.sim.cluster(context).faults.resetStreams();
      // Same second as lines already delivered (the resume replays that second), one repeated text.
      buffer.append({ time: at, text: 'same instant, same text' });
      buffer.append({ time: at + 1, text: 'after reset B' });
      await receivedAll(recorder, buffer, 'lines across the reset');
      assert.ok(recorder.states.filter((s) => s.phase === 'retrying').length > attemptsBefore, 'the stream was reopened');
      buffer.append({ time: Date.now(), text: 'after reset C' });
      await receivedAll(recorder, buffer, 'lines after the resume');
    } finally {
      await recorder.follower.stop();
    }
  });

  it('resumes after the API server was unreachable: nothing lost, nothing repeated', async () => {
    const cluster = test.sim.cluster(context);
    const pod = ztunnelPod(test, context);
    const buffer = cluster.podLog('istio-system', pod, 'istio-proxy')!;
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    try {
      await receivedAll(recorder, buffer, 'the history');
      await cluster.faults.setUnreachable(true);
      const down = Date.now();
      for (let i = 0; i < 5; i++) buffer.append({ time: down + i, text: `written while unreachable ${i}` });
      await waitUntil(() => recorder.states.some((s) => s.phase === 'retrying' && s.error?.kind === 'unreachable'), {
        what: 'a retry classified unreachable',
      });
      await cluster.faults.setUnreachable(false);
      await receivedAll(recorder, buffer, 'lines written during the outage');
    } finally {
      await cluster.faults.setUnreachable(false);
      await recorder.follower.stop();
    }
  });

  it('stop() ends the follow: no retry, no line after it', async () => {
    const pod = ztunnelPod(test, context);
    const buffer = test.sim.cluster(context).podLog('istio-system', pod, 'istio-proxy')!;
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    await receivedAll(recorder, buffer, 'the history');
    await recorder.follower.stop();
    const count = recorder.lines.length;
    assert.equal(recorder.states.at(-1)?.phase, 'stopped');
    buffer.append({ time: Date.now(), text: 'after stop' });
    // Another follower sees the line arrive; by then the stopped one would have had it too.
    const witness = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    try {
      await receivedAll(witness, buffer, 'the witness follow');
    } finally {
      await witness.follower.stop();
    }
    assert.equal(recorder.lines.length, count);
  });

  it('reads only the last tailLines at first, and resumes after a reset with sinceTime, not the tail', async () => {
    const cluster = test.sim.cluster(context);
    const pod = ztunnelPod(test, context);
    const buffer = cluster.podLog('istio-system', pod, 'istio-proxy')!;
    const lines: FollowedLine[] = [];
    const follower = new LogFollower({
      client: clients.get(context)!,
      namespace: 'istio-system',
      pod,
      container: 'istio-proxy',
      tailLines: 2,
      backoff: { initialMs: 20, maxMs: 200 },
      onLines: (batch) => lines.push(...batch),
    });
    follower.start();
    try {
      const tail = expected(buffer).slice(-2);
      await waitUntil(() => lines.length >= 2, { what: 'the tail' });
      const at = Date.now();
      buffer.append({ time: at, text: 'tail test one' });
      await waitUntil(() => lines.length >= 3, { what: 'one new line' });
      cluster.faults.resetStreams();
      buffer.append({ time: at, text: 'tail test two' });
      buffer.append({ time: at + 1, text: 'tail test three' });
      await waitUntil(() => lines.length >= 5, { what: 'lines after the reset' });
      const got = lines.map((line) => `${line.timestamp ?? '-'} ${line.text}`);
      assert.deepEqual(got, [...tail, ...expected(buffer).slice(-3)]);
    } finally {
      await follower.stop();
    }
  });

  it('waits as long as a 429 asks before trying again', async () => {
    const cluster = test.sim.cluster(context);
    const pod = ztunnelPod(test, context);
    cluster.faults.tooManyRequests(1, 1, 'pods');
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'istio-proxy');
    try {
      await waitUntil(() => recorder.states.some((s) => s.phase === 'following'), { what: 'following after the 429' });
      const retry = recorder.states.find((s) => s.phase === 'retrying');
      assert.ok(retry && retry.phase === 'retrying', JSON.stringify(recorder.states));
      assert.equal(retry.error?.kind, 'throttled');
      assert.ok(retry.retryInMs >= 1000, `waited ${retry.retryInMs} ms`);
    } finally {
      cluster.faults.tooManyRequests(0, 0);
      await recorder.follower.stop();
    }
  });

  it('reports a container that does not exist as a classified error and keeps retrying', async () => {
    const pod = ztunnelPod(test, context);
    const recorder = follow(clients.get(context)!, 'istio-system', pod, 'no-such-container');
    try {
      await waitUntil(() => recorder.states.filter((s) => s.phase === 'retrying').length >= 2, { what: 'two retries' });
      const retry = recorder.states.find((s) => s.phase === 'retrying');
      assert.ok(retry && retry.phase === 'retrying');
      assert.equal(retry.error?.kind, 'invalid');
      assert.match(retry.error?.message ?? '', /no-such-container/);
      assert.equal(recorder.lines.length, 0);
    } finally {
      await recorder.follower.stop();
    }
  });
});

describe('LogFollower with a user forbidden pods/log', () => {
  let test: TestSimulator;
  let clients: Map<string, ContextClient>;

  before(async () => {
    test = await startScenario('forbidden');
    clients = clientsFor(test);
  });
  after(async () => {
    for (const client of clients.values()) await client.close();
    await test.stop();
  });

  it('says forbidden, names pods/log, and delivers nothing', async () => {
    const context = test.sim.clusters[0]!.context;
    const recorder = follow(clients.get(context)!, 'istio-system', ztunnelPod(test, context), 'istio-proxy');
    try {
      await waitUntil(() => recorder.states.some((s) => s.phase === 'retrying'), { what: 'a retry' });
      const retry = recorder.states.find((s) => s.phase === 'retrying');
      assert.ok(retry && retry.phase === 'retrying');
      assert.equal(retry.error?.kind, 'forbidden');
      assert.equal(retry.error?.statusCode, 403);
      assert.match(retry.error?.message ?? '', /pods\/log/);
      assert.ok(retry.retryInMs >= 200, 'forbidden waits the forbidden delay');
      assert.equal(recorder.lines.length, 0);
    } finally {
      await recorder.follower.stop();
    }
  });
});
