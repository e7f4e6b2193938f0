// One simulated cluster's API server: a real HTTPS server on 127.0.0.1 that speaks the
// Kubernetes API (handler.ts) and can be made unreachable and reachable again on the same
// port while clients are connected.
//
// HTTP/2 with HTTP/1.1 beside it, chosen by ALPN, as kube-apiserver does: a client that offers h2
// (our product: one connection per context) multiplexes every list, watch and log over one
// connection; one that offers only http/1.1 (kubectl's port-forward upgrade, ws, old clients)
// gets HTTP/1.1. The handlers use the request/response API both protocols share.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { SimUser } from '../scenario/model.ts';
import type { ResourceRegistry } from './resources.ts';
import type { ObjectStore } from './objectStore.ts';
import type { FaultController } from './faults.ts';
import { handleRequest, handleUpgrade, type HandlerContext, type PodSubresources } from './handler.ts';

export interface SimApiServerOptions {
  /** Cluster name, used in messages. */
  name: string;
  tls: { certPem: string; keyPem: string };
  registry: ResourceRegistry;
  store: ObjectStore;
  users: SimUser[];
  faults: FaultController;
  /** Default 10 000; real apiservers send one about every minute. */
  bookmarkIntervalMs?: number;
  pods: PodSubresources;
}

export class SimApiServer {
  readonly #server: Http2SecureServer;
  readonly #sockets = new Set<Duplex>();
  readonly #ctx: HandlerContext;
  readonly #accepted = { tls: 0, h2: 0, upgrades: 0 };
  #port = 0;
  #listening = false;
  #reachable = true;
  #closed = false;

  constructor(o: SimApiServerOptions) {
    this.#ctx = {
      name: o.name,
      registry: o.registry,
      store: o.store,
      users: o.users,
      faults: o.faults,
      bookmarkIntervalMs: o.bookmarkIntervalMs ?? 10_000,
      pods: o.pods,
      serverAddress: () => `127.0.0.1:${this.#port}`,
    };
    this.#server = createSecureServer({ cert: o.tls.certPem, key: o.tls.keyPem, allowHTTP1: true });
    this.#server.on('connection', (socket: Socket) => this.#track(socket));
    this.#server.on('secureConnection', (socket: TLSSocket) => {
      this.#accepted.tls += 1;
      if (socket.alpnProtocol === 'h2') this.#accepted.h2 += 1;
      this.#track(socket);
    });
    // The compatibility API: an HTTP/2 request and response answer what the handlers use of
    // IncomingMessage and ServerResponse (headers, url, method, body events, writeHead, write).
    this.#server.on(
      'request',
      (req, res) => void handleRequest(this.#ctx, req as unknown as IncomingMessage, res as unknown as ServerResponse),
    );
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#accepted.upgrades += 1;
      void handleUpgrade(this.#ctx, req, socket, head);
    });
    // A client that hangs up mid-handshake must not take the process down.
    this.#server.on('tlsClientError', () => {});
    this.#server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    // A client resetting its HTTP/2 session is its own business, as a reset TCP socket is.
    this.#server.on('sessionError', () => {});
    o.faults.bind({
      compact: () => o.store.compact(),
      setCrdInstalled: (crd, installed) => o.registry.setInstalled(crd, installed),
      setReachable: (reachable) => this.setReachable(reachable),
    });
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    // Unreachable means nobody gets through, not even a connection accepted a moment ago.
    if (!this.#reachable) socket.destroy();
  }

  /**
   * TLS connections accepted since start, how many of them negotiated HTTP/2, and how many
   * HTTP/1.1 upgrades (port-forward WebSockets, each its own connection as with kube-apiserver).
   */
  get acceptedConnections(): { tls: number; h2: number; upgrades: number } {
    return { ...this.#accepted };
  }

  get url(): string {
    return `https://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Binds 127.0.0.1 (a free port by default) and resolves with the port. */
  async listen(port = 0): Promise<number> {
    await this.#bind(port);
    this.#port = (this.#server.address() as { port: number }).port;
    // A scenario may have made the cluster unreachable before it ever listened.
    if (!this.#reachable) await this.#unbind();
    return this.#port;
  }

  #bind(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', onError);
        this.#listening = true;
        // Closed (or made unreachable) while the port was being bound: a listening socket left
        // behind would keep the process alive after its last SIGTERM.
        if (this.#closed) void this.#unbind();
        resolve();
      });
    });
  }

  #unbind(): Promise<void> {
    if (!this.#listening) return Promise.resolve();
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    return closed;
  }

  /** false: close the port and drop every open connection; true: listen again on the same port. */
  async setReachable(reachable: boolean): Promise<void> {
    if (this.#closed) return;
    this.#reachable = reachable;
    if (!reachable) {
      await this.#unbind();
      return;
    }
    if (!this.#listening && this.#port !== 0) await this.#bind(this.#port);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ctx.faults.dispose();
    this.#ctx.faults.resetStreams();
    await this.#unbind();
  }
}
