// Stall detection without false alarms, against a scripted loopback API server: a follow stream
// that stays open but stops delivering while the kubelet has new lines is reopened (and the
// resume delivers just the missing line); a stream that is silent because the pod is quiet is
// left alone however many times it is checked.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createContextClients, type ContextClient } from '../../src/kube/contextClient.ts';
import { LogFollower, type FollowedLine, type LogFollowState } from '../../src/kube/logFollower.ts';
import { startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';
import { waitUntil } from '../helpers/waitFor.ts';

const SECOND = '2026-11-26T05:00:00';

/** A kubelet whose follow streams send what it holds at connect time and then go silent. */
class StuckKubelet {
  lines: string[] = [];
  readonly open = new Set<ServerResponse>();

  handle(url: URL, response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    // All lines share one second, so sinceTime (whole seconds) selects every one of them.
    response.write(this.lines.map((line) => `${line}\n`).join(''));
    if (url.searchParams.get('follow') === 'true') this.open.add(response);
    else response.end();
  }
}

describe('LogFollower stall detection', () => {
  let server: LoopbackApiServer;
  let kubelet: StuckKubelet;
  let tmp: TempDir;
  let client: ContextClient;

  before(async () => {
    kubelet = new StuckKubelet();
    server = await startLoopbackApiServer((request, response) => kubelet.handle(new URL(request.url ?? '/', 'https://x'), response), {
      name: 'stall',
    });
    tmp = makeTempDir();
    const file = tmp.writeKubeconfig('kubeconfig', tokenKubeconfig('stall', server.url, server.caData, 'token'));
    client = createContextClients(loadKubeconfig({ env: { KUBECONFIG: file } })).get('stall')!;
  });
  after(async () => {
    await client.close();
    await server.close();
    tmp.remove();
  });

  const followRequests = (): string[] => server.requests.map((r) => r.path).filter((p) => p.includes('follow=true'));
  const probeRequests = (): string[] => server.requests.map((r) => r.path).filter((p) => !p.includes('follow=true'));

  function follow(pod: string): { lines: FollowedLine[]; states: LogFollowState[]; follower: LogFollower } {
    const lines: FollowedLine[] = [];
    const states: LogFollowState[] = [];
    const follower = new LogFollower({
      client,
      namespace: 'istio-system',
      pod,
      idleCheckMs: 50,
      stallGraceMs: 30,
      backoff: { initialMs: 10, maxMs: 50 },
      onLines: (batch) => lines.push(...batch),
      onState: (state) => states.push(state),
    });
    follower.start();
    return { lines, states, follower };
  }

  it('reopens a stream that went silent while the pod kept logging, delivering only the missing line', async () => {
    server.requests.length = 0;
    kubelet.lines = [`${SECOND}.000000001Z one`, `${SECOND}.000000002Z two`];
    const run = follow('stuck');
    try {
      await waitUntil(() => run.lines.length === 2, { what: 'the first two lines' });
      kubelet.lines.push(`${SECOND}.000000003Z three`);
      await waitUntil(() => run.lines.length >= 3, { what: 'the line the stuck stream never sent' });
      assert.deepEqual(
        run.lines.map((l) => l.text),
        ['one', 'two', 'three'],
      );
      const follows = followRequests();
      assert.equal(follows.length, 2);
      assert.match(follows[1]!, /sinceTime=2026-11-26T05%3A00%3A00Z/);
      const retry = run.states.find((s) => s.phase === 'retrying');
      assert.ok(retry && retry.phase === 'retrying' && retry.error?.kind === 'timeout', JSON.stringify(retry));
    } finally {
      await run.follower.stop();
    }
  });

  it('leaves a quiet stream alone: the checks find nothing new', async () => {
    server.requests.length = 0;
    kubelet.lines = [`${SECOND}.000000001Z quiet one`, `${SECOND}.000000001Z quiet one`];
    const run = follow('quiet');
    try {
      await waitUntil(() => probeRequests().length >= 4, { what: 'several idle checks' });
      assert.equal(followRequests().length, 1, 'the stream was never reopened');
      assert.deepEqual(
        run.lines.map((l) => l.text),
        ['quiet one', 'quiet one'],
      );
      assert.ok(!run.states.some((s) => s.phase === 'retrying'));
    } finally {
      await run.follower.stop();
    }
  });
});
