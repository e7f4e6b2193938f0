// A store with two contexts that each hold every slice a pane reads (pods, gateways, proxy
// rows, log signatures, log streams, a status), and a clock that moves on every commit, as in
// the console: a test that only passes because time stands still would prove nothing.
import type { ProxyStatusRow } from '../../src/mesh/syncz.ts';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import type { LogRecord } from '../../src/mesh/ztunnelLog.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import type { MeshStore } from '../../src/store/meshStore.ts';
import { EASTWEST_PODS, GATEWAYS } from '../../src/store/resourceIds.ts';
import { clusterId, contextId } from '../../src/store/types.ts';
import type { ContextId, Fact, KubeObjectJson, ObservedError, SynczFactValue } from '../../src/store/types.ts';
import { ManualTimers } from './manualTimers.ts';
import { pod } from './fixtures.ts';

export const A = contextId('kind-cluster-a');
export const B = contextId('kind-cluster-b');
export const PODS = 'pods';
export { EASTWEST_PODS, GATEWAYS };

const START = Date.parse('2026-01-10T12:00:00.000Z');

export interface SliceStore {
  store: MeshStore;
  /** Move the clock one second and commit what is queued. */
  commit: () => void;
}

export function gateway(name: string, resourceVersion = '1', extra: Record<string, unknown> = {}): KubeObjectJson {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'istio-eastwest', resourceVersion },
    spec: { gatewayClassName: 'istio-eastwest' },
    ...extra,
  };
}

export function versioned(name: string, resourceVersion: string, extra: Record<string, unknown> = {}): KubeObjectJson {
  const p = pod(name, 'default', extra);
  return { ...p, metadata: { ...p.metadata, resourceVersion } };
}

function row(name: string, istiod: string, version: string): ProxyStatusRow {
  return {
    name,
    cluster: 'cluster-a',
    istiod,
    version,
    types: [{ typeUrl: 'type.googleapis.com/istio.workload.Address', short: 'WADS', status: 'SYNCED' }],
  };
}

/** A syncz fact as a fresh fetch delivers it: new objects every call, even for the same data. */
export function syncz(istiodPod: string, observedAt: string, proxies: readonly string[], version = '1.28.2'): Fact<SynczFactValue> {
  return {
    state: 'known',
    value: { istiodPod, shape: 'http', rows: proxies.map((p) => row(p, istiodPod, version)), warnings: [] },
    observedAt,
  };
}

export function bookmark(resourceVersion: string): { type: 'BOOKMARK'; object: KubeObjectJson } {
  return { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion } } };
}

export const HBONE_TIMEOUT_LINE =
  '2024-07-26T17:18:00.953004Z\terror\taccess\tconnection complete\tsrc.addr=10.244.0.9:58592 ' +
  'dst.addr=10.244.0.10:15008 direction="outbound" error="connection timed out, maybe a NetworkPolicy ' +
  'is blocking HBONE port 15008: deadline has elapsed"';
const CONNECTION_REFUSED_LINE =
  '2024-07-26T17:19:00.000000Z\twarn\taccess\tconnection failed\tsrc.addr=10.244.0.9:58592 dst.addr=10.244.0.12:8080 ' +
  'error="connection refused (os error 111)"';
const INFO_LINE =
  '2024-07-26T17:18:00.953004Z\tinfo\taccess\tconnection complete\tsrc.addr=10.244.0.9:58592 dst.addr=10.244.0.10:15008 direction="outbound"';

export function errorRecords(): LogRecord[] {
  return [parseZtunnelLine(HBONE_TIMEOUT_LINE), parseZtunnelLine(CONNECTION_REFUSED_LINE)];
}

export function infoRecords(): LogRecord[] {
  return [parseZtunnelLine(INFO_LINE), parseZtunnelLine(INFO_LINE)];
}

export function forbidden(at: string): ObservedError {
  return { kind: 'forbidden', message: 'pods is forbidden', at, statusCode: 403, retryable: false };
}

/** Both contexts ready and holding pods, gateways, proxy rows, log signatures and a log stream. */
export function populatedStore(): SliceStore {
  let time = START;
  const store = createMeshStore({ timers: new ManualTimers(), now: () => new Date(time), contexts: [A, B] });
  const commit = (): void => {
    time += 1000;
    store.flush();
  };
  for (const ctx of [A, B] as ContextId[]) {
    store.actions.setContextStatus(ctx, 'ready');
    store.actions.setClusterId(ctx, clusterId(`cluster-${ctx.slice(-1)}`));
    store.actions.relist(ctx, PODS, [pod('pod-1'), pod('pod-2'), pod('pod-3')], '100');
    store.actions.relist(ctx, GATEWAYS, [gateway('eastwest'), gateway('istio-remote-peer')], '100');
    // Forbidden on one resource: the effective status is derived (degraded), not stored.
    store.actions.setResourceSync(ctx, EASTWEST_PODS, 'forbidden', forbidden('2026-01-10T12:00:00.000Z'));
    store.actions.setFact(ctx, 'istiod-1', {
      kind: 'syncz',
      fact: syncz('istiod-1', '2026-01-10T12:00:00.000Z', ['ztunnel-a.istio-system']),
    });
    store.actions.setFact(ctx, 'istiod-2', {
      kind: 'syncz',
      fact: syncz('istiod-2', '2026-01-10T12:00:00.000Z', ['ztunnel-b.istio-system']),
    });
    store.actions.addLogRecords(ctx, errorRecords(), 'istio-system/ztunnel-a');
    store.enqueue({
      type: 'logStream',
      context: ctx,
      source: 'istio-system/ztunnel-a',
      stream: { phase: 'following', container: 'istio-proxy' },
    });
  }
  commit();
  return { store, commit };
}
