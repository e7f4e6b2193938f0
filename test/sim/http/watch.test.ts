// Watches as client-node's Watch sees them: initial state, live changes, resume by
// resourceVersion, bookmarks, timeoutSeconds, 410 Expired, Table and metadata-only watches.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startHarness, rawRequest, type Harness } from './harness.ts';
import { WatchRecorder } from './watchRecorder.ts';

describe('simulated apiserver watches', () => {
  let h: Harness;
  let core: CoreV1Api;
  before(async () => {
    h = await startHarness({ bookmarkIntervalMs: 100 });
    core = h.kubeConfig().makeApiClient(CoreV1Api);
  });
  after(() => h.close());

  it('sends ADDED for what exists, then MODIFIED and DELETED as it changes', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces/default/configmaps', {});
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { v: '1' } } });
      await w.waitFor((e) => e.some((x) => x.type === 'ADDED' && x.object.metadata?.name === 'watched'), 'ADDED');
      await core.patchNamespacedConfigMap(
        { name: 'watched', namespace: 'default', body: { data: { v: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await w.waitFor((e) => e.some((x) => x.type === 'MODIFIED'), 'MODIFIED');
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
      await w.waitFor((e) => e.some((x) => x.type === 'DELETED'), 'DELETED');
      const modified = w.of('MODIFIED')[0]!;
      assert.equal(modified.object.kind, 'ConfigMap');
      assert.deepEqual(modified.object.data, { v: '2' });
    } finally {
      w.stop();
    }
  });

  it('resumes after a resourceVersion with only what changed since', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'istio-system' });
    await core.createNamespacedConfigMap({ namespace: 'istio-system', body: { metadata: { name: 'after-list' } } });
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces/istio-system/configmaps', {
      resourceVersion: list.metadata!.resourceVersion!,
    });
    try {
      await w.waitFor((e) => e.length > 0, 'an event');
      assert.deepEqual(
        w.events.map((e) => [e.type, e.object.metadata?.name]),
        [['ADDED', 'after-list']],
      );
    } finally {
      w.stop();
    }
  });

  it('sends BOOKMARKs carrying only kind, apiVersion and resourceVersion when asked', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/apis/gateway.networking.k8s.io/v1/gateways', {
      allowWatchBookmarks: true,
      resourceVersion: '0',
    });
    try {
      await w.waitFor((e) => e.some((x) => x.type === 'BOOKMARK'), 'a bookmark');
      const b = w.of('BOOKMARK')[0]!;
      assert.deepEqual(Object.keys(b.object).sort(), ['apiVersion', 'kind', 'metadata']);
      assert.equal(b.object.kind, 'Gateway');
      assert.equal(b.object.apiVersion, 'gateway.networking.k8s.io/v1');
      assert.deepEqual(Object.keys(b.object.metadata ?? {}), ['resourceVersion']);
      assert.match(String(b.object.metadata?.resourceVersion), /^\d+$/);
    } finally {
      w.stop();
    }
  });

  it('sends no bookmarks to a client that did not ask', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/nodes', { timeoutSeconds: 1 });
    assert.equal(await w.ended, null);
    assert.deepEqual(
      w.events.map((e) => e.type),
      ['ADDED'],
    );
  });

  it('ends the stream cleanly at timeoutSeconds', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces', { timeoutSeconds: 1 });
    assert.equal(await w.ended, null);
    assert.equal(w.of('ADDED').length, 5);
  });

  it('answers a too-old resourceVersion with one ERROR event (410 Expired) on an HTTP 200', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'compacted-away' } } });
    h.store.compact();
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces/default/configmaps', {
      resourceVersion: list.metadata!.resourceVersion!,
    });
    assert.equal(await w.ended, null);
    assert.equal(w.events.length, 1);
    const e = w.events[0]!;
    assert.equal(e.type, 'ERROR');
    assert.equal(e.object.code, 410);
    assert.equal(e.object.reason, 'Expired');
    assert.match(String(e.object.message), /^too old resource version: \d+ \(\d+\)$/);
    const raw = await rawRequest(h, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata!.resourceVersion!}`);
    assert.equal(raw.status, 200);
    assert.equal((JSON.parse(raw.text.trim()) as { type: string }).type, 'ERROR');
  });

  it('streams Table rows to kubectl-style watches and metadata to metadata-only watches', async () => {
    const table = await rawRequest(h, '/api/v1/namespaces?watch=1&timeoutSeconds=1', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const events = table.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { kind: string; rows: { cells: unknown[] }[] } });
    assert.equal(events.length, 5);
    assert.equal(events[0]!.object.kind, 'Table');
    assert.equal(events[0]!.object.rows.length, 1);
    assert.equal(events[0]!.object.rows[0]!.cells[1], 'Active');
    const meta = await rawRequest(h, '/api/v1/namespaces?watch=1&timeoutSeconds=1', {
      headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    const first = JSON.parse(meta.text.split('\n')[0]!) as { object: { kind: string; spec?: unknown } };
    assert.equal(first.object.kind, 'PartialObjectMetadata');
    assert.equal(first.object.spec, undefined);
  });

  it('watches a single object by name through its field selector', async () => {
    const w = await WatchRecorder.start(h.kubeConfig(), '/api/v1/namespaces', {
      fieldSelector: 'metadata.name=bookinfo',
      timeoutSeconds: 1,
    });
    assert.equal(await w.ended, null);
    assert.deepEqual(
      w.events.map((e) => e.object.metadata?.name),
      ['bookinfo'],
    );
  });
});
