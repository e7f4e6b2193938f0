// The one-shot log read against simulated clusters: it delivers exactly the history the kubelet
// holds (bounded by tailLines), says when that was all of it, and ends; a 429 is waited out, a
// refusal is final and says why.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { LogHistoryReader, type LogHistoryOptions } from '../../src/kube/logHistory.ts';
import type { FollowedLine, LogFollowState } from '../../src/kube/logFollower.ts';
import { kubeletTimestamp } from '../../src/sim/pod/logTime.ts';
import type { LogBuffer } from '../../src/sim/pod/logBuffer.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitUntil } from '../helpers/waitFor.ts';
import { ManualClock } from '../helpers/manualClock.ts';

interface Recorder {
  lines: FollowedLine[];
  states: LogFollowState[];
  reader: LogHistoryReader;
}

function read(client: ContextClient, pod: string, extra: Partial<LogHistoryOptions> = {}): Recorder {
  const lines: FollowedLine[] = [];
  const states: LogFollowState[] = [];
  const reader = new LogHistoryReader({
    client,
    namespace: 'istio-system',
    pod,
    container: 'istio-proxy',
    onLines: (batch) => lines.push(...batch),
    onState: (state) => states.push(state),
    ...extra,
  });
  reader.start();
  return { lines, states, reader };
}

const ended = (r: Recorder): boolean => r.states.some((s) => s.phase === 'following' || s.phase === 'failed');

/** The buffer as a client with ?timestamps=true reads it. */
function expected(buffer: LogBuffer): string[] {
  return buffer.lines().map((line) => `${kubeletTimestamp(line.time)} ${line.text}`);
}

function received(recorder: Recorder): string[] {
  return recorder.lines.map((line) => `${line.timestamp ?? '-'} ${line.text}`);
}

function ztunnelPod(test: TestSimulator, context: string): string {
  const pod = test.sim
    .cluster(context)
    .list('v1', 'Pod', 'istio-system')
    .find((p) => p.metadata.labels?.app === 'ztunnel');
  assert.ok(pod, `a ztunnel pod in ${context}`);
  return pod.metadata.name;
}

describe('LogHistoryReader against the simulator', () => {
  let test: TestSimulator;
  let clients: Map<string, ContextClient>;
  let context: string;

  before(async () => {
    test = await startScenario('healthy');
    clients = createContextClients(loadKubeconfig({ env: { KUBECONFIG: test.kubeconfigPath } }), { requestTimeoutMs: 10_000 });
    context = test.sim.clusters[0]!.context;
  });
  after(async () => {
    for (const client of clients.values()) await client.close();
    await test.stop();
  });

  it('delivers the last tailLines of the history, says it has all of it, and reads nothing after', async () => {
    const pod = ztunnelPod(test, context);
    const buffer = test.sim.cluster(context).podLog('istio-system', pod, 'istio-proxy')!;
    buffer.append({ time: Date.now(), text: 'history line one' });
    buffer.append({ time: Date.now(), text: 'history line two' });
    const history = expected(buffer).slice(-2);
    const recorder = read(clients.get(context)!, pod, { tailLines: 2 });
    try {
      await waitUntil(() => ended(recorder), { what: 'the read to end' });
      assert.deepEqual(received(recorder), history);
      assert.deepEqual(
        recorder.states.map((s) => s.phase),
        ['connecting', 'following'],
      );
      buffer.append({ time: Date.now(), text: 'written after the read' });
    } finally {
      await recorder.reader.stop();
    }
    assert.deepEqual(received(recorder), history, 'a history read is not a follow');
  });

  it('waits out a 429 for exactly its Retry-After, then reads', async () => {
    const cluster = test.sim.cluster(context);
    const pod = ztunnelPod(test, context);
    const clock = new ManualClock();
    cluster.faults.tooManyRequests(1, 3, 'pods');
    const recorder = read(clients.get(context)!, pod, { tailLines: 5, clock });
    try {
      await waitUntil(() => clock.pending === 1, { what: 'the reader to wait after the 429' });
      const retry = recorder.states.find((s) => s.phase === 'retrying');
      assert.ok(retry?.phase === 'retrying', JSON.stringify(recorder.states));
      assert.equal(retry.error?.kind, 'throttled');
      assert.equal(retry.retryInMs, 3_000);
      clock.advance(2_999);
      assert.equal(clock.pending, 1, 'not asked again before Retry-After');
      clock.advance(1);
      await waitUntil(() => ended(recorder), { what: 'the read after the 429' });
      assert.equal(recorder.states.at(-1)?.phase, 'following');
      assert.equal(recorder.lines.length, 5);
    } finally {
      cluster.faults.tooManyRequests(0, 0);
      await recorder.reader.stop();
    }
  });

  it("a container that does not exist fails once, with the server's reason, and is not asked again", async () => {
    const pod = ztunnelPod(test, context);
    const clock = new ManualClock();
    const recorder = read(clients.get(context)!, pod, { container: 'no-such-container', clock });
    try {
      await waitUntil(() => ended(recorder), { what: 'the read to fail' });
      const failed = recorder.states.at(-1);
      assert.ok(failed?.phase === 'failed', JSON.stringify(recorder.states));
      assert.equal(failed.error.kind, 'invalid');
      assert.match(failed.error.message, /no-such-container/);
      assert.equal(clock.pending, 0, 'no retry is scheduled');
      assert.equal(recorder.lines.length, 0);
    } finally {
      await recorder.reader.stop();
    }
  });
});

describe('LogHistoryReader with a user forbidden pods/log', () => {
  let test: TestSimulator;
  let clients: Map<string, ContextClient>;

  before(async () => {
    test = await startScenario('forbidden');
    clients = createContextClients(loadKubeconfig({ env: { KUBECONFIG: test.kubeconfigPath } }), { requestTimeoutMs: 10_000 });
  });
  after(async () => {
    for (const client of clients.values()) await client.close();
    await test.stop();
  });

  it('fails as forbidden, names pods/log, and delivers nothing', async () => {
    const context = test.sim.clusters[0]!.context;
    const recorder = read(clients.get(context)!, ztunnelPod(test, context));
    try {
      await waitUntil(() => ended(recorder), { what: 'the read to fail' });
      const failed = recorder.states.at(-1);
      assert.ok(failed?.phase === 'failed', JSON.stringify(recorder.states));
      assert.equal(failed.error.kind, 'forbidden');
      assert.match(failed.error.message, /pods\/log/);
      assert.equal(recorder.lines.length, 0);
    } finally {
      await recorder.reader.stop();
    }
  });
});
