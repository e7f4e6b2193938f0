import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyncz } from '../../src/mesh/syncz.ts';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import {
  describeStatus,
  effectiveStatus,
  selectClusterId,
  selectContextIds,
  selectFacts,
  selectLogSignatures,
  selectObjectsOfKind,
  selectProxyRows,
  selectQuietResources,
  selectStatusLine,
} from '../../src/store/selectors.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { clusterId, contextId } from '../../src/store/types.ts';
import type { SynczFactValue } from '../../src/store/types.ts';
import { ManualTimers } from './manualTimers.ts';
import { pod } from './fixtures.ts';

const A = contextId('kind-cluster-a');
const B = contextId('kind-cluster-b');
const NOW = '2026-01-10T12:00:00.000Z';

function newStore(): ReturnType<typeof createMeshStore> {
  return createMeshStore({ timers: new ManualTimers(), now: () => new Date(NOW), contexts: [A, B] });
}

const HBONE_TIMEOUT =
  '2024-07-26T17:18:00.953004Z\terror\taccess\tconnection complete\tsrc.addr=10.244.0.9:58592 ' +
  'dst.addr=10.244.0.10:15008 direction="outbound" error="connection timed out, maybe a NetworkPolicy ' +
  'is blocking HBONE port 15008: deadline has elapsed"';

function synczValue(): SynczFactValue {
  const result = parseSyncz(
    [
      {
        cluster_id: 'cluster-a',
        proxy: 'ztunnel-1.istio-system',
        istio_version: '1.28.2',
        resources: { 'type.googleapis.com/istio.workload.Address': { sent: 'n', acked: 'n' } },
      },
    ],
    { istiodPod: 'istiod-a-1' },
  );
  assert.ok(result.ok);
  return { istiodPod: 'istiod-a-1', shape: result.shape, rows: result.rows, warnings: result.warnings };
}

describe('context status', () => {
  it('starts every kubeconfig context as connecting', () => {
    const state = newStore().getState();
    assert.deepEqual(selectContextIds(state), [A, B]);
    assert.equal(selectStatusLine(state, A), 'connecting');
  });

  it('shows a context as degraded when a resource is forbidden', () => {
    const store = newStore();
    store.actions.setContextStatus(A, 'ready');
    store.actions.setResourceSync(A, 'pods', 'forbidden', {
      kind: 'forbidden',
      statusCode: 403,
      retryable: false,
      at: NOW,
      message: 'pods is forbidden: User "u" cannot list resource "pods"',
    });
    store.actions.setResourceSync(A, 'namespaces', 'synced');
    store.flush();
    assert.equal(selectStatusLine(store.getState(), A), 'degraded: forbidden on pods');
  });

  it('keeps unreachable and auth failures with the classified error', () => {
    const store = newStore();
    store.actions.setContextStatus(A, 'unreachable', [], {
      kind: 'unreachable',
      code: 'ECONNREFUSED',
      retryable: true,
      message: 'connection refused',
      at: NOW,
    });
    store.actions.setContextStatus(B, 'authFailed', [], {
      kind: 'auth',
      statusCode: 401,
      retryable: false,
      message: 'Unauthorized',
      at: NOW,
    });
    store.flush();
    const state = store.getState();
    assert.equal(selectStatusLine(state, A), 'unreachable');
    assert.equal(selectStatusLine(state, B), 'auth failed');
    assert.equal(state.contexts[A]?.lastError?.kind, 'unreachable');
    assert.equal(state.contexts[B]?.lastError?.statusCode, 401);
  });

  it('moves `since` only when the status changes', () => {
    let now = '2026-01-10T12:00:00.000Z';
    const store = createMeshStore({ timers: new ManualTimers(), now: () => new Date(now) });
    store.actions.setContextStatus(A, 'ready');
    store.flush();
    now = '2026-01-10T12:05:00.000Z';
    store.actions.setContextStatus(A, 'ready');
    store.flush();
    assert.equal(store.getState().contexts[A]?.status.since, '2026-01-10T12:00:00.000Z');
    store.actions.setContextStatus(A, 'degraded', ['stale watches']);
    store.flush();
    const ctx = store.getState().contexts[A];
    assert.ok(ctx);
    assert.equal(ctx.status.since, '2026-01-10T12:05:00.000Z');
    assert.equal(describeStatus(effectiveStatus(ctx)), 'degraded: stale watches');
  });

  it('keeps the kube context and the mesh cluster id apart', () => {
    const store = newStore();
    store.actions.setClusterId(A, clusterId('cluster-a'));
    store.flush();
    assert.equal(selectClusterId(store.getState(), A), 'cluster-a');
    assert.equal(selectClusterId(store.getState(), B), undefined);
    assert.deepEqual(selectContextIds(store.getState()), ['kind-cluster-a', 'kind-cluster-b']);
  });
});

describe('facts', () => {
  it('stores syncz rows per istiod with the time observed', () => {
    const store = newStore();
    store.actions.setFact(A, 'istiod-a-1', { kind: 'syncz', fact: { state: 'known', value: synczValue(), observedAt: NOW } });
    store.actions.setFact(A, 'istiod-a-1', {
      kind: 'license',
      fact: {
        state: 'unknown',
        reason: 'License Check is not supported on Istio versions <1.27 (HTTP 404)',
        errorKind: 'notFound',
        observedAt: NOW,
      },
    });
    store.flush();
    const facts = selectFacts(store.getState(), A);
    assert.equal(facts.syncz['istiod-a-1']?.observedAt, NOW);
    assert.equal(facts.license['istiod-a-1']?.state, 'unknown');
    assert.deepEqual(
      selectProxyRows(store.getState(), A).map((r) => [r.name, r.cluster, r.istiod]),
      [['ztunnel-1.istio-system', 'cluster-a', 'istiod-a-1']],
    );
    assert.deepEqual(selectProxyRows(store.getState(), B), []);
  });

  it('prunes facts of istiod pods that are gone', () => {
    const store = newStore();
    store.actions.setFact(A, 'istiod-old', { kind: 'syncz', fact: { state: 'known', value: synczValue(), observedAt: NOW } });
    store.actions.setFact(A, 'istiod-a-1', { kind: 'syncz', fact: { state: 'known', value: synczValue(), observedAt: NOW } });
    store.enqueue({ type: 'pruneFacts', context: A, kind: 'syncz', keepPods: ['istiod-a-1'] });
    store.flush();
    assert.deepEqual(Object.keys(selectFacts(store.getState(), A).syncz), ['istiod-a-1']);
  });
});

describe('log signatures in the store', () => {
  it('aggregates per context and merges across contexts', () => {
    const store = newStore();
    store.actions.addLogRecords(A, [parseZtunnelLine(HBONE_TIMEOUT), parseZtunnelLine(HBONE_TIMEOUT)], 'istio-system/ztunnel-a');
    store.actions.addLogRecords(B, [parseZtunnelLine(HBONE_TIMEOUT)], 'istio-system/ztunnel-b');
    store.flush();
    const state = store.getState();
    assert.deepEqual(
      selectLogSignatures(state, A).map((s) => [s.id, s.count, s.title]),
      [['hbone-timeout', 2, 'HBONE 15008 timeout']],
    );
    const all = selectLogSignatures(state);
    assert.equal(all[0]?.count, 3);
    assert.deepEqual(all[0]?.contexts, [A, B]);
    assert.deepEqual(all[0]?.sources, ['istio-system/ztunnel-a', 'istio-system/ztunnel-b']);
  });
});

describe('toSnapshot', () => {
  it('holds every context, its objects, facts and log signatures, and the time', () => {
    const store = newStore();
    store.actions.setContextStatus(A, 'ready');
    store.actions.relist(A, 'pods', [pod('ztunnel-1', 'istio-system')], '10');
    store.actions.setFact(A, 'istiod-a-1', { kind: 'syncz', fact: { state: 'known', value: synczValue(), observedAt: NOW } });
    store.actions.addLogRecords(A, [parseZtunnelLine(HBONE_TIMEOUT)]);
    store.flush();
    const snap = toSnapshot(store.getState(), '2026-01-10T12:01:00.000Z');
    assert.equal(snap.takenAt, '2026-01-10T12:01:00.000Z');
    assert.deepEqual(Object.keys(snap.contexts).sort(), [A, B]);
    assert.equal(snap.contexts[A]?.status.phase, 'ready');
    assert.equal(snap.contexts[B]?.status.phase, 'connecting');
    assert.deepEqual(Object.keys(snap.contexts[A]?.resources['pods']?.objects ?? {}), ['Pod/istio-system/ztunnel-1']);
    assert.equal(snap.facts[A]?.syncz['istiod-a-1']?.state, 'known');
    assert.equal(snap.logSignatures[A]?.['hbone-timeout']?.count, 1);
    // A snapshot is plain data: it survives JSON unchanged (what `--once -o json` prints).
    assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  });

  it('is not changed by later commits', () => {
    const store = newStore();
    store.actions.relist(A, 'pods', [pod('p1')]);
    store.flush();
    const snap = toSnapshot(store.getState());
    store.actions.watchEvents(A, 'pods', [{ type: 'ADDED', object: pod('p2') }]);
    store.flush();
    assert.equal(selectObjectsOfKind(store.getState(), A, 'Pod').length, 2);
    assert.deepEqual(Object.keys(snap.contexts[A]?.resources['pods']?.objects ?? {}), ['Pod/default/p1']);
  });
});

describe('quiet resources', () => {
  it('lists synced resources that heard nothing for too long', () => {
    const store = newStore();
    store.actions.relist(A, 'pods', []);
    store.actions.setResourceSync(B, 'pods', 'forbidden');
    store.flush();
    const later = new Date(Date.parse(NOW) + 10 * 60_000);
    assert.deepEqual(selectQuietResources(store.getState(), later, 5 * 60_000), [{ context: A, resource: 'pods' }]);
    assert.deepEqual(selectQuietResources(store.getState(), new Date(NOW), 5 * 60_000), []);
  });
});
