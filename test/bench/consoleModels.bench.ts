// The console's pane models (src/console/rows/) on a large mesh: 20 contexts, each with 200
// nodes' ztunnel and istio-cni pods (8,000 pod rows). What a pane pays per frame when nothing it
// shows changed (a bookmark: the memoized model is handed back), when its data changed (one pod
// of one context), when the age clock steps, and what the `/` filter costs on the result.
// BENCH_CONSOLE_RUNS sets the repeats per row (default 7; medians are reported).
import { performance } from 'node:perf_hooks';
import { filterTable } from '../../src/console/filter.ts';
import { AGE_CADENCE_MS } from '../../src/console/rows/age.ts';
import { selectGatewayTable } from '../../src/console/rows/gatewayRows.ts';
import { selectPodTable } from '../../src/console/rows/podRows.ts';
import { selectProxyTable } from '../../src/console/rows/proxyRows.ts';
import { applyUpdates, emptyState } from '../../src/store/applyUpdates.ts';
import { ISTIO_CNI_PODS, ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { contextId, type ContextId, type KubeObjectJson, type MeshState } from '../../src/store/types.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? '7');
const CONTEXTS = 20;
const NODES = 200;
const T0 = '2026-01-10T12:00:00.000Z';
const NS = 'istio-system';

const contexts: ContextId[] = Array.from({ length: CONTEXTS }, (_, i) => contextId(`bench-${String(i + 1).padStart(2, '0')}`));

function pod(name: string, app: string, node: number, restarts = 0): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, uid: `uid-${name}`, resourceVersion: '1', labels: { app }, creationTimestamp: T0 },
    spec: { nodeName: `node-${node}`, containers: [{ name: 'c', image: `${app}:1.28` }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: restarts, state: { running: { startedAt: T0 } } }],
    },
  };
}

function largeMesh(): MeshState {
  const updates: StoreUpdate[] = [];
  for (const context of contexts) {
    updates.push({ type: 'contextStatus', context, phase: 'ready' });
    const meshPods = [pod('istiod-0', 'istiod', 0), ...Array.from({ length: NODES }, (_, n) => pod(`ztunnel-${n}`, 'ztunnel', n))];
    updates.push({ type: 'relist', context, resource: ISTIOD_ZTUNNEL_PODS, objects: meshPods, resourceVersion: '1' });
    const cni = Array.from({ length: NODES }, (_, n) => pod(`istio-cni-node-${n}`, 'istio-cni-node', n));
    updates.push({ type: 'relist', context, resource: ISTIO_CNI_PODS, objects: cni, resourceVersion: '1' });
  }
  return applyUpdates(emptyState(T0), updates, T0);
}

function bookmark(state: MeshState, i: number): MeshState {
  const context = contexts[i % CONTEXTS] as ContextId;
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: `bm-${i}` } };
  return applyUpdates(state, [{ type: 'watchEvents', context, resource: ISTIOD_ZTUNNEL_PODS, events: [{ type: 'BOOKMARK', object }] }], T0);
}

function restart(state: MeshState, i: number): MeshState {
  const context = contexts[i % CONTEXTS] as ContextId;
  const object = pod(`ztunnel-${i % NODES}`, 'ztunnel', i % NODES, i + 1);
  return applyUpdates(state, [{ type: 'watchEvents', context, resource: ISTIOD_ZTUNNEL_PODS, events: [{ type: 'MODIFIED', object }] }], T0);
}

/** Median ms per call of `call(i)` over `count` calls, RUNS times. */
function perCall(count: number, call: (i: number) => unknown): { median: number; min: number; max: number } {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) call(run * count + i);
    samples.push((performance.now() - start) / count);
  }
  return spread(samples);
}

function row(name: string, s: { median: number; min: number; max: number }, what: string): BenchRow {
  return { name, value: s.median, unit: 'ms', note: `${what}; median of ${RUNS} (${s.min.toFixed(3)}–${s.max.toFixed(3)})` };
}

export const bench: Bench = {
  title: 'console pane models',
  async run() {
    const base = largeMesh();
    const now = Date.parse(T0) + 3_600_000;
    const rowsShown = selectPodTable(base, NS, now).rows.length;
    const bookmarks = Array.from({ length: 100 }, (_, i) => bookmark(base, i));
    const changes = Array.from({ length: 20 }, (_, i) => restart(base, i));
    const out: BenchRow[] = [];
    out.push(
      row(
        `pods: unchanged after a bookmark, ${rowsShown} rows`,
        perCall(100, (i) => selectPodTable(bookmarks[i % 100] as MeshState, NS, now)),
        'same model handed back',
      ),
    );
    out.push(
      row(
        `pods: one pod changed, ${rowsShown} rows`,
        perCall(20, (i) => selectPodTable(changes[i % 20] as MeshState, NS, now)),
        'rebuilt',
      ),
    );
    out.push(
      row(
        `pods: age step, ${rowsShown} rows`,
        perCall(10, (i) => selectPodTable(base, NS, now + (i + 1) * AGE_CADENCE_MS)),
        'rebuilt',
      ),
    );
    const table = selectPodTable(base, NS, now);
    out.push(
      row(
        `filter: "/ztunnel-19" on ${rowsShown} rows`,
        perCall(10, (i) => filterTable(table, `ztunnel-19${i % 10}`, null)),
        'new text each call',
      ),
    );
    out.push(
      row(
        `gateways: unchanged after a bookmark, ${CONTEXTS} contexts`,
        perCall(100, (i) => selectGatewayTable(bookmarks[i % 100] as MeshState, now)),
        'same model handed back',
      ),
    );
    out.push(
      row(
        `proxies: unchanged after a bookmark, ${CONTEXTS} contexts`,
        perCall(100, (i) => selectProxyTable(bookmarks[i % 100] as MeshState)),
        'same model handed back',
      ),
    );
    return Promise.resolve(out);
  },
};
