// istiod's monitoring port (15014) debug endpoints for the simulated istiod pods, served by an
// in-process HTTP server that port-forward streams are plugged into (no TCP port is opened).
// Content comes from the scenario's IstiodDebugSource, computed per request from what the
// cluster holds now, and is written the way istiod's Go handlers write it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { duplexPair, type Duplex } from 'node:stream';
import type { JsonValue } from '../api/types.ts';
import type { ClusterView, IstiodDebugSource } from '../scenario/model.ts';

/** The port istiod serves /debug on (http-monitoring). */
export const ISTIOD_MONITORING_PORT = 15014;

/** Go's encoding/json escapes these even inside strings; istiod's output therefore does too. */
function goJson(value: JsonValue, pretty: boolean): string {
  const text = pretty ? JSON.stringify(value, null, 4) : JSON.stringify(value);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's net/http sends a Content-Length for a body written in one go, never chunked. */
function send(res: ServerResponse, code: number, headers: Record<string, string>, body: string): void {
  res.writeHead(code, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** http.ServeMux's NotFound handler. */
function notFound(res: ServerResponse): void {
  send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, '404 page not found\n');
}

function writeJson(res: ServerResponse, value: JsonValue, url: URL): void {
  send(res, 200, { 'Content-Type': 'application/json' }, goJson(value, url.searchParams.has('pretty')));
}

/** `?namespace=` keeps the connections whose proxy ID (`<pod>.<namespace>`) is in that namespace. */
function filterByNamespace(syncz: JsonValue, namespace: string | null): JsonValue {
  if (!namespace || !Array.isArray(syncz)) return syncz;
  return syncz.filter((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
    const proxy = entry.proxy;
    return typeof proxy === 'string' && proxy.slice(proxy.lastIndexOf('.') + 1) === namespace;
  });
}

export class IstiodDebugServer {
  private readonly source: IstiodDebugSource;
  private readonly view: ClusterView;
  private readonly server: Server;
  private readonly podOfSocket = new WeakMap<Duplex, string>();
  private readonly sockets = new Set<Duplex>();

  constructor(source: IstiodDebugSource, view: ClusterView) {
    this.source = source;
    this.view = view;
    this.server = createServer((req, res) => this.handle(req, res));
    // Go's server keeps idle connections without announcing a timeout (no Keep-Alive header).
    this.server.keepAliveTimeout = 0;
  }

  /** A new connection to port 15014 of istiod pod `pod`: the caller's end of the stream. */
  connect(pod: string): Duplex {
    const [callerSide, serverSide] = duplexPair();
    this.podOfSocket.set(serverSide, pod);
    this.sockets.add(serverSide);
    serverSide.on('close', () => this.sockets.delete(serverSide));
    serverSide.on('error', () => {});
    this.server.emit('connection', serverSide);
    return callerSide;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const pod = this.podOfSocket.get(req.socket) ?? '';
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      switch (url.pathname) {
        case '/debug/syncz':
          writeJson(res, filterByNamespace(this.source.syncz(this.view, pod), url.searchParams.get('namespace')), url);
          return;
        case '/debug/clusterz':
          writeJson(res, this.source.clusterz(this.view, pod), url);
          return;
        case '/debug/license': {
          const license = this.source.license(this.view, pod);
          if (license === undefined) notFound(res);
          else writeJson(res, license, url);
          return;
        }
        default:
          notFound(res);
      }
    } catch (err) {
      // A broken scenario source shows up as istiod's own 500 rather than killing the simulator.
      send(res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, err instanceof Error ? err.message : String(err));
    }
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
