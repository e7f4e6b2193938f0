// The store's reducer (src/store/applyUpdates.ts) under the load of a large console: 20
// contexts × 1,000 pods, fed batches of watch events and log records as the batcher would hand
// them over. Measures the reducer alone (no feeds, no network): ingest rates and the time of a
// commit touching one context, and the same against an Immer reducer for comparison.
//
// Immer is not a dependency. Its rows are measured when `immer` resolves (e.g. `npm install
// --no-save immer`) or BENCH_IMMER names its ESM entry file (an install elsewhere:
// `npm install --prefix /tmp/immer immer`, then BENCH_IMMER=/tmp/immer/node_modules/immer/dist/immer.mjs).
// BENCH_STORE_RUNS sets the repeats per row (default 7; medians are reported).
import { isAbsolute } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import type { LogRecord } from '../../src/mesh/ztunnelLog.ts';
import { applyUpdates, emptyState } from '../../src/store/applyUpdates.ts';
import { sameJson } from '../../src/store/keepUnchanged.ts';
import { keyOf } from '../../src/store/objectKey.ts';
import { sanitizeObject } from '../../src/store/sanitizeObject.ts';
import { contextId } from '../../src/store/types.ts';
import type { ContextId, KubeObjectJson, MeshState, ObjectKey } from '../../src/store/types.ts';
import type { StoreUpdate, StoreWatchEvent } from '../../src/store/updates.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const RUNS = Number(process.env.BENCH_STORE_RUNS ?? '7');
const CONTEXTS = 20;
const PODS = 1000;
const BATCH_EVENTS = 1000;
const BATCHES = 40;
const ONE_CONTEXT_EVENTS = 10;
const ONE_CONTEXT_COMMITS = 200;
const T0 = '2026-01-10T12:00:00.000Z';

const contexts: ContextId[] = Array.from({ length: CONTEXTS }, (_, i) => contextId(`bench-${String(i + 1).padStart(2, '0')}`));

/** A pod about the size the API serves for an ambient workload (~1.5 kB of JSON). */
function podObject(ctx: ContextId, i: number, resourceVersion: string, phase = 'Running'): KubeObjectJson {
  const name = `reviews-v1-7d8f9c-${String(i).padStart(4, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: `ns-${i % 10}`,
      uid: `${ctx}-${i}`,
      resourceVersion,
      labels: { app: 'reviews', version: 'v1', 'pod-template-hash': '7d8f9c', 'istio.io/dataplane-mode': 'ambient' },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v1-7d8f9c', uid: 'rs-1', controller: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' }],
    },
    spec: {
      nodeName: `node-${i % 3}`,
      serviceAccountName: 'bookinfo-reviews',
      containers: [
        {
          name: 'reviews',
          image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2',
          ports: [{ containerPort: 9080, protocol: 'TCP' }],
          env: [{ name: 'LOG_DIR', value: '/tmp/logs' }],
        },
      ],
    },
    status: {
      phase,
      podIP: `10.${i % 250}.${Math.floor(i / 250)}.${(i % 200) + 10}`,
      hostIP: `172.18.0.${(i % 3) + 2}`,
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: T0 },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: T0 },
      ],
      containerStatuses: [
        { name: 'reviews', ready: true, restartCount: 0, image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', started: true },
      ],
    },
  };
}

function seededState(): MeshState {
  const relists: StoreUpdate[] = contexts.map((context) => ({
    type: 'relist',
    context,
    resource: 'pods',
    objects: Array.from({ length: PODS }, (_, i) => podObject(context, i, '1')),
    resourceVersion: '1',
  }));
  return applyUpdates(emptyState(T0), relists, T0);
}

/** Batches of MODIFIED events spread over every context; each pod gets a new resourceVersion. */
function modifiedBatches(round: number, redeliver: boolean): StoreUpdate[][] {
  const perContext = BATCH_EVENTS / CONTEXTS;
  return Array.from({ length: BATCHES }, (_, b) =>
    contexts.map((context) => ({
      type: 'watchEvents' as const,
      context,
      resource: 'pods',
      events: Array.from({ length: perContext }, (_, k): StoreWatchEvent => {
        const i = (b * perContext + k) % PODS;
        return redeliver
          ? { type: 'MODIFIED', object: podObject(context, i, '1') }
          : { type: 'MODIFIED', object: podObject(context, i, `${round}-${b}`, b % 2 ? 'Running' : 'Pending') };
      }),
    })),
  );
}

function oneContextBatches(): StoreUpdate[][] {
  return Array.from({ length: ONE_CONTEXT_COMMITS }, (_, c) => [
    {
      type: 'watchEvents' as const,
      context: contexts[c % CONTEXTS] as ContextId,
      resource: 'pods',
      events: Array.from({ length: ONE_CONTEXT_EVENTS }, (_, k): StoreWatchEvent => ({
        type: 'MODIFIED',
        object: podObject(contexts[c % CONTEXTS] as ContextId, (c * ONE_CONTEXT_EVENTS + k) % PODS, `c${c}`, c % 2 ? 'Running' : 'Pending'),
      })),
    },
  ]);
}

function bookmarkBatches(): StoreUpdate[][] {
  return Array.from({ length: ONE_CONTEXT_COMMITS }, (_, c) => [
    {
      type: 'watchEvents' as const,
      context: contexts[c % CONTEXTS] as ContextId,
      resource: 'pods',
      events: [{ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: `b${c}` } } }],
    },
  ]);
}

const LOG_LINES = [
  '2026-01-10T12:00:00.953004Z\terror\taccess\tconnection complete\tsrc.addr=10.244.0.9:58592 ' +
    'dst.addr=10.244.0.10:15008 direction="outbound" error="connection timed out, maybe a NetworkPolicy ' +
    'is blocking HBONE port 15008: deadline has elapsed"',
  '2026-01-10T12:00:01.000000Z\tinfo\taccess\tconnection complete\tsrc.addr=10.244.0.9:58592 ' +
    'dst.addr=10.244.0.10:15008 direction="outbound" bytes_sent=120 bytes_recv=3400 duration="12ms"',
  '2026-01-10T12:00:02.000000Z\tinfo\txds::client\treceived response type_url="type.googleapis.com/istio.workload.Address" size=12 removes=0',
];

function logBatches(): StoreUpdate[][] {
  const records: LogRecord[] = Array.from({ length: BATCH_EVENTS / CONTEXTS }, (_, i) =>
    parseZtunnelLine(LOG_LINES[i % LOG_LINES.length] as string),
  );
  return Array.from({ length: BATCHES }, () =>
    contexts.map((context) => ({ type: 'logRecords' as const, context, source: 'istio-system/ztunnel-x', records })),
  );
}

type Reducer = (state: MeshState, updates: readonly StoreUpdate[], now: string) => MeshState;

/** Feed every batch in order; returns the wall time in ms. */
function ingest(reduce: Reducer, start: MeshState, batches: readonly StoreUpdate[][]): number {
  let state = start;
  const began = performance.now();
  for (let b = 0; b < batches.length; b++)
    state = reduce(state, batches[b] as StoreUpdate[], new Date(Date.parse(T0) + (b + 1) * 100).toISOString());
  return performance.now() - began;
}

/** Median over RUNS of ingesting fresh batches; the first run is a warm-up and not counted. */
function ratePerSecond(
  reduce: Reducer,
  start: MeshState,
  make: (run: number) => StoreUpdate[][],
  itemsPerRun: number,
): { value: number; note: string } {
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const batches = make(run);
    const ms = ingest(reduce, start, batches);
    if (run > 0) rates.push(itemsPerRun / (ms / 1000));
  }
  const s = spread(rates);
  return { value: Math.round(s.median), note: `median of ${RUNS}, ${Math.round(s.min)}–${Math.round(s.max)}` };
}

function commitTime(reduce: Reducer, start: MeshState, batches: readonly StoreUpdate[][]): { value: number; note: string } {
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const ms = ingest(reduce, start, batches);
    if (run > 0) samples.push((ms * 1000) / batches.length);
  }
  const s = spread(samples);
  return {
    value: Math.round(s.median * 10) / 10,
    note: `median of ${RUNS} runs of ${batches.length} commits, ${s.min.toFixed(1)}–${s.max.toFixed(1)} µs`,
  };
}

// ---- the Immer reducer, for comparison --------------------------------------------------------

interface ImmerApi {
  produce<T>(base: T, recipe: (draft: T) => void): T;
  setAutoFreeze(freeze: boolean): void;
}

async function loadImmer(): Promise<ImmerApi | undefined> {
  const named = process.env.BENCH_IMMER ?? 'immer';
  const specifier = isAbsolute(named) ? pathToFileURL(named).href : named;
  try {
    return (await import(specifier)) as ImmerApi;
  } catch {
    return undefined;
  }
}

/**
 * watchEvents as applyUpdates does it (last event per object wins, re-delivered objects are no
 * change, bookmarks move lastEventAt), written as Immer recipes. Reads go to the base state, not
 * the draft: reading stored objects through Immer's proxies to compare them would be slower
 * still, and no one would write it that way.
 */
function immerReducer(immer: ImmerApi): Reducer {
  return (state, updates, now) =>
    immer.produce(state, (draft) => {
      let anyChange = false;
      for (const u of updates) {
        if (u.type !== 'watchEvents') continue;
        const stored = state.contexts[u.context]?.resources[u.resource]?.objects ?? {};
        const ctx = draft.contexts[u.context];
        const res = ctx?.resources[u.resource];
        if (!res) continue;
        const objects = res.objects as Record<ObjectKey, KubeObjectJson>;
        const done = new Set<ObjectKey>();
        let changed = false;
        for (let i = u.events.length - 1; i >= 0; i--) {
          const ev = u.events[i] as StoreWatchEvent;
          if (ev.type === 'BOOKMARK') {
            changed = true;
            continue;
          }
          const key = keyOf(ev.object);
          if (done.has(key)) continue;
          done.add(key);
          const have = stored[key];
          if (ev.type === 'DELETED') {
            if (have === undefined) continue;
            delete objects[key];
            changed = true;
            continue;
          }
          const obj = sanitizeObject(ev.object);
          if (have !== undefined && have.metadata.resourceVersion === obj.metadata.resourceVersion && sameJson(have, obj)) continue;
          objects[key] = obj;
          changed = true;
        }
        if (changed) res.lastEventAt = now;
        anyChange ||= changed;
      }
      if (anyChange) draft.updatedAt = now;
    });
}

export const bench: Bench = {
  title: `store reducer, ${CONTEXTS} contexts × ${PODS} pods (ingest rates, commit time, hand-written vs Immer)`,
  async run() {
    const start = seededState();
    const handWritten: Reducer = applyUpdates;
    const events = BATCHES * BATCH_EVENTS;
    const rows: BenchRow[] = [];
    const where = `${BATCHES} batches of ${BATCH_EVENTS} over ${CONTEXTS} contexts × ${PODS} pods`;

    const modified = ratePerSecond(handWritten, start, (run) => modifiedBatches(run, false), events);
    rows.push({
      name: 'store: ingest, watch MODIFIED (new resourceVersion)',
      value: modified.value,
      unit: 'events/s',
      note: `${where}; ${modified.note}`,
    });
    const redelivered = ratePerSecond(handWritten, start, () => modifiedBatches(0, true), events);
    rows.push({
      name: 'store: ingest, re-delivered MODIFIED (no change)',
      value: redelivered.value,
      unit: 'events/s',
      note: `${where}, each compared with the stored object; ${redelivered.note}`,
    });
    const logs = ratePerSecond(handWritten, start, () => logBatches(), events);
    rows.push({
      name: 'store: ingest, ztunnel log records',
      value: logs.value,
      unit: 'records/s',
      note: `${where.replace('pods', 'pods stored')}, ⅓ failures; parsing not counted; ${logs.note}`,
    });
    const one = commitTime(handWritten, start, oneContextBatches());
    rows.push({
      name: `store: commit, ${ONE_CONTEXT_EVENTS} MODIFIED in 1 of ${CONTEXTS} contexts`,
      value: one.value,
      unit: 'µs',
      note: `${one.note}; mostly copying that resource's ${PODS}-entry objects map`,
    });
    const bookmarks = commitTime(handWritten, start, bookmarkBatches());
    rows.push({
      name: `store: commit, 1 BOOKMARK in 1 of ${CONTEXTS} contexts`,
      value: bookmarks.value,
      unit: 'µs',
      note: `${bookmarks.note}; the objects map is not copied`,
    });

    const immer = await loadImmer();
    if (!immer) {
      rows.push({
        name: 'store (Immer): not measured',
        value: 0,
        unit: '',
        note: 'immer is not installed; see the top of test/bench/store.bench.ts',
      });
      return rows;
    }
    for (const freeze of [true, false]) {
      immer.setAutoFreeze(freeze);
      const label = freeze ? 'Immer, auto-freeze (its default)' : 'Immer, no auto-freeze';
      const reduce = immerReducer(immer);
      const im = ratePerSecond(reduce, start, (run) => modifiedBatches(run, false), events);
      rows.push({ name: `store (${label}): ingest, watch MODIFIED`, value: im.value, unit: 'events/s', note: im.note });
      const imRe = ratePerSecond(reduce, start, () => modifiedBatches(0, true), events);
      rows.push({ name: `store (${label}): ingest, re-delivered MODIFIED`, value: imRe.value, unit: 'events/s', note: imRe.note });
      const imOne = commitTime(reduce, start, oneContextBatches());
      rows.push({
        name: `store (${label}): commit, ${ONE_CONTEXT_EVENTS} MODIFIED in 1 context`,
        value: imOne.value,
        unit: 'µs',
        note: imOne.note,
      });
    }
    immer.setAutoFreeze(true);
    return rows;
  },
};
