// What a pane subscribed to one slice of the store sees: a wake-up for each commit that
// changed its slice, and none for anything else — another context's churn, another slice of
// its own context, bookkeeping, or a batch that changed nothing at all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  selectContextIds,
  selectContextStatus,
  selectFacts,
  selectLogSignatures,
  selectLogStreams,
  selectObjects,
  selectObjectsOfKind,
  selectProxyRows,
  selectResource,
} from '../../src/store/selectors.ts';
import { subscribeSlice } from '../../src/store/subscribeSlice.ts';
import { clusterId, contextId } from '../../src/store/types.ts';
import type { ContextId, MeshState } from '../../src/store/types.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import type { MeshStore } from '../../src/store/meshStore.ts';
import { pod } from './fixtures.ts';
import {
  A,
  B,
  EASTWEST_PODS,
  GATEWAYS,
  PODS,
  bookmark,
  errorRecords,
  forbidden,
  gateway,
  infoRecords,
  populatedStore,
  syncz,
  versioned,
} from './sliceFixtures.ts';

function paneSlices(ctx: ContextId): Record<string, (s: MeshState) => unknown> {
  return {
    pods: (s) => selectObjects(s, ctx, PODS),
    'pods objects map': (s) => s.contexts[ctx]?.resources[PODS]?.objects,
    'objects of kind Pod': (s) => selectObjectsOfKind(s, ctx, 'Pod'),
    gateways: (s) => selectObjects(s, ctx, GATEWAYS),
    'proxy rows': (s) => selectProxyRows(s, ctx),
    'log signatures': (s) => selectLogSignatures(s, ctx),
    'log streams': (s) => selectLogStreams(s, ctx),
    status: (s) => selectContextStatus(s, ctx),
    'context list': selectContextIds,
  };
}

interface Watched {
  /** How many times each slice's listener was called. */
  calls: Record<string, number>;
  /** The slices as they were when watching began. */
  before: Record<string, unknown>;
  /** The last value each listener was handed. */
  last: Record<string, unknown>;
}

function watchSlices(store: MeshStore, ctx: ContextId): Watched {
  const watched: Watched = { calls: {}, before: {}, last: {} };
  for (const [name, selector] of Object.entries(paneSlices(ctx))) {
    watched.calls[name] = 0;
    watched.before[name] = selector(store.getState());
    subscribeSlice(store.api, selector, (slice) => {
      watched.calls[name] = (watched.calls[name] ?? 0) + 1;
      watched.last[name] = slice;
    });
  }
  return watched;
}

/** The slices that were called, with their counts: `{}` when no pane would redraw. */
function woken(watched: Watched): Record<string, number> {
  return Object.fromEntries(Object.entries(watched.calls).filter(([, n]) => n > 0));
}

function assertSameSlices(store: MeshStore, ctx: ContextId, watched: Watched, except: readonly string[] = []): void {
  for (const [name, selector] of Object.entries(paneSlices(ctx))) {
    if (except.includes(name)) continue;
    assert.equal(selector(store.getState()), watched.before[name], `${ctx} ${name} kept its reference`);
  }
}

describe('churn in one context', () => {
  it('wakes no subscriber of another context and keeps its slices', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    const aBefore = store.getState();
    const bPods = selectObjects(aBefore, B, PODS);
    const bRows = selectProxyRows(aBefore, B);
    for (let round = 0; round < 3; round++) {
      const at = new Date(Date.parse('2026-01-10T12:05:00.000Z') + round * 1000).toISOString();
      store.actions.addLogRecords(B, errorRecords(), 'istio-system/ztunnel-b');
      store.actions.setFact(B, 'istiod-1', { kind: 'syncz', fact: syncz('istiod-1', at, [`ztunnel-${round}.istio-system`]) });
      store.actions.setFact(B, 'istiod-1', { kind: 'license', fact: { state: 'known', value: { state: 'Valid' }, observedAt: at } });
      store.actions.watchEvents(B, PODS, [bookmark(`${200 + round}`)]);
      store.actions.watchEvents(B, PODS, [
        { type: 'MODIFIED', object: versioned('pod-1', `${300 + round}`, { status: { phase: `Round${round}` } }) },
        { type: 'ADDED', object: pod(`new-${round}`) },
        { type: 'DELETED', object: pod('pod-3') },
      ]);
      store.actions.watchEvents(B, GATEWAYS, [{ type: 'MODIFIED', object: gateway('eastwest', `${400 + round}`) }]);
      store.enqueue({
        type: 'logStream',
        context: B,
        source: 'istio-system/ztunnel-b',
        stream: { phase: round % 2 ? 'following' : 'retrying' },
      });
      store.actions.setContextStatus(B, round % 2 ? 'ready' : 'degraded', round % 2 ? [] : ['throttled on pods']);
      commit();
    }
    const after = store.getState();
    assert.notEqual(selectObjects(after, B, PODS), bPods, 'B really changed');
    assert.notEqual(selectProxyRows(after, B), bRows, 'B really changed');
    assert.deepEqual(woken(a), {});
    assertSameSlices(store, A, a);
    assert.equal(after.contexts[A], aBefore.contexts[A]);
    assert.equal(after.facts[A], aBefore.facts[A]);
    assert.equal(after.logSignatures[A], aBefore.logSignatures[A]);
  });
});

describe('churn in one slice of a context', () => {
  it('a log batch changes the signatures only, not the context state', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    const contextBefore = store.getState().contexts[A];
    store.actions.addLogRecords(A, errorRecords(), 'istio-system/ztunnel-a');
    commit();
    assert.deepEqual(woken(a), { 'log signatures': 1 });
    assert.equal(store.getState().contexts[A], contextBefore, 'the ContextState is not replaced');
    assert.equal(selectLogSignatures(store.getState(), A).find((s) => s.id === 'hbone-timeout')?.count, 2);
    assertSameSlices(store, A, a, ['log signatures']);
  });

  it('a syncz re-fetch with the same rows keeps the proxy rows; changed rows replace them once', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    const contextBefore = store.getState().contexts[A];
    store.actions.setFact(A, 'istiod-1', {
      kind: 'syncz',
      fact: syncz('istiod-1', '2026-01-10T12:01:00.000Z', ['ztunnel-a.istio-system']),
    });
    store.actions.setFact(A, 'istiod-2', {
      kind: 'syncz',
      fact: syncz('istiod-2', '2026-01-10T12:01:00.000Z', ['ztunnel-b.istio-system']),
    });
    commit();
    assert.equal(selectFacts(store.getState(), A).syncz['istiod-1']?.observedAt, '2026-01-10T12:01:00.000Z', 'the fact itself is new');
    assert.deepEqual(woken(a), {});
    assert.equal(store.getState().contexts[A], contextBefore, 'the ContextState is not replaced');

    store.actions.setFact(A, 'istiod-2', {
      kind: 'syncz',
      fact: syncz('istiod-2', '2026-01-10T12:02:00.000Z', ['ztunnel-b.istio-system'], '1.29.0'),
    });
    commit();
    assert.deepEqual(woken(a), { 'proxy rows': 1 });
    assert.deepEqual(
      selectProxyRows(store.getState(), A).map((r) => [r.name, r.version]),
      [
        ['ztunnel-a.istio-system', '1.28.2'],
        ['ztunnel-b.istio-system', '1.29.0'],
      ],
    );
  });

  it('a bookmark moves lastEventAt and resourceVersion but keeps the objects and the status', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    const before = selectResource(store.getState(), A, PODS);
    store.actions.watchEvents(A, PODS, [bookmark('250')]);
    commit();
    const after = selectResource(store.getState(), A, PODS);
    assert.equal(after?.resourceVersion, '250');
    assert.notEqual(after?.lastEventAt, before?.lastEventAt, 'staleness detection still hears the bookmark');
    assert.deepEqual(woken(a), {});
    assertSameSlices(store, A, a);
  });

  it('a watch event is seen by its resource subscriber exactly once per commit, by no other', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    const b = watchSlices(store, B);
    for (let round = 1; round <= 3; round++) {
      // Several events in one batch, one commit: one wake-up.
      store.actions.watchEvents(A, PODS, [
        { type: 'MODIFIED', object: versioned('pod-1', `${500 + round}`, { status: { phase: 'Pending' } }) },
        { type: 'MODIFIED', object: versioned('pod-1', `${510 + round}`, { status: { phase: `Failed${round}` } }) },
        bookmark(`${520 + round}`),
      ]);
      store.actions.watchEvents(A, PODS, [{ type: 'ADDED', object: pod(`extra-${round}`) }]);
      commit();
    }
    assert.deepEqual(woken(a), { pods: 3, 'pods objects map': 3, 'objects of kind Pod': 3 });
    assert.deepEqual(woken(b), {});
    const shown = a.last['pods'] as ReturnType<typeof selectObjects>;
    assert.deepEqual(
      shown.map((o) => [o.metadata.name, (o['status'] as { phase: string }).phase]),
      [
        ['extra-1', 'Running'],
        ['extra-2', 'Running'],
        ['extra-3', 'Running'],
        ['pod-1', 'Failed3'],
        ['pod-2', 'Running'],
        ['pod-3', 'Running'],
      ],
    );
    assertSameSlices(store, A, a, ['pods', 'pods objects map', 'objects of kind Pod']);
  });

  it('a relist that brings back what is stored keeps the objects; a changed object replaces only itself', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    store.actions.relist(A, PODS, [pod('pod-1'), pod('pod-2'), pod('pod-3')], '300');
    commit();
    assert.equal(selectResource(store.getState(), A, PODS)?.resourceVersion, '300');
    assert.deepEqual(woken(a), {});

    const objectsBefore = store.getState().contexts[A]?.resources[PODS]?.objects;
    store.actions.relist(A, PODS, [pod('pod-1'), versioned('pod-2', '301', { status: { phase: 'Failed' } }), pod('pod-3')], '301');
    commit();
    const objectsAfter = store.getState().contexts[A]?.resources[PODS]?.objects;
    assert.deepEqual(woken(a), { pods: 1, 'pods objects map': 1, 'objects of kind Pod': 1 });
    assert.equal(objectsAfter?.['Pod/default/pod-1'], objectsBefore?.['Pod/default/pod-1']);
    assert.equal(objectsAfter?.['Pod/default/pod-3'], objectsBefore?.['Pod/default/pod-3']);
    assert.deepEqual(objectsAfter?.['Pod/default/pod-2']?.['status'], { phase: 'Failed' });
  });

  it('the context list changes only when a context comes or goes', () => {
    const { store, commit } = populatedStore();
    const a = watchSlices(store, A);
    store.actions.setContextStatus(B, 'unreachable', ['unreachable']);
    commit();
    assert.equal(a.calls['context list'], 0);
    store.actions.setContextStatus(contextId('kind-cluster-c'), 'connecting');
    commit();
    assert.equal(a.calls['context list'], 1);
    assert.deepEqual(a.last['context list'], [A, B, 'kind-cluster-c']);
  });
});

describe('a batch that changes nothing', () => {
  // Each of these restates what the store already holds, with fresh objects as a feed sends them.
  const noOps: Record<string, StoreUpdate> = {
    'the same context status': { type: 'contextStatus', context: A, phase: 'ready', reasons: [] },
    'the same cluster id': { type: 'clusterId', context: A, clusterId: clusterId('cluster-a') },
    'a MODIFIED event with the stored object and resourceVersion': {
      type: 'watchEvents',
      context: A,
      resource: PODS,
      events: [{ type: 'MODIFIED', object: pod('pod-1') }],
    },
    'an ADDED event for an object already stored': {
      type: 'watchEvents',
      context: A,
      resource: GATEWAYS,
      events: [{ type: 'ADDED', object: gateway('eastwest') }],
    },
    'a DELETED event for an object not stored': {
      type: 'watchEvents',
      context: A,
      resource: PODS,
      events: [{ type: 'DELETED', object: pod('never-there') }],
    },
    'no watch events': { type: 'watchEvents', context: A, resource: PODS, events: [] },
    'the same resource sync and error': {
      type: 'resourceSync',
      context: A,
      resource: EASTWEST_PODS,
      sync: 'forbidden',
      error: forbidden('2026-01-10T12:00:00.000Z'),
    },
    'synced again': { type: 'resourceSync', context: A, resource: PODS, sync: 'synced' },
    'the same fact, fetched again': {
      type: 'fact',
      context: A,
      istiodPod: 'istiod-1',
      kind: 'syncz',
      fact: syncz('istiod-1', '2026-01-10T12:00:00.000Z', ['ztunnel-a.istio-system']),
    },
    'a pruneFacts that keeps all': { type: 'pruneFacts', context: A, kind: 'syncz', keepPods: ['istiod-1', 'istiod-2'] },
    'info-level log lines only': { type: 'logRecords', context: A, source: 'istio-system/ztunnel-a', records: infoRecords() },
    'no log lines': { type: 'logRecords', context: A, records: [] },
    'the same log stream': {
      type: 'logStream',
      context: A,
      source: 'istio-system/ztunnel-a',
      stream: { phase: 'following', container: 'istio-proxy' },
    },
    'forgetting a log stream never followed': { type: 'logStream', context: A, source: 'istio-system/gone' },
    'removing an unknown context': { type: 'removeContext', context: contextId('never-loaded') },
  };

  for (const [what, update] of Object.entries(noOps)) {
    it(`leaves the state as it was: ${what}`, () => {
      const { store, commit } = populatedStore();
      const before = store.getState();
      let commits = 0;
      store.api.subscribe(() => commits++);
      store.enqueue(update);
      commit();
      assert.equal(store.getState(), before);
      assert.equal(commits, 0);
    });
  }

  it('all of them in one batch leave the state as it was and wake no subscriber', () => {
    const { store, commit } = populatedStore();
    const before = store.getState();
    let commits = 0;
    store.api.subscribe(() => commits++);
    const a = watchSlices(store, A);
    store.enqueue(...Object.values(noOps));
    commit();
    assert.equal(store.getState(), before);
    assert.equal(commits, 0);
    assert.deepEqual(woken(a), {});
  });
});

describe('subscribeSlice', () => {
  it('stops calling the listener once unsubscribed', () => {
    const { store, commit } = populatedStore();
    let calls = 0;
    const unsubscribe = subscribeSlice(
      store.api,
      (s) => selectObjects(s, A, PODS),
      () => calls++,
    );
    store.actions.watchEvents(A, PODS, [{ type: 'ADDED', object: pod('pod-4') }]);
    commit();
    unsubscribe();
    store.actions.watchEvents(A, PODS, [{ type: 'ADDED', object: pod('pod-5') }]);
    commit();
    assert.equal(calls, 1);
  });

  it('hands the listener the new slice and the previous one, and honours a custom equality', () => {
    const { store, commit } = populatedStore();
    const seen: [number, number][] = [];
    subscribeSlice(
      store.api,
      (s) => selectObjects(s, A, PODS).length,
      (count, previous) => seen.push([count, previous]),
    );
    let byName = 0;
    subscribeSlice(
      store.api,
      (s) => selectObjects(s, A, PODS),
      () => byName++,
      (x, y) => x.map((o) => o.metadata.name).join() === y.map((o) => o.metadata.name).join(),
    );
    store.actions.watchEvents(A, PODS, [{ type: 'MODIFIED', object: versioned('pod-1', '900', { status: { phase: 'Failed' } }) }]);
    commit();
    store.actions.watchEvents(A, PODS, [{ type: 'ADDED', object: pod('pod-4') }]);
    commit();
    assert.deepEqual(seen, [[4, 3]]);
    assert.equal(byName, 1, 'a modification that keeps the names is equal under the custom equality');
  });
});
