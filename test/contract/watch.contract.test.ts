// Watches held to a real kube-apiserver: resuming from a resourceVersion replays the changes
// after it in order, bookmarks carry only a resourceVersion, a watch ends cleanly at
// timeoutSeconds, and a resourceVersion older than the server's history is answered with an
// ERROR event carrying 410 Expired "too old resource version".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { ContractBackend } from './backends.ts';
import { useBothBackends } from './bothBackends.ts';
import { normalize, parseJson, type Json } from './normalize.ts';

const both = useBothBackends();
const { sameOnBoth } = both;

interface WatchEvent {
  type: string;
  object: Json;
}

interface FinishedWatch {
  status: number;
  contentType: string;
  events: WatchEvent[];
  /** 'end' when the server closed the response normally (timeoutSeconds), else the error. */
  ending: string;
  /** The body ended at an event boundary (a newline), not mid-event. */
  endsOnBoundary: boolean;
}

/** Reads a watch (which must carry timeoutSeconds) until the server ends it. */
function readWatchOnce(b: ContractBackend, path: string): Promise<FinishedWatch & { retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, b.endpoint.url),
      { ca: b.endpoint.caPem, agent: false, headers: { Authorization: `Bearer ${b.token('admin')}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const finish = (ending: string): void => {
          const events =
            res.statusCode === 200
              ? text
                  .split('\n')
                  .filter((line) => line.trim() !== '')
                  .map((line) => parseJson(line) as unknown as WatchEvent)
              : [{ type: 'HTTP', object: parseJson(text) }];
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            events,
            ending,
            endsOnBoundary: text === '' || text.endsWith('\n'),
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          });
        };
        res.on('end', () => finish('end'));
        res.on('error', (error) => finish(`error: ${error.message}`));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * As a client does, a 429 is retried after Retry-After: the real server answers it while a
 * resource's watch cache is (re)initializing, which is timing, not contract.
 */
async function readWatch(b: ContractBackend, path: string): Promise<FinishedWatch> {
  for (let attempt = 1; ; attempt++) {
    const { retryAfter, ...watch } = await readWatchOnce(b, path);
    if (watch.status !== 429 || attempt === 10) return watch;
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter, 2) * 1000));
  }
}

async function write(b: ContractBackend, method: string, path: string, body?: unknown, contentType?: string): Promise<Json> {
  const r = await b.request('admin', method, path, body, contentType);
  if (r.status >= 300) throw new Error(`${b.name}: ${method} ${path}: ${r.status} ${r.body}`);
  return parseJson(r.body);
}

function resourceVersionOf(obj: Json): string {
  const meta = typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? obj.metadata : null;
  const rv = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta.resourceVersion : null;
  if (typeof rv !== 'string') throw new Error('object without resourceVersion');
  return rv;
}

/** A bookmark's object: kind, apiVersion and metadata holding nothing but resourceVersion. */
function bookmarkShape(event: WatchEvent): Json {
  const obj = event.object;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  const meta = obj.metadata;
  return {
    keys: Object.keys(obj).sort(),
    kind: obj.kind ?? null,
    apiVersion: obj.apiVersion ?? null,
    metadataKeys: typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? Object.keys(meta).sort() : null,
  };
}

async function ensureNamespace(b: ContractBackend, name: string): Promise<void> {
  const r = await b.request('admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`${b.name}: create namespace ${name}: ${r.status} ${r.body}`);
}

test('contract: watches behave like kube-apiserver', async (t) => {
  const skip = both.skipReason();
  if (skip !== null) {
    t.skip(skip);
    return;
  }

  await t.test('resume from a resourceVersion: the changes after it, in order, then a clean end', async () => {
    const ns = 'contract-watch-resume';
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const first = await write(b, 'POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { n: '1' } });
      const from = resourceVersionOf(first);
      await write(b, 'PATCH', `${base}/a`, { data: { n: '2' } }, 'application/merge-patch+json');
      await write(b, 'POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels: { app: 'x' } } });
      await write(b, 'DELETE', `${base}/a`);
      const watch = await readWatch(b, `${base}?watch=true&resourceVersion=${from}&timeoutSeconds=2&allowWatchBookmarks=true`);
      const changes = watch.events.filter((e) => e.type !== 'BOOKMARK');
      return {
        status: watch.status,
        contentType: watch.contentType,
        ending: watch.ending,
        endsOnBoundary: watch.endsOnBoundary,
        changes: changes.map((e) => ({ type: e.type, object: normalize(e.object) })),
      };
    });
    assert.deepEqual(
      result.changes.map((c) => c.type),
      ['MODIFIED', 'ADDED', 'DELETED'],
    );
  });

  await t.test('sendInitialEvents: the current objects, then a bookmark annotated initial-events-end', async () => {
    const ns = 'contract-watch-initial';
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      await write(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'present' } });
      const watch = await readWatch(
        b,
        `/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`,
      );
      // The first bookmark is the protocol's; any later one is a periodic bookmark (timing).
      const end = watch.events.findIndex((e) => e.type === 'BOOKMARK');
      return {
        status: watch.status,
        ending: watch.ending,
        events: watch.events.slice(0, end + 1).map((e) => ({ type: e.type, object: normalize(e.object) })),
      };
    });
    assert.deepEqual(result.events.at(-1), {
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: '<rv>', annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
  });

  await t.test('periodic bookmarks carry only the resourceVersion; the watch ends cleanly at timeoutSeconds', async () => {
    const ns = 'contract-watch-bookmark';
    // The real server sends periodic bookmarks rarely (about a minute, or before the deadline
    // once the type's resourceVersion moved on), so how many arrive is timing: only their shape
    // is compared, and that the stream ends cleanly with nothing else in it.
    const shapes = new Map<string, Json[]>();
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      await ensureNamespace(b, `${ns}-other`);
      const created = await write(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'quiet' },
      });
      const watching = readWatch(
        b,
        `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${resourceVersionOf(created)}&timeoutSeconds=4&allowWatchBookmarks=true`,
      );
      // A change this watch does not see moves the type's resourceVersion past the watch's.
      await write(b, 'POST', `/api/v1/namespaces/${ns}-other/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'elsewhere' },
      });
      const watch = await watching;
      shapes.set(b.name, watch.events.filter((e) => e.type === 'BOOKMARK').map(bookmarkShape));
      return {
        status: watch.status,
        ending: watch.ending,
        endsOnBoundary: watch.endsOnBoundary,
        others: watch.events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type),
      };
    });
    const expected = { keys: ['apiVersion', 'kind', 'metadata'], kind: 'ConfigMap', apiVersion: 'v1', metadataKeys: ['resourceVersion'] };
    for (const [name, list] of shapes) for (const shape of list) assert.deepEqual(shape, expected, `${name} bookmark`);
    assert.ok((shapes.get('simulator') ?? []).length > 0, 'the simulator sends a bookmark before the deadline');
  });

  await t.test('a resourceVersion older than the history: ERROR 410 Expired, too old resource version', async () => {
    const ns = 'contract-watch-expired';
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      // Gateways are a CRD: the real server's watch history for them starts when it was installed.
      const watch = await readWatch(
        b,
        `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways?watch=true&resourceVersion=1&timeoutSeconds=2`,
      );
      return {
        status: watch.status,
        ending: watch.ending,
        events: watch.events.map((e) => ({ type: e.type, object: normalize(e.object) })),
      };
    });
    assert.deepEqual(result.events, [
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'too old resource version: <rv> (<rv>)',
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  await t.test('a relist after the 410 returns the objects and a resourceVersion to watch from', async () => {
    const ns = 'contract-watch-relist';
    const base = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`;
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      await write(b, 'POST', base, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: ns },
        spec: { gatewayClassName: 'istio-remote', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      });
      const list = await write(b, 'GET', base);
      const rv = resourceVersionOf(list);
      await write(b, 'PATCH', `${base}/gw`, { metadata: { labels: { after: 'relist' } } }, 'application/merge-patch+json');
      const watch = await readWatch(b, `${base}?watch=true&resourceVersion=${rv}&timeoutSeconds=2`);
      return { list: normalize(list), events: watch.events.map((e) => ({ type: e.type, object: normalize(e.object) })) };
    });
  });
});
