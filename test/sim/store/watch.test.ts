import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sim/api/status.ts';
import type { StoreEvent } from '../../../src/sim/api/objectStore.ts';
import { configMap, namespace, newStore, pod } from './fixtures.ts';

function setup(historyLimit = 1000): ReturnType<typeof newStore> {
  const s = newStore({ historyLimit });
  s.store.seed([namespace('default'), namespace('istio-system'), configMap('default', 'a'), configMap('istio-system', 'b')]);
  return s;
}

function summary(events: StoreEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`);
}

describe('watch', () => {
  it('without a resourceVersion sends ADDED for what exists, then live events', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const events: StoreEvent[] = [];
    const stop = store.watch(cm, {}, (e) => events.push(e));
    assert.deepEqual(summary(events), ['ADDED default/a', 'ADDED istio-system/b']);
    store.create(cm, configMap('default', 'c'), {});
    stop();
    store.create(cm, configMap('default', 'd'), {});
    assert.deepEqual(summary(events), ['ADDED default/a', 'ADDED istio-system/b', 'ADDED default/c']);
  });

  it('resourceVersion "0" behaves the same; a namespace scopes the watch', () => {
    const { store, rt } = setup();
    const events: StoreEvent[] = [];
    const stop = store.watch(rt('v1', 'ConfigMap'), { resourceVersion: '0', namespace: 'istio-system' }, (e) => events.push(e));
    store.create(rt('v1', 'ConfigMap'), configMap('default', 'x'), {});
    stop();
    assert.deepEqual(summary(events), ['ADDED istio-system/b']);
  });

  it('from a resourceVersion replays what happened after it, in order, then goes live', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const rv = store.currentResourceVersion();
    const c = store.create(cm, configMap('default', 'c'), {});
    const c2 = store.update(cm, { ...c, data: { k: 'v' } }, {});
    const deleted = store.delete(cm, 'default', 'a', {});
    const events: StoreEvent[] = [];
    const stop = store.watch(cm, { resourceVersion: rv }, (e) => events.push(e));
    store.create(cm, configMap('default', 'live'), {});
    stop();
    assert.deepEqual(summary(events), ['ADDED default/c', 'MODIFIED default/c', 'DELETED default/a', 'ADDED default/live']);
    assert.equal(events[1]?.object.metadata.resourceVersion, c2.metadata.resourceVersion);
    assert.equal(
      events[2]?.object.metadata.resourceVersion,
      deleted.metadata.resourceVersion,
      'DELETED carries the deletion resourceVersion',
    );
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((x, y) => x - y),
    );
  });

  it('a resourceVersion older than the history kept is 410 Expired with the real message', () => {
    const { store, rt } = setup(3);
    const cm = rt('v1', 'ConfigMap');
    const old = store.currentResourceVersion();
    for (let i = 0; i < 10; i++) store.create(cm, configMap('default', `n${i}`), {});
    let caught: unknown;
    try {
      store.watch(cm, { resourceVersion: old }, () => undefined);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof ApiError);
    assert.equal(caught.status.code, 410);
    assert.equal(caught.status.reason, 'Expired');
    assert.match(caught.status.message, new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
    // The newest resourceVersion can always be resumed.
    assert.doesNotThrow(() => store.watch(cm, { resourceVersion: store.currentResourceVersion() }, () => undefined)());
  });

  it('compact forces 410 for any older resourceVersion', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const rv = store.currentResourceVersion();
    store.create(cm, configMap('default', 'c'), {});
    store.compact();
    assert.throws(
      () => store.watch(cm, { resourceVersion: rv }, () => undefined),
      (e: unknown) => e instanceof ApiError && e.status.code === 410,
    );
  });

  it('a change that leaves or enters the label selector arrives as DELETED or ADDED', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const events: StoreEvent[] = [];
    const stop = store.watch(cm, { labelSelector: 'app=ztunnel' }, (e) => events.push(e));
    const c = store.create(cm, configMap('default', 'c', {}, { app: 'other' }), {});
    const inSel = store.update(cm, { ...c, metadata: { ...c.metadata, labels: { app: 'ztunnel' } } }, {});
    const still = store.update(cm, { ...inSel, data: { k: 'v' } }, {});
    const out = store.update(cm, { ...still, metadata: { ...still.metadata, labels: { app: 'other' } } }, {});
    stop();
    assert.deepEqual(summary(events), ['ADDED default/c', 'MODIFIED default/c', 'DELETED default/c']);
    const last = events[2]?.object;
    assert.deepEqual(last?.metadata.labels, { app: 'ztunnel' }, 'the DELETED object is the last state that matched');
    assert.equal(last?.metadata.resourceVersion, out.metadata.resourceVersion, '…with the resourceVersion of the change');
  });

  it('field selectors filter watches too', () => {
    const { store, rt } = setup();
    const podType = rt('v1', 'Pod');
    const events: StoreEvent[] = [];
    const stop = store.watch(podType, { fieldSelector: 'spec.nodeName=n1' }, (e) => events.push(e));
    store.create(podType, pod('default', 'on-n1', { nodeName: 'n1' }), {});
    store.create(podType, pod('default', 'on-n2', { nodeName: 'n2' }), {});
    stop();
    assert.deepEqual(summary(events), ['ADDED default/on-n1']);
  });

  it('deleting a namespace sends DELETED for its contents, then for the namespace', () => {
    const { store, rt } = setup();
    const cmEvents: StoreEvent[] = [];
    const nsEvents: StoreEvent[] = [];
    const rv = store.currentResourceVersion();
    const stopCm = store.watch(rt('v1', 'ConfigMap'), { resourceVersion: rv }, (e) => cmEvents.push(e));
    const stopNs = store.watch(rt('v1', 'Namespace'), { resourceVersion: rv }, (e) => nsEvents.push(e));
    store.delete(rt('v1', 'Namespace'), undefined, 'istio-system', {});
    stopCm();
    stopNs();
    assert.deepEqual(summary(cmEvents), ['DELETED istio-system/b']);
    assert.deepEqual(summary(nsEvents), ['DELETED /istio-system']);
    assert.ok(Number(nsEvents[0]?.object.metadata.resourceVersion) > Number(cmEvents[0]?.object.metadata.resourceVersion));
  });

  it('a write made by a listener reaches every watcher after the event that caused it', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const seenByB: string[] = [];
    const stopA = store.watch(cm, { resourceVersion: store.currentResourceVersion() }, (e) => {
      if (e.object.metadata.name === 'trigger') store.create(cm, configMap('default', 'reaction'), {});
    });
    const stopB = store.watch(cm, { resourceVersion: store.currentResourceVersion() }, (e) => seenByB.push(e.object.metadata.name));
    store.create(cm, configMap('default', 'trigger'), {});
    stopA();
    stopB();
    assert.deepEqual(seenByB, ['trigger', 'reaction']);
  });

  it('objects handed to listeners cannot be changed', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const events: StoreEvent[] = [];
    const stop = store.watch(cm, {}, (e) => events.push(e));
    stop();
    const first = events[0]?.object;
    assert.ok(first);
    assert.throws(() => {
      first.metadata.labels = { hacked: 'yes' };
    }, TypeError);
    assert.equal(store.get(cm, 'default', 'a').metadata.labels, undefined);
  });

  it('a bad selector is refused before anything is sent', () => {
    const { store, rt } = setup();
    const events: StoreEvent[] = [];
    assert.throws(
      () => store.watch(rt('v1', 'ConfigMap'), { fieldSelector: 'spec.nodeName=x' }, (e) => events.push(e)),
      (e: unknown) => e instanceof ApiError && e.status.code === 400,
    );
    assert.equal(events.length, 0);
  });

  it('fans one event out to many watchers', () => {
    const { store, rt } = setup();
    const cm = rt('v1', 'ConfigMap');
    const counts = new Array<number>(50).fill(0);
    const stops = counts.map((_, i) =>
      store.watch(cm, { resourceVersion: store.currentResourceVersion(), ...(i % 2 === 0 ? { namespace: 'default' } : {}) }, () => {
        counts[i] = (counts[i] ?? 0) + 1;
      }),
    );
    store.create(cm, configMap('default', 'x'), {});
    store.create(cm, configMap('istio-system', 'y'), {});
    for (const stop of stops) stop();
    assert.deepEqual(
      counts,
      counts.map((_, i) => (i % 2 === 0 ? 1 : 2)),
    );
  });
});

describe('removeAll (a CRD taken away)', () => {
  it('deletes every object of the type and tells the watchers', () => {
    const { store, rt } = setup();
    const gw = rt('gateway.networking.k8s.io/v1', 'Gateway');
    store.create(
      gw,
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'ew', namespace: 'istio-system' }, spec: {} },
      {},
    );
    const events: StoreEvent[] = [];
    const stop = store.watch(gw, { resourceVersion: store.currentResourceVersion() }, (e) => events.push(e));
    store.removeAll(gw);
    stop();
    assert.deepEqual(summary(events), ['DELETED istio-system/ew']);
    assert.equal(store.list(gw, {}).items.length, 0);
  });
});
