import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sim/api/status.ts';
import type { KubeObject } from '../../../src/sim/api/types.ts';
import { configMap, namespace, newStore, pod } from './fixtures.ts';

function names(items: KubeObject[]): string[] {
  return items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

function setup(): ReturnType<typeof newStore> {
  const s = newStore({ historyLimit: 5 });
  s.store.seed([
    namespace('a'),
    namespace('a-b'),
    namespace('b'),
    pod('b', 'p2', { labels: { app: 'x' }, nodeName: 'n1', phase: 'Running' }),
    pod('a', 'p1', { labels: { app: 'x' }, nodeName: 'n2', phase: 'Pending' }),
    pod('a-b', 'p3', { labels: { app: 'y' }, nodeName: 'n1', phase: 'Running' }),
    pod('a', 'p0', { nodeName: 'n1', phase: 'Running' }),
  ]);
  return s;
}

describe('list', () => {
  it('returns items in etcd key order with the current resourceVersion', () => {
    const { store, rt } = setup();
    const result = store.list(rt('v1', 'Pod'), {});
    // '-' sorts before '/', so namespace a-b comes before a's keys: etcd compares bytes of "ns/name".
    assert.deepEqual(names(result.items), ['a-b/p3', 'a/p0', 'a/p1', 'b/p2']);
    assert.equal(result.resourceVersion, store.currentResourceVersion());
    assert.equal(result.continue, undefined);
  });

  it('filters by namespace, labels and fields', () => {
    const { store, rt } = setup();
    const podType = rt('v1', 'Pod');
    assert.deepEqual(names(store.list(podType, { namespace: 'a' }).items), ['a/p0', 'a/p1']);
    assert.deepEqual(names(store.list(podType, { labelSelector: 'app=x' }).items), ['a/p1', 'b/p2']);
    assert.deepEqual(names(store.list(podType, { fieldSelector: 'spec.nodeName=n1,status.phase=Running' }).items), [
      'a-b/p3',
      'a/p0',
      'b/p2',
    ]);
    assert.deepEqual(names(store.list(podType, { namespace: 'a', labelSelector: '!app' }).items), ['a/p0']);
  });

  it('rejects unsupported field labels with 400', () => {
    const { store, rt } = setup();
    assert.throws(
      () => store.list(rt('v1', 'ConfigMap'), { fieldSelector: 'status.phase=Running' }),
      (e: unknown) =>
        e instanceof ApiError &&
        e.status.code === 400 &&
        e.status.message === '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('pages with limit/continue, counting what remains, at one consistent resourceVersion', () => {
    const { store, rt } = setup();
    const podType = rt('v1', 'Pod');
    const first = store.list(podType, { limit: 2 });
    assert.deepEqual(names(first.items), ['a-b/p3', 'a/p0']);
    assert.equal(first.remainingItemCount, 2);
    assert.ok(first.continue);
    const token = JSON.parse(Buffer.from(first.continue, 'base64url').toString()) as { v: string; rv: number; start: string };
    assert.deepEqual(token, { v: 'meta.k8s.io/v1', rv: Number(first.resourceVersion), start: 'a/p0\u0000' });

    // Changes after the first page do not show in the later pages of the same list.
    store.delete(podType, 'b', 'p2', {});
    store.create(podType, pod('a', 'p1a'), {});
    const second = store.list(podType, { limit: 2, continue: first.continue });
    assert.deepEqual(names(second.items), ['a/p1', 'b/p2']);
    assert.equal(second.resourceVersion, first.resourceVersion);
    assert.equal(second.continue, undefined);
    assert.equal(second.remainingItemCount, undefined);
  });

  it('pages within one namespace with name-only keys', () => {
    const { store, rt } = setup();
    const first = store.list(rt('v1', 'Pod'), { namespace: 'a', limit: 1 });
    assert.deepEqual(names(first.items), ['a/p0']);
    const token = JSON.parse(Buffer.from(first.continue ?? '', 'base64url').toString()) as { start: string };
    assert.equal(token.start, 'p0\u0000');
    const second = store.list(rt('v1', 'Pod'), { namespace: 'a', limit: 1, continue: first.continue ?? '' });
    assert.deepEqual(names(second.items), ['a/p1']);
    assert.equal(second.continue, undefined);
  });

  it('a continue token from before the compaction window is 410 Expired with a token to go on', () => {
    const { store, rt } = setup();
    const podType = rt('v1', 'Pod');
    const first = store.list(podType, { limit: 1 });
    store.create(podType, pod('b', 'p9'), {});
    store.compact();
    let caught: unknown;
    try {
      store.list(podType, { limit: 1, continue: first.continue ?? '' });
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof ApiError);
    assert.equal(caught.status.code, 410);
    assert.equal(caught.status.reason, 'Expired');
    assert.match(caught.status.message, /^The provided continue parameter is too old to display a consistent list result/);
    const next = (caught.status.metadata as { continue?: string }).continue;
    assert.ok(next);
    const rest = store.list(podType, { continue: next });
    assert.deepEqual(names(rest.items), ['a/p0', 'a/p1', 'b/p2', 'b/p9']);
    assert.equal(rest.resourceVersion, store.currentResourceVersion());
  });

  it('resourceVersionMatch=Exact lists the state as it was; newer than now is 504; compacted is 410', () => {
    const { store, rt } = setup();
    const podType = rt('v1', 'Pod');
    const then = store.currentResourceVersion();
    store.delete(podType, 'a', 'p0', {});
    store.create(podType, pod('b', 'p5'), {});
    assert.deepEqual(names(store.list(podType, { resourceVersion: then, resourceVersionMatch: 'Exact' }).items), [
      'a-b/p3',
      'a/p0',
      'a/p1',
      'b/p2',
    ]);
    assert.deepEqual(
      names(store.list(podType, { resourceVersion: then }).items),
      ['a-b/p3', 'a/p1', 'b/p2', 'b/p5'],
      'NotOlderThan serves the latest',
    );
    const future = String(Number(store.currentResourceVersion()) + 10);
    assert.throws(
      () => store.list(podType, { resourceVersion: future }),
      (e: unknown) =>
        e instanceof ApiError &&
        e.status.code === 504 &&
        e.status.message === `Timeout: Too large resource version: ${future}, current: ${store.currentResourceVersion()}`,
    );
    store.compact();
    assert.throws(
      () => store.list(podType, { resourceVersion: then, resourceVersionMatch: 'Exact' }),
      (e: unknown) =>
        e instanceof ApiError && e.status.code === 410 && e.status.message === 'The resourceVersion for the provided list is too old.',
    );
  });

  it('a malformed continue token is 400', () => {
    const { store, rt } = setup();
    assert.throws(
      () => store.list(rt('v1', 'Pod'), { continue: 'not-a-token' }),
      (e: unknown) =>
        e instanceof ApiError && e.status.code === 400 && e.status.message.startsWith('invalid continue token: continue key is not valid'),
    );
  });

  it('lists cluster-scoped types without namespaces', () => {
    const { store, rt } = setup();
    assert.deepEqual(
      store.list(rt('v1', 'Namespace'), { namespace: 'ignored' }).items.map((n) => n.metadata.name),
      ['a', 'a-b', 'b'],
    );
  });

  it('holds 20,000 pods and pages through all of them exactly once', () => {
    const { store, rt } = newStore();
    const objects: KubeObject[] = [];
    for (let n = 0; n < 20; n++) {
      objects.push(namespace(`ns-${n}`));
      for (let i = 0; i < 1000; i++) objects.push(pod(`ns-${n}`, `pod-${i}`, { labels: { app: `a${i % 7}` } }));
    }
    store.seed(objects);
    const podType = rt('v1', 'Pod');
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = store.list(podType, { limit: 500, ...(token ? { continue: token } : {}) });
      for (const p of page.items) seen.add(`${p.metadata.namespace ?? ''}/${p.metadata.name}`);
      token = page.continue;
      pages++;
    } while (token);
    assert.equal(seen.size, 20_000);
    assert.equal(pages, 40);
    assert.equal(store.list(podType, { namespace: 'ns-3', labelSelector: 'app=a0' }).items.length, 143);
    assert.equal(store.list(configMapsType(rt), {}).items.length, 0);
  });
});

function configMapsType(rt: ReturnType<typeof newStore>['rt']): ReturnType<ReturnType<typeof newStore>['rt']> {
  return rt('v1', 'ConfigMap');
}

void configMap;
