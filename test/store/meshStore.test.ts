import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMeshStore } from '../../src/store/meshStore.ts';
import { applyUpdates, emptyState } from '../../src/store/applyUpdates.ts';
import { selectObject, selectObjects, selectResource } from '../../src/store/selectors.ts';
import { contextId } from '../../src/store/types.ts';
import type { MeshState } from '../../src/store/types.ts';
import type { StoreUpdate, StoreWatchEvent } from '../../src/store/updates.ts';
import { ManualTimers } from './manualTimers.ts';
import { pod } from './fixtures.ts';

const A = contextId('kind-cluster-a');
const B = contextId('kind-cluster-b');

function added(i: number): StoreWatchEvent {
  return { type: 'ADDED', object: pod(`pod-${i}`) };
}

describe('batching', () => {
  it('turns 10,000 events enqueued at once into one commit', async () => {
    const store = createMeshStore();
    let commits = 0;
    const committed = new Promise<void>((resolve) => {
      store.api.subscribe(() => {
        commits++;
        resolve();
      });
    });
    for (let chunk = 0; chunk < 100; chunk++) {
      const events = Array.from({ length: 100 }, (_, i) => added(chunk * 100 + i));
      store.actions.watchEvents(A, 'pods', events);
    }
    assert.equal(commits, 0, 'nothing is committed synchronously');
    await committed;
    assert.equal(commits, 1);
    assert.equal(selectObjects(store.getState(), A, 'pods').length, 10_000);
    store.dispose();
  });

  it('commits an event storm at most once per interval', () => {
    const timers = new ManualTimers();
    const store = createMeshStore({ timers, intervalMs: 100 });
    let commits = 0;
    store.api.subscribe(() => commits++);
    // 10,000 events spread over two seconds: 5 every millisecond.
    for (let ms = 0; ms < 2000; ms++) {
      store.actions.watchEvents(
        A,
        'pods',
        Array.from({ length: 5 }, (_, i) => added(ms * 5 + i)),
      );
      timers.advance(1);
    }
    timers.advance(1000);
    assert.ok(commits >= 2 && commits <= 21, `${commits} commits`);
    assert.equal(selectObjects(store.getState(), A, 'pods').length, 10_000);
    assert.equal(store.pending(), 0);
  });

  it('flush() commits what is pending right away', () => {
    const timers = new ManualTimers();
    const store = createMeshStore({ timers });
    store.actions.watchEvents(A, 'pods', [added(1)]);
    assert.equal(selectObjects(store.getState(), A, 'pods').length, 0);
    store.flush();
    assert.equal(selectObjects(store.getState(), A, 'pods').length, 1);
  });

  it('does not wake subscribers for a batch that changes nothing', () => {
    const timers = new ManualTimers();
    const store = createMeshStore({ timers });
    let commits = 0;
    store.api.subscribe(() => commits++);
    store.actions.addLogRecords(A, []);
    store.actions.watchEvents(A, 'pods', []);
    store.flush();
    assert.equal(commits, 0);
  });

  it('dispose() drops pending updates', () => {
    const timers = new ManualTimers();
    const store = createMeshStore({ timers });
    store.actions.watchEvents(A, 'pods', [added(1)]);
    store.dispose();
    store.flush();
    timers.advance(1000);
    assert.equal(store.getState().contexts[A], undefined);
  });
});

describe('watch events', () => {
  function storeWith(...setup: ((s: ReturnType<typeof createMeshStore>) => void)[]): ReturnType<typeof createMeshStore> {
    const store = createMeshStore({ timers: new ManualTimers(), now: () => new Date('2026-01-10T12:00:00Z') });
    for (const step of setup) {
      step(store);
      store.flush();
    }
    return store;
  }

  it('upserts, modifies and deletes by kind/namespace/name', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1), added(2)]),
      (s) => s.actions.watchEvents(A, 'pods', [{ type: 'MODIFIED', object: pod('pod-1', 'default', { status: { phase: 'Failed' } }) }]),
      (s) => s.actions.watchEvents(A, 'pods', [{ type: 'DELETED', object: pod('pod-2') }]),
    );
    const state = store.getState();
    assert.deepEqual(
      selectObjects(state, A, 'pods').map((o) => o.metadata.name),
      ['pod-1'],
    );
    assert.deepEqual(selectObject(state, A, 'Pod', 'default', 'pod-1')?.['status'], { phase: 'Failed' });
    assert.equal(selectResource(state, A, 'pods')?.sync, 'synced');
    assert.equal(selectResource(state, A, 'pods')?.lastEventAt, '2026-01-10T12:00:00.000Z');
  });

  it('stores objects as received minus managedFields', () => {
    const store = storeWith((s) => s.actions.watchEvents(A, 'pods', [added(1)]));
    const stored = selectObject(store.getState(), A, 'Pod', 'default', 'pod-1');
    const { managedFields: _m, ...metadata } = pod('pod-1').metadata;
    assert.deepEqual(stored, { ...pod('pod-1'), metadata });
  });

  it('replaces all objects of a resource after a relist', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1), added(2), added(3)]),
      (s) => s.actions.relist(A, 'pods', [pod('pod-3'), pod('pod-4')], '900'),
    );
    const state = store.getState();
    assert.deepEqual(
      selectObjects(state, A, 'pods').map((o) => o.metadata.name),
      ['pod-3', 'pod-4'],
    );
    assert.equal(selectResource(state, A, 'pods')?.resourceVersion, '900');
  });

  it('takes the resourceVersion of a bookmark without touching objects', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1)]),
      (s) =>
        s.actions.watchEvents(A, 'pods', [
          { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '1234' } } },
        ]),
    );
    assert.equal(selectResource(store.getState(), A, 'pods')?.resourceVersion, '1234');
    assert.equal(selectObjects(store.getState(), A, 'pods').length, 1);
  });

  it('gives changed things new references and keeps the rest', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1), added(2)]),
      (s) => s.actions.watchEvents(A, 'gateways.gateway.networking.k8s.io', []),
      (s) => s.actions.watchEvents(B, 'pods', [added(1)]),
    );
    const before: MeshState = store.getState();
    store.actions.watchEvents(A, 'pods', [{ type: 'MODIFIED', object: pod('pod-1', 'default', { status: { phase: 'Pending' } }) }]);
    store.flush();
    const after = store.getState();
    assert.notEqual(after, before);
    assert.notEqual(after.contexts[A], before.contexts[A]);
    assert.equal(after.contexts[B], before.contexts[B], 'an untouched context keeps its reference');
    const objBefore = before.contexts[A]?.resources['pods']?.objects;
    const objAfter = after.contexts[A]?.resources['pods']?.objects;
    assert.notEqual(objAfter?.['Pod/default/pod-1'], objBefore?.['Pod/default/pod-1']);
    assert.equal(objAfter?.['Pod/default/pod-2'], objBefore?.['Pod/default/pod-2'], 'an untouched object keeps its reference');
    // Selectors hand back the same array for the same data.
    assert.equal(selectObjects(after, B, 'pods'), selectObjects(after, B, 'pods'));
  });

  it('empties a resource that became forbidden', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1)]),
      (s) =>
        s.actions.setResourceSync(A, 'pods', 'forbidden', {
          kind: 'forbidden',
          message: 'pods is forbidden',
          at: '2026-01-10T12:00:00Z',
          statusCode: 403,
          retryable: false,
        }),
    );
    const res = selectResource(store.getState(), A, 'pods');
    assert.equal(res?.sync, 'forbidden');
    assert.equal(res?.error?.statusCode, 403);
    assert.deepEqual(selectObjects(store.getState(), A, 'pods'), []);
  });

  it('forgets a removed context with its facts and logs', () => {
    const store = storeWith(
      (s) => s.actions.watchEvents(A, 'pods', [added(1)]),
      (s) => s.actions.removeContext(A),
    );
    assert.equal(store.getState().contexts[A], undefined);
    assert.equal(store.getState().facts[A], undefined);
  });
});

describe('coalescing within a batch', () => {
  it('lets the last event per object win, in any order of ADDED/MODIFIED/DELETED', () => {
    const store = createMeshStore({ timers: new ManualTimers() });
    store.actions.watchEvents(A, 'pods', [
      added(1),
      { type: 'DELETED', object: pod('pod-1') },
      added(2),
      { type: 'MODIFIED', object: pod('pod-2', 'default', { status: { phase: 'Succeeded' } }) },
      { type: 'DELETED', object: pod('pod-3') },
      added(3),
      { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '5' } } },
      { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '6' } } },
    ]);
    store.actions.watchEvents(A, 'pods', [{ type: 'DELETED', object: pod('pod-3') }]);
    store.flush();
    const state = store.getState();
    assert.deepEqual(
      selectObjects(state, A, 'pods').map((o) => [o.metadata.name, (o['status'] as { phase: string }).phase]),
      [['pod-2', 'Succeeded']],
    );
    assert.equal(selectResource(state, A, 'pods')?.resourceVersion, '6');
  });
});

describe('malformed input', () => {
  it('skips objects without kind or name instead of failing the commit', () => {
    const store = createMeshStore({ timers: new ManualTimers() });
    const broken = [
      { type: 'ADDED', object: { apiVersion: 'v1', kind: 'Pod' } },
      { type: 'ADDED', object: null },
      { type: 'BOOKMARK', object: {} },
      added(1),
    ] as unknown as StoreWatchEvent[];
    store.actions.watchEvents(A, 'pods', broken);
    store.actions.relist(B, 'pods', [null, pod('ok')] as unknown as ReturnType<typeof pod>[]);
    store.flush();
    assert.deepEqual(
      selectObjects(store.getState(), A, 'pods').map((o) => o.metadata.name),
      ['pod-1'],
    );
    assert.deepEqual(
      selectObjects(store.getState(), B, 'pods').map((o) => o.metadata.name),
      ['ok'],
    );
  });
});

describe('log stream phases', () => {
  const now = '2026-01-10T12:00:00.000Z';
  const phase = (source: string, p: 'following' | 'notFollowed'): StoreUpdate => ({
    type: 'logStream',
    context: A,
    source,
    stream: { phase: p },
  });

  it('takes a whole DaemonSet in one batch, leaves the state before it as it was, and forgets one', () => {
    const sources = Array.from({ length: 500 }, (_, i) => `istio-system/ztunnel-${i}`);
    const first = applyUpdates(
      emptyState(now),
      sources.map((s, i) => phase(s, i < 16 ? 'following' : 'notFollowed')),
      now,
    );
    const streams = first.contexts[A]?.logStreams ?? {};
    assert.equal(Object.keys(streams).length, 500);
    assert.equal(streams['istio-system/ztunnel-3']?.phase, 'following');
    assert.equal(streams['istio-system/ztunnel-499']?.phase, 'notFollowed');
    const second = applyUpdates(
      first,
      [phase('istio-system/ztunnel-499', 'following'), { type: 'logStream', context: A, source: 'istio-system/ztunnel-0' }],
      now,
    );
    assert.equal(second.contexts[A]?.logStreams?.['istio-system/ztunnel-499']?.phase, 'following');
    assert.equal(second.contexts[A]?.logStreams?.['istio-system/ztunnel-0'], undefined);
    assert.equal(Object.keys(first.contexts[A]?.logStreams ?? {}).length, 500, 'the earlier state is not written');
    assert.equal(first.contexts[A]?.logStreams?.['istio-system/ztunnel-499']?.phase, 'notFollowed');
  });

  it('a context removed and seen again in the same batch starts with only the new streams', () => {
    const first = applyUpdates(emptyState(now), [phase('istio-system/ztunnel-1', 'following')], now);
    const second = applyUpdates(
      first,
      [phase('istio-system/ztunnel-2', 'following'), { type: 'removeContext', context: A }, phase('istio-system/ztunnel-3', 'following')],
      now,
    );
    assert.deepEqual(Object.keys(second.contexts[A]?.logStreams ?? {}), ['istio-system/ztunnel-3']);
  });
});
