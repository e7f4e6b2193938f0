// A stand-in for the kubelet's HTTPS API, just enough for `pods/log`: the real apiserver turns
// GET …/pods/<pod>/log into GET https://<node InternalIP>:<kubelet port>/containerLogs/<ns>/<pod>/<container>?…
// and streams the answer back. The filtering follows the kubelet's log reader: tailLines is
// applied first, then sinceTime/sinceSeconds (lines at or after it), timestamps prefixes each
// line with a fixed nine-digit RFC 3339 time, limitBytes cuts the output, follow keeps the
// response open for lines appended later.
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import { issueCertificate } from '../../../src/sim/pki.ts';

export interface LogLine {
  time: Date;
  text: string;
  stream?: 'stdout' | 'stderr';
}

export interface FakeKubelet {
  readonly port: number;
  /** Every request path+query the apiserver sent, in order: tests can assert what was forwarded. */
  readonly requests: string[];
  setLog(namespace: string, pod: string, container: string, lines: LogLine[]): void;
  /**
   * Makes the container's log answer an error, as the real kubelet does for e.g. a container that
   * has not started: status 400, message `container "app" in pod "p" is waiting to start: ContainerCreating`.
   * setLog() clears it.
   */
  setLogError(namespace: string, pod: string, container: string, status: number, message: string): void;
  /** Adds a line and sends it to every follower of that container. */
  appendLog(namespace: string, pod: string, container: string, line: LogLine): void;
  stop(): Promise<void>;
}

interface Follower {
  res: ServerResponse;
  timestamps: boolean;
  stream: string | null;
  bytesLeft: number;
}

const key = (ns: string, pod: string, container: string): string => `${ns}/${pod}/${container}`;

function formatTime(time: Date): string {
  // The kubelet prints nanoseconds with all nine digits; JavaScript dates stop at milliseconds.
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function render(line: LogLine, timestamps: boolean): string {
  return (timestamps ? `${formatTime(line.time)} ` : '') + line.text + '\n';
}

function wantedStream(line: LogLine, stream: string | null): boolean {
  if (stream === null || stream === 'All') return true;
  return (line.stream ?? 'stdout') === stream.toLowerCase();
}

/** `nodeName` goes into the certificate like a real kubelet serving certificate (CN system:node:<node>). */
export async function startFakeKubelet(nodeName: string): Promise<FakeKubelet> {
  const serving = issueCertificate({
    commonName: `system:node:${nodeName}`,
    organization: 'system:nodes',
    isCa: false,
    ipAddresses: ['127.0.0.1'],
    dnsNames: [nodeName, 'localhost'],
  });
  const logs = new Map<string, LogLine[]>();
  const followers = new Map<string, Set<Follower>>();
  const errors = new Map<string, { status: number; message: string }>();
  const requests: string[] = [];

  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    requests.push(url.pathname + url.search);
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const [, ns = '', pod = '', container = ''] = match.map(decodeURIComponent);
    const failure = errors.get(key(ns, pod, container));
    if (failure) {
      res.writeHead(failure.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(failure.message);
      return;
    }
    const q = url.searchParams;
    const timestamps = q.get('timestamps') === 'true';
    const stream = q.get('stream');
    let lines = logs.get(key(ns, pod, container)) ?? [];
    const tail = q.get('tailLines');
    if (tail !== null) lines = Number(tail) > 0 ? lines.slice(-Number(tail)) : [];
    const sinceTime = q.get('sinceTime');
    const sinceSeconds = q.get('sinceSeconds');
    const since = sinceTime ? new Date(sinceTime) : sinceSeconds ? new Date(Date.now() - Number(sinceSeconds) * 1000) : null;
    if (since) lines = lines.filter((l) => l.time.getTime() >= since.getTime());
    lines = lines.filter((l) => wantedStream(l, stream));

    let bytesLeft = q.has('limitBytes') ? Number(q.get('limitBytes')) : Number.POSITIVE_INFINITY;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const line of lines) {
      const text = render(line, timestamps);
      const chunk = Buffer.from(text).subarray(0, bytesLeft);
      res.write(chunk);
      bytesLeft -= chunk.length;
      if (bytesLeft <= 0) break;
    }
    if (q.get('follow') !== 'true' || bytesLeft <= 0) {
      res.end();
      return;
    }
    const follower: Follower = { res, timestamps, stream, bytesLeft };
    const set = followers.get(key(ns, pod, container)) ?? new Set<Follower>();
    followers.set(key(ns, pod, container), set);
    set.add(follower);
    res.on('close', () => set.delete(follower));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake kubelet has no port');

  return {
    port: address.port,
    requests,
    setLog(namespace, pod, container, lines) {
      errors.delete(key(namespace, pod, container));
      logs.set(key(namespace, pod, container), [...lines]);
    },
    setLogError(namespace, pod, container, status, message) {
      errors.set(key(namespace, pod, container), { status, message });
    },
    appendLog(namespace, pod, container, line) {
      const k = key(namespace, pod, container);
      logs.set(k, [...(logs.get(k) ?? []), line]);
      for (const follower of followers.get(k) ?? []) {
        if (!wantedStream(line, follower.stream)) continue;
        const chunk = Buffer.from(render(line, follower.timestamps)).subarray(0, follower.bytesLeft);
        follower.res.write(chunk);
        follower.bytesLeft -= chunk.length;
        if (follower.bytesLeft <= 0) follower.res.end();
      }
    },
    async stop() {
      for (const set of followers.values()) for (const follower of set) follower.res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
