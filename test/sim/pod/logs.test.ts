// Pod logs as a client sees them: the kubelet's query options, its errors, follow streams.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage, type ClientRequest } from 'node:http';
import { PassThrough } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { PodLogScript } from '../../../src/sim/scenario/model.ts';
import { ManualClock } from './manualClock.ts';
import { pod, startHarness, type Harness } from './podHarness.ts';

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

function fetchText(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    }).on('error', reject);
  });
}

/** An open follow stream: collects text and resolves waits once the text contains what is expected. */
class FollowStream {
  text = '';
  ended = false;
  readonly response: Promise<IncomingMessage>;
  readonly request: ClientRequest;
  private waiters: (() => void)[] = [];

  constructor(url: string) {
    let resolveResponse: (res: IncomingMessage) => void = () => {};
    this.response = new Promise((resolve) => (resolveResponse = resolve));
    this.request = get(url, (res) => {
      resolveResponse(res);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.text += chunk;
        this.wake();
      });
      res.on('end', () => {
        this.ended = true;
        this.wake();
      });
      res.on('error', () => {});
    });
    this.request.on('error', () => {});
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  until(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (done()) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }
}

const clock = new ManualClock();
const start = clock.now();

const scripts: PodLogScript[] = [
  {
    namespace: 'istio-system',
    pod: 'ztunnel-abc12',
    container: 'istio-proxy',
    history: [
      { ageSeconds: 120, text: 'first line' },
      { ageSeconds: 60, text: 'second line' },
      { ageSeconds: 10, text: 'third line' },
    ],
    live: [{ everySeconds: 5, text: '{{timestamp}}\terror\taccess\tconnection complete' }],
    previous: ['old instance started', 'old instance crashed'],
  },
  {
    namespace: 'istio-system',
    pod: 'istiod-7c9f-xyz12',
    container: 'discovery',
    history: [{ ageSeconds: 30, text: 'istiod ready' }],
    live: [],
  },
];

const ztunnel = pod('istio-system', 'ztunnel-abc12', ['istio-proxy']);
const istiod = pod('istio-system', 'istiod-7c9f-xyz12', ['discovery', 'istio-proxy'], {}, { app: 'istiod' });
const silent = pod('default', 'silent', ['app']);
const waiting = pod('default', 'pulling', ['app'], {
  status: { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] },
});
const unscheduled = pod('default', 'unscheduled', ['app'], { spec: { containers: [{ name: 'app' }] }, status: { phase: 'Pending' } });

describe('pod logs', () => {
  let h: Harness;
  const logUrl = (ns: string, name: string, query = ''): string =>
    `${h.url}/api/v1/namespaces/${ns}/pods/${name}/log${query ? `?${query}` : ''}`;

  before(async () => {
    h = await startHarness([ztunnel, istiod, silent, waiting, unscheduled], { scripts, clock });
  });
  after(() => h.close());

  it('serves the history as text/plain, oldest first', async () => {
    const reply = await fetchText(logUrl('istio-system', 'ztunnel-abc12'));
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, 'text/plain');
    assert.equal(reply.body, 'first line\nsecond line\nthird line\n');
  });

  it('tailLines keeps the last lines; tailLines=0 none', async () => {
    assert.equal((await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'tailLines=2'))).body, 'second line\nthird line\n');
    assert.equal((await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'tailLines=0'))).body, '');
  });

  it('sinceSeconds and sinceTime drop older lines', async () => {
    assert.equal((await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'sinceSeconds=30'))).body, 'third line\n');
    const since = new Date(start - 90_000).toISOString().replace('.000Z', 'Z');
    assert.equal((await fetchText(logUrl('istio-system', 'ztunnel-abc12', `sinceTime=${since}`))).body, 'second line\nthird line\n');
  });

  it('timestamps prefixes each line with the RFC3339Nano time the kubelet recorded', async () => {
    const reply = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'timestamps=true&tailLines=1'));
    const expected = new Date(start - 10_000).toISOString().replace('.000Z', '.000000000Z');
    assert.equal(reply.body, `${expected} third line\n`);
  });

  it('limitBytes cuts the output, even mid-line', async () => {
    assert.equal((await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'limitBytes=15'))).body, 'first line\nseco');
  });

  it('previous serves the terminated instance, and 400s where there was none', async () => {
    assert.equal(
      (await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'previous=true'))).body,
      'old instance started\nold instance crashed\n',
    );
    const reply = await fetchText(logUrl('istio-system', 'istiod-7c9f-xyz12', 'container=discovery&previous=true'));
    assert.equal(reply.status, 400);
    assert.equal(reply.contentType, 'application/json');
    assert.deepEqual(JSON.parse(reply.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'previous terminated container "discovery" in pod "istiod-7c9f-xyz12" not found',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('a pod with several containers needs a container name; an unknown one is refused', async () => {
    const missing = await fetchText(logUrl('istio-system', 'istiod-7c9f-xyz12'));
    assert.equal(missing.status, 400);
    assert.equal(
      (JSON.parse(missing.body) as { message: string }).message,
      'a container name must be specified for pod istiod-7c9f-xyz12, choose one of: [discovery istio-proxy]',
    );
    const unknown = await fetchText(logUrl('istio-system', 'istiod-7c9f-xyz12', 'container=nope'));
    assert.equal(unknown.status, 400);
    assert.equal((JSON.parse(unknown.body) as { message: string }).message, 'container nope is not valid for pod istiod-7c9f-xyz12');
    assert.equal((await fetchText(logUrl('istio-system', 'istiod-7c9f-xyz12', 'container=discovery'))).body, 'istiod ready\n');
  });

  it('invalid options get the apiserver’s 422 and malformed ones its 400', async () => {
    const negative = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'tailLines=-1'));
    assert.equal(negative.status, 422);
    const status = JSON.parse(negative.body) as { reason: string; message: string; details: { kind: string; causes: { field: string }[] } };
    assert.equal(status.reason, 'Invalid');
    assert.equal(
      status.message,
      'PodLogOptions "ztunnel-abc12" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.equal(status.details.kind, 'PodLogOptions');
    assert.equal(status.details.causes[0]?.field, 'tailLines');
    const both = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'sinceSeconds=5&sinceTime=2026-01-10T12:00:00Z'));
    assert.equal(both.status, 422);
    assert.match((JSON.parse(both.body) as { message: string }).message, /at most one of `sinceTime` or `sinceSeconds` may be specified/);
    const malformed = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'tailLines=ten'));
    assert.equal(malformed.status, 400);
    assert.equal((JSON.parse(malformed.body) as { message: string }).message, 'strconv.ParseInt: parsing "ten": invalid syntax');
    const badTime = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'sinceTime=2026-01-10'));
    assert.equal(badTime.status, 400);
    assert.equal(
      (JSON.parse(badTime.body) as { message: string }).message,
      'parsing time "2026-01-10" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
  });

  it('a waiting container is refused as the kubelet refuses it; an unscheduled pod answers 204 No Content', async () => {
    const reply = await fetchText(logUrl('default', 'pulling'));
    assert.equal(reply.status, 400);
    assert.equal(
      (JSON.parse(reply.body) as { message: string }).message,
      'container "app" in pod "pulling" is waiting to start: ContainerCreating',
    );
    const empty = await fetchText(logUrl('default', 'unscheduled'));
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
  });

  it('a pod with no script has an empty log', async () => {
    const reply = await fetchText(logUrl('default', 'silent'));
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '');
  });

  it('follow streams the history, then live lines as they are written', async () => {
    const stream = new FollowStream(logUrl('istio-system', 'ztunnel-abc12', 'follow=true&tailLines=1'));
    assert.equal((await stream.response).statusCode, 200);
    await stream.until(() => stream.text === 'third line\n');
    clock.advance(5_000);
    await stream.until(() => stream.text.split('\n').length === 3);
    const live = stream.text.split('\n')[1] ?? '';
    // The placeholder became the line's own time, as ztunnel prints it.
    assert.match(live, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\terror\taccess\tconnection complete$/);
    assert.equal(stream.ended, false);
    stream.request.destroy();
  });

  it('survives a follower that disconnects mid-stream', async () => {
    const stream = new FollowStream(logUrl('istio-system', 'ztunnel-abc12', 'follow=true&tailLines=0'));
    await stream.response;
    clock.advance(5_000);
    await stream.until(() => stream.text.length > 0);
    stream.request.destroy();
    // Lines keep coming for a client that is gone; nothing may throw, and the server keeps serving.
    for (let i = 0; i < 20; i++) clock.advance(5_000);
    const reply = await fetchText(logUrl('istio-system', 'ztunnel-abc12', 'tailLines=1'));
    assert.equal(reply.status, 200);
    assert.match(reply.body, /connection complete\n$/);
  });

  it('a follow of a pod with no script stays open and sends nothing until the simulator closes', async () => {
    const own = await startHarness([silent, ztunnel], { scripts, clock: new ManualClock() });
    const quiet = new FollowStream(`${own.url}/api/v1/namespaces/default/pods/silent/log?follow=true`);
    const chatty = new FollowStream(`${own.url}/api/v1/namespaces/istio-system/pods/ztunnel-abc12/log?follow=true`);
    assert.equal((await quiet.response).statusCode, 200);
    await chatty.until(() => chatty.text.includes('third line'));
    assert.equal(quiet.ended, false);
    await own.close();
    await quiet.until(() => quiet.ended);
    await chatty.until(() => chatty.ended);
    assert.equal(quiet.text, '');
  });

  it('a follow ends when the container is replaced (restart), and the new instance’s lines are served', async () => {
    const own = await startHarness([silent], { clock: new ManualClock() });
    own.services.addScript({
      namespace: 'default',
      pod: 'silent',
      container: 'app',
      history: [{ ageSeconds: 5, text: 'first run' }],
      live: [],
    });
    const stream = new FollowStream(`${own.url}/api/v1/namespaces/default/pods/silent/log?follow=true`);
    await stream.until(() => stream.text === 'first run\n');
    own.services.addScript({
      namespace: 'default',
      pod: 'silent',
      container: 'app',
      history: [{ ageSeconds: 1, text: 'second run' }],
      live: [],
      previous: ['first run'],
    });
    await stream.until(() => stream.ended);
    assert.equal((await fetchText(`${own.url}/api/v1/namespaces/default/pods/silent/log`)).body, 'second run\n');
    assert.equal((await fetchText(`${own.url}/api/v1/namespaces/default/pods/silent/log?previous=true`)).body, 'first run\n');
    await own.close();
  });

  it('client-node’s Log reads it with tailLines and timestamps', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise((resolve) => out.on('end', resolve));
    await new Log(h.kubeConfig).log('istio-system', 'istiod-7c9f-xyz12', 'discovery', out, { tailLines: 5, timestamps: true });
    await ended;
    assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z istiod ready\n$/);
  });
});
