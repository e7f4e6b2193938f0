// Run-time faults as a client meets them: stalled and reset watches, 410 Gone, expired
// tokens, RBAC changes, 429 throttling and an unreachable endpoint.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { startHarness, rawRequest, VIEWER_TOKEN, type Harness } from './harness.ts';
import { WatchRecorder } from './watchRecorder.ts';

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  while (e && typeof e === 'object') {
    if ('code' in e && typeof e.code === 'string') return e.code;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

describe('simulated apiserver faults', () => {
  let h: Harness;
  let core: CoreV1Api;
  before(async () => {
    h = await startHarness({ bookmarkIntervalMs: 50 });
    core = h.kubeConfig().makeApiClient(CoreV1Api);
  });
  after(() => h.close());

  it('a stalled watch stays open, delivers nothing (not even bookmarks), then catches up when resumed', async () => {
    const stalled = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces/default/configmaps', {
      allowWatchBookmarks: true,
      resourceVersion: '0',
    });
    const live = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces', { allowWatchBookmarks: true, resourceVersion: '0' });
    try {
      await stalled.waitFor((e) => e.some((x) => x.type === 'BOOKMARK'), 'a first bookmark');
      h.faults.stallWatches('configmaps');
      const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'during-stall' } } });
      const createdRv = Number(created.metadata!.resourceVersion);
      // The unstalled watch keeps receiving bookmarks; several of them pass while the stalled one stays silent.
      const seen = live.of('BOOKMARK').length;
      await live.waitFor((e) => e.filter((x) => x.type === 'BOOKMARK').length >= seen + 4, 'bookmarks on the live watch');
      // Anything written before the stall may still arrive; nothing from after it may.
      const fromAfterStall = stalled.events.filter((e) => Number(e.object.metadata?.resourceVersion) >= createdRv);
      assert.deepEqual(fromAfterStall, []);
      h.faults.resumeWatches();
      await stalled.waitFor((e) => e.some((x) => x.type === 'ADDED' && x.object.metadata?.name === 'during-stall'), 'the held event');
    } finally {
      h.faults.resumeWatches();
      stalled.stop();
      live.stop();
    }
  });

  it('reset streams cuts every open watch: the client sees a connection error, not a clean end', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/pods', {});
    await w.waitFor((e) => e.length >= 4, 'the initial pods');
    h.faults.resetStreams();
    const err = await w.ended;
    assert.ok(err instanceof Error, `expected an error, got ${String(err)}`);
    assert.equal(h.faults.openStreams, 0);
  });

  it('gone answers the next watch of a resource with 410 and compacts history', async () => {
    const list = await core.listPodForAllNamespaces();
    h.faults.gone('pods');
    const first = await WatchRecorder.start(h.kubeConfig(), '/api/v1/pods', {});
    assert.equal(await first.ended, null);
    assert.deepEqual(
      first.events.map((e) => [e.type, e.object.code, e.object.reason]),
      [['ERROR', 410, 'Expired']],
    );
    // Only the next one: a fresh watch after that works again.
    const second = await WatchRecorder.start(h.kubeConfig(), '/api/v1/pods', { timeoutSeconds: 1 });
    assert.equal(await second.ended, null);
    assert.equal(second.of('ADDED').length, 4);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-gone' } } });
    h.faults.gone();
    const resumed = await WatchRecorder.start(h.kubeConfig(), '/api/v1/pods', { resourceVersion: list.metadata!.resourceVersion! });
    assert.equal(await resumed.ended, null);
    assert.equal(resumed.events[0]?.object.code, 410);
  });

  it('expired tokens: every request is 401 until cleared', async () => {
    h.faults.expireTokens();
    try {
      await assert.rejects(core.listNamespace(), (err: unknown) => err instanceof ApiException && err.code === 401);
      assert.equal((await rawRequest(h, '/version')).status, 401);
    } finally {
      h.faults.expireTokens(false);
    }
    assert.equal((await core.listNamespace()).items.length, 5);
  });

  it('forbids a verb on a resource for one user at run time, and allows it again', async () => {
    const viewer = h.kubeConfig(VIEWER_TOKEN).makeApiClient(CoreV1Api);
    assert.equal((await viewer.listNamespace()).items.length, 5);
    h.faults.forbid('viewer', { verb: 'list', resource: 'namespaces' });
    const res = await rawRequest(h, '/api/v1/namespaces', { token: VIEWER_TOKEN });
    assert.equal(res.status, 403);
    assert.equal(
      res.json().message,
      'namespaces is forbidden: User "viewer" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    assert.equal((await core.listNamespace()).items.length, 5, 'other users are unaffected');
    h.faults.allow('viewer', { verb: 'list', resource: 'namespaces' });
    assert.equal((await viewer.listNamespace()).items.length, 5);
  });

  it('throttles the next N requests of one resource with 429 and Retry-After', async () => {
    h.faults.tooManyRequests(2, 7, 'pods');
    const ns = await rawRequest(h, '/api/v1/namespaces');
    assert.equal(ns.status, 200, 'another resource is not throttled');
    for (let i = 0; i < 2; i++) {
      const res = await rawRequest(h, '/api/v1/pods');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Too many requests, please try again later.',
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 7 },
        code: 429,
      });
    }
    assert.equal((await rawRequest(h, '/api/v1/pods')).status, 200);
  });

  it('removing a CRD ends its open watches cleanly; watching it again is 404', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/apis/networking.istio.io/v1/workloadentries', {});
    await w.waitFor((e) => e.length >= 1, 'the workload entry');
    h.faults.setCrdMissing('workloadentries.networking.istio.io', true);
    try {
      assert.equal(await w.ended, null);
      const again = await WatchRecorder.start(h.kubeConfig(), '/apis/networking.istio.io/v1/workloadentries', {});
      const err = await again.ended;
      assert.equal((err as { statusCode?: number }).statusCode, 404);
    } finally {
      h.faults.setCrdMissing('workloadentries.networking.istio.io', false);
    }
  });

  it('latency holds every request back (here: longer than the client waits)', async () => {
    h.faults.setLatency(600_000);
    try {
      const outcome = await new Promise<string>((resolve) => {
        const req = request(`${h.url}/healthz`, { ca: h.caPem, agent: false, signal: AbortSignal.timeout(300) }, () => resolve('answered'));
        req.on('error', (err) => resolve(err.name));
        req.end();
      });
      assert.equal(outcome, 'AbortError');
    } finally {
      h.faults.setLatency(0);
    }
  });

  it('unreachable: connections are refused and open watches drop; reachable again on the same URL', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces', {});
    await w.waitFor((e) => e.length >= 5, 'the namespaces');
    const url = h.server.url;
    await h.faults.setUnreachable(true);
    try {
      assert.ok((await w.ended) instanceof Error);
      await assert.rejects(core.listNamespace(), (err: unknown) => causeCode(err) === 'ECONNREFUSED');
    } finally {
      await h.faults.setUnreachable(false);
    }
    assert.equal(h.server.url, url);
    assert.equal((await core.listNamespace()).items.length, 5);
  });
});

describe('scenario fault specs', () => {
  it('applies throttling and unreachability from FaultSpec[] at start', async () => {
    const h = await startHarness({ faults: [{ kind: 'tooManyRequests', retryAfterSeconds: 3, count: 1 }, { kind: 'unreachable' }] });
    try {
      const core = h.kubeConfig().makeApiClient(CoreV1Api);
      await assert.rejects(core.listNamespace(), (err: unknown) => causeCode(err) === 'ECONNREFUSED');
      await h.faults.setUnreachable(false);
      await assert.rejects(core.listNamespace(), (err: unknown) => err instanceof ApiException && err.code === 429);
      assert.equal((await core.listNamespace()).items.length, 5);
    } finally {
      await h.close();
    }
  });
});
