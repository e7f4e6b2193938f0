// The watch loop and its line splitter against a scripted loopback apiserver: what goes on the
// wire (pagination, bookmarks, resume points) and what the loop does with hostile streams
// (410 in the stream and as a status, a line far over the limit, a line split inside a UTF-8 character).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { DEFAULT_WATCH_LINE_BYTES, LineSplitter } from '../../src/kube/lineSplitter.ts';
import {
  WatchLoop,
  type WatchLoopEvent,
  type WatchLoopOptions,
  type WatchLoopState,
  type WatchedObject,
} from '../../src/kube/watchLoop.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { failureStatus, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir } from './kubeconfigFixtures.ts';
import { waitUntil } from '../helpers/waitFor.ts';
import { RetryGate } from '../../src/kube/retryGate.ts';
import { ManualClock } from '../helpers/manualClock.ts';
import { readFileSync } from 'node:fs';

const TOKEN = 'loop-token';

const watchSplitter = (maxLineBytes = DEFAULT_WATCH_LINE_BYTES): LineSplitter => new LineSplitter({ maxLineBytes, overLong: 'drop' });

describe('LineSplitter for watch events (drop)', () => {
  const text = 'first line\n{"é":"ü→✓"}\r\nthird\n';
  const bytes = new TextEncoder().encode(text);

  it('gives the same lines however the bytes are chunked, even inside a UTF-8 character', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const splitter = watchSplitter();
      const lines = [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut)), ...splitter.end()];
      assert.deepEqual(
        lines,
        [
          { kind: 'line', text: 'first line' },
          { kind: 'line', text: '{"é":"ü→✓"}' },
          { kind: 'line', text: 'third' },
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('reports a line over the limit once, without keeping it, and goes on with the next', () => {
    const splitter = watchSplitter(1024);
    const out = [];
    out.push(...splitter.push(new TextEncoder().encode('ok\n')));
    for (let i = 0; i < 50; i++) out.push(...splitter.push(new Uint8Array(1000).fill(0x78)));
    out.push(...splitter.push(new TextEncoder().encode('tail\nnext\n')));
    assert.deepEqual(out, [
      { kind: 'line', text: 'ok' },
      { kind: 'oversized', bytes: 50_004 },
      { kind: 'line', text: 'next' },
    ]);
  });

  it('hands over a last line without a newline at the end of the stream', () => {
    const splitter = watchSplitter();
    assert.deepEqual(splitter.push(new TextEncoder().encode('a\nb')), [{ kind: 'line', text: 'a' }]);
    assert.deepEqual(splitter.end(), [{ kind: 'line', text: 'b' }]);
    assert.deepEqual(splitter.end(), []);
  });
});

interface Recorded {
  relists: WatchedObject[][];
  events: WatchLoopEvent[];
  states: WatchLoopState[];
}

function recorder(): Recorded & { handlers: ConstructorParameters<typeof WatchLoop>[2] } {
  const r: Recorded = { relists: [], events: [], states: [] };
  return {
    ...r,
    handlers: {
      relisted: (objects) => r.relists.push(objects),
      events: (events) => r.events.push(...events),
      state: (state) => r.states.push(state),
    },
  };
}

const pod = (name: string, rv: string): Record<string, unknown> => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });
const event = (type: string, object: unknown): string => JSON.stringify({ type, object }) + '\n';

describe('WatchLoop against a scripted apiserver', () => {
  let server: LoopbackApiServer;
  let tmp: TempDir;
  let client: ContextClient;
  /** What the next watch request gets; each entry is used once, then watches hang open. */
  let watchScript: ((response: ServerResponse) => void)[] = [];
  /** What the next list requests of the scripted collection get, each once; then the three pods. */
  let listScript: ((response: ServerResponse) => void)[] = [];
  /**
   * Each run watches its own collection and only its watches take script steps: a watch the
   * previous run's loop sent just before it stopped can still arrive after the next run began,
   * and must not use up that run's first step.
   */
  let scriptedPath = '';
  let runs = 0;
  const open = new Set<ServerResponse>();

  before(async () => {
    server = await startLoopbackApiServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${TOKEN}`)
        return sendJson(response, 401, failureStatus(401, 'Unauthorized', 'Unauthorized'));
      const url = new URL(request.url ?? '/', 'https://x');
      if (url.searchParams.get('watch') === 'true') {
        const step = url.pathname === scriptedPath ? watchScript.shift() : undefined;
        if (step) return step(response);
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        open.add(response);
        return;
      }
      const listStep = url.pathname === scriptedPath ? listScript.shift() : undefined;
      if (listStep) return listStep(response);
      // Three pods in pages of the requested size; the continue token is the next index.
      const all = [pod('a', '11'), pod('b', '12'), pod('c', '13')];
      const start = Number(url.searchParams.get('continue') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '500');
      const next = start + limit < all.length ? String(start + limit) : undefined;
      sendJson(response, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '20', ...(next && { continue: next }) },
        items: all.slice(start, start + limit),
      });
    });
    tmp = makeTempDir();
    const file = tmp.writeKubeconfig('kc.yaml', tokenKubeconfig('loop', server.url, server.caData, TOKEN));
    client = new ContextClient(loadKubeconfig({ kubeconfigPath: file }).contexts[0]!);
  });
  after(async () => {
    for (const response of open) response.destroy();
    await client.close();
    await server.close();
    tmp.remove();
  });

  async function run(
    script: ((response: ServerResponse) => void)[],
    until: (r: Recorded) => boolean,
    timeoutMs = 15_000,
    options: WatchLoopOptions = {},
    lists: ((response: ServerResponse) => void)[] = [],
  ): Promise<{ r: Recorded; requests: string[] }> {
    runs += 1;
    scriptedPath = `/api/v1/namespaces/run-${runs}/pods`;
    watchScript = script;
    listScript = lists;
    const before = server.requests.length;
    const rec = recorder();
    const loop = new WatchLoop(client, { path: scriptedPath, apiVersion: 'v1', kind: 'Pod', labelSelector: 'app=ztunnel' }, rec.handlers, {
      pageSize: 2,
      backoff: { initialMs: 20, maxMs: 100 },
      watchTimeoutSeconds: 60,
      ...options,
    });
    loop.start();
    try {
      await waitUntil(() => until(rec), { timeoutMs, what: 'the loop to get there' });
    } finally {
      await loop.stop();
    }
    const path = scriptedPath;
    return {
      r: rec,
      requests: server.requests
        .slice(before)
        .map((q) => q.path)
        .filter((p) => new URL(p, 'https://x').pathname === path),
    };
  }

  it('lists page by page, fills in kind, then watches from the list with bookmarks and a timeout', async () => {
    const { r, requests } = await run([], (x) => x.states.some((s) => s.phase === 'watching'));
    assert.deepEqual(
      r.relists[0]?.map((o) => `${o.kind} ${o.apiVersion} ${o.metadata.name}`),
      ['Pod v1 a', 'Pod v1 b', 'Pod v1 c'],
    );
    const [first, second, watch] = requests.map((p) => new URL(p, 'https://x'));
    assert.equal(first?.searchParams.get('limit'), '2');
    assert.equal(first?.searchParams.get('labelSelector'), 'app=ztunnel');
    assert.equal(second?.searchParams.get('continue'), '2');
    assert.equal(watch?.searchParams.get('watch'), 'true');
    assert.equal(watch?.searchParams.get('resourceVersion'), '20');
    assert.equal(watch?.searchParams.get('allowWatchBookmarks'), 'true');
    assert.equal(watch?.searchParams.get('timeoutSeconds'), '60');
    assert.equal(watch?.searchParams.get('labelSelector'), 'app=ztunnel');
  });

  it('with watch: false, lists every page and ends there: no watch is opened', async () => {
    const { r, requests } = await run([], (x) => x.states.some((s) => s.phase === 'listed'), undefined, { watch: false });
    assert.deepEqual(
      r.relists.map((objects) => objects.map((o) => o.metadata.name)),
      [['a', 'b', 'c']],
    );
    assert.deepEqual(
      r.states.map((s) => s.phase),
      ['listing', 'listed'],
    );
    assert.equal(requests.length, 2, requests.join('\n'));
    assert.ok(
      requests.every((p) => !p.includes('watch=true')),
      requests.join('\n'),
    );
  });

  it('a 429 is asked again only once its Retry-After has passed', async () => {
    const clock = new ManualClock();
    const tooMany = (res: ServerResponse): void =>
      sendJson(res, 429, failureStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 2 }), {
        'Retry-After': '2',
      });
    const result = run([], (x) => x.relists.length >= 1, undefined, { watch: false, clock }, [tooMany]);
    const listsSoFar = (): number => server.requests.filter((q) => new URL(q.path, 'https://x').pathname === scriptedPath).length;
    await waitUntil(() => clock.pending === 1, { what: 'the loop to wait after the 429' });
    assert.equal(listsSoFar(), 1);
    clock.advance(1_999);
    assert.equal(clock.pending, 1, 'still waiting a millisecond before Retry-After');
    assert.equal(listsSoFar(), 1);
    clock.advance(1);
    const { r, requests } = await result;
    assert.equal(requests.length, 3, 'the throttled list, then the two pages of the next');
    const failing = r.states.find((s) => s.phase === 'failing');
    assert.ok(failing?.phase === 'failing');
    assert.equal(failing.error.kind, 'throttled');
    assert.equal(failing.retryInMs, 2_000);
  });

  it('re-watches from the last event or bookmark after a normal end; relists after a 410 ERROR event', async () => {
    const { r, requests } = await run(
      [
        (res) =>
          res.end(
            event('ADDED', { kind: 'Pod', apiVersion: 'v1', ...pod('d', '21') }) +
              event('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '25' } }),
          ),
        (res) => res.end(event('ERROR', failureStatus(410, 'Expired', 'too old resource version: 25 (30)'))),
      ],
      (x) => x.relists.length >= 2 && x.states.filter((s) => s.phase === 'watching').length >= 3,
    );
    const watches = requests
      .filter((p) => p.includes('watch=true'))
      .map((p) => new URL(p, 'https://x').searchParams.get('resourceVersion'));
    assert.deepEqual(watches.slice(0, 3), ['20', '25', '20']);
    assert.deepEqual(
      r.events.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`),
      ['ADDED 21', 'BOOKMARK 25'],
    );
    assert.equal(r.relists.length, 2);
  });

  it('relists after an HTTP 410 answer to the watch', async () => {
    const { r } = await run(
      [(res) => sendJson(res, 410, failureStatus(410, 'Expired', 'too old resource version: 20 (30)'))],
      (x) => x.relists.length >= 2,
    );
    assert.equal(r.relists.length, 2);
  });

  // Every byte of an over-long line crosses TLS before its newline ends it, and 50 MB of it took
  // over a minute on a loaded machine. What is proven does not depend on the size, only on the
  // line being far over the limit: 3.2 MB against a 64 KiB limit is counted, never kept.
  it('survives a line 50 times the limit: drops it, says so, and relists', async () => {
    const limit = 64 * 1024;
    const { r } = await run(
      [
        (res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const chunk = Buffer.alloc(limit, 0x78);
          let sent = 0;
          const more = (): void => {
            while (sent < 50) {
              sent += 1;
              if (!res.write(chunk)) return void res.once('drain', more);
            }
            res.end('\n' + event('ADDED', { kind: 'Pod', apiVersion: 'v1', ...pod('e', '31') }));
          };
          more();
        },
      ],
      (x) => x.relists.length >= 2,
      undefined,
      { maxLineBytes: limit },
    );
    const failure = r.states.find((s) => s.phase === 'failing');
    assert.ok(failure && failure.phase === 'failing');
    assert.match(failure.error.message, new RegExp(`watch event of ${50 * limit} bytes exceeded the line limit`));
  });

  it("a context's watches retry a failing exec plugin together: one plugin run serves them all", async () => {
    const runs = tmp.write('runs', '');
    const plugin = tmp.write('plugin.sh', `#!/bin/sh\necho run >> "${runs}"\necho "login required" >&2\nexit 1\n`, 0o755);
    const file = tmp.writeKubeconfig('exec.yaml', {
      ...tokenKubeconfig('exec', server.url, server.caData, 'unused'),
      users: [
        {
          name: 'exec-user',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } },
        },
      ],
      contexts: [{ name: 'exec', context: { cluster: 'exec-cluster', user: 'exec-user' } }],
    });
    const execClient = new ContextClient(loadKubeconfig({ kubeconfigPath: file }).contexts[0]!);
    // Time moves only when every loop is waiting, and each draws a different jitter: left to
    // their own delays, the six would wake one at a time and each run the plugin alone.
    const clock = new ManualClock();
    const gate = new RetryGate(clock);
    let draws = 0;
    const random = (): number => (draws++ % 6) / 6;
    let failures = 0;
    const loops = Array.from({ length: 6 }, () => {
      const rec = recorder();
      return new WatchLoop(
        execClient,
        { path: '/api/v1/pods', apiVersion: 'v1', kind: 'Pod' },
        { ...rec.handlers, state: (st) => void (st.phase === 'failing' && (failures += 1)) },
        {
          backoff: { initialMs: 300, maxMs: 600 },
          gate,
          clock,
          random,
        },
      );
    });
    for (const loop of loops) loop.start();
    try {
      for (;;) {
        // A loop with no timer set is in the middle of an attempt.
        await waitUntil(() => clock.pending === loops.length, {
          what: `all ${loops.length} loops waiting (${clock.pending} are; ${failures} failures)`,
        });
        if (failures >= 30) break;
        clock.advanceToNext();
      }
    } finally {
      await Promise.all(loops.map((loop) => loop.stop()));
      await execClient.close();
    }
    const pluginRuns = readFileSync(runs, 'utf8')
      .split('\n')
      .filter((l) => l === 'run').length;
    assert.equal(failures, 30);
    assert.equal(pluginRuns, 5, `${pluginRuns} plugin runs for ${failures} failed attempts of ${loops.length} watches`);
  });

  it('reports rejected credentials (401) as an auth failure and keeps retrying', async () => {
    const rejectedClient = new ContextClient(
      loadKubeconfig({ kubeconfigPath: tmp.writeKubeconfig('bad.yaml', tokenKubeconfig('loop', server.url, server.caData, 'wrong')) })
        .contexts[0]!,
    );
    const rec = recorder();
    const loop = new WatchLoop(rejectedClient, { path: '/api/v1/pods', apiVersion: 'v1', kind: 'Pod' }, rec.handlers, {
      backoff: { initialMs: 20, maxMs: 50 },
    });
    loop.start();
    await waitUntil(() => server.requests.filter((q) => q.authorization === 'Bearer wrong').length >= 3, { what: 'retries' });
    await loop.stop();
    await rejectedClient.close();
    const failing = rec.states.find((s) => s.phase === 'failing');
    assert.ok(failing && failing.phase === 'failing');
    assert.equal(failing.error.kind, 'auth');
  });
});
