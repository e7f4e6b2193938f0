// One connection pool per context. client-node 2 builds a new undici Agent — so a new TCP
// connection and TLS handshake — for every request that has any TLS setting, which is every real
// cluster (reference/client-node.md §2.3: 50 calls, 50 connections). A console polling and
// watching many contexts would pay a handshake per call and hold a socket per call until
// undici's keep-alive runs out. We keep one Agent per context instead and hand it to every
// request (API clients, raw fetches, client-node's Watch) through RequestContext.setDispatcher.
// Chosen over a custom `httpApi` alone because Watch/Log ignore httpApi and only honour the
// dispatcher; test/kube/connectionReuse.test.ts counts the connections.
//
// The Agent is keyed by the TLS material it was built with: an exec plugin that returns client
// certificates may rotate them, and the old pool is then closed (gracefully) and replaced.
//
// close() must leave nothing open, but undici's destroy() does not reach a connection that is
// still opening: against a server that accepts TCP and never answers TLS, the socket lives on
// until undici's 10 s connect timeout and holds the process open that long. So every socket
// the pools open goes through a connector of ours that remembers it, and close() destroys them.
import { createHash } from 'node:crypto';
import type https from 'node:https';
import { Socket } from 'node:net';
import { Agent, Pool, ProxyAgent, buildConnector, type Dispatcher } from 'undici';
import type { Cluster, KubeConfig } from '@kubernetes/client-node';

const H2_MAX_CONCURRENT_STREAMS = 100;

export interface ContextDispatcherOptions {
  /**
   * undici's 300 s body timeout would cut quiet watches and log follows; those detect idleness
   * themselves, and REST calls carry a per-request AbortSignal timeout. 0 disables it.
   */
  bodyTimeoutMs?: number;
  /** Keep idle connections this long between polls (undici's default is 4 s). */
  keepAliveTimeoutMs?: number;
}

export class ContextDispatcher {
  readonly #options: ContextDispatcherOptions;
  #current: { key: string; dispatcher: Dispatcher } | undefined;
  /** Replaced pools still finishing their requests, and the current one. */
  readonly #pools = new Set<Dispatcher>();
  readonly #sockets = new Set<Socket>();
  #closed = false;

  constructor(options: ContextDispatcherOptions = {}) {
    this.#options = options;
  }

  /**
   * The shared dispatcher for these TLS settings, or undefined for a SOCKS proxy (client-node's
   * SOCKS connector is not exported; such contexts keep its per-request dispatcher).
   * Throws client-node's own error for an http:// server without insecure-skip-tls-verify.
   */
  dispatcherFor(kubeConfig: KubeConfig, cluster: Cluster, tls: https.AgentOptions): Dispatcher | undefined {
    if (this.#closed) throw new DOMException('context client closed', 'AbortError');
    const plan = kubeConfig.createDispatcherOptions(cluster, tls);
    if (plan.type === 'socks') return undefined;
    const key = fingerprint(plan);
    if (this.#current?.key === key) return this.#current.dispatcher;

    const common = {
      bodyTimeout: this.#options.bodyTimeoutMs ?? 0,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs ?? 30_000,
    };
    const dispatcher =
      plan.type === 'proxy'
        ? new ProxyAgent({
            uri: plan.uri,
            requestTls: plan.requestTls,
            connect: plan.connect,
            ...common,
            // HTTP/1.1 through a proxy: undici's ProxyAgent does not negotiate h2 inside the tunnel.
            // The tunnel to the target runs over the proxy connection: tracking that one is enough.
            clientFactory: (origin: URL, opts: object) => new Pool(origin, { ...opts, connect: this.#tracked(connectorOf(opts)) }),
          })
        : new Agent({
            ...common,
            // One HTTP/2 connection carries every list, watch and log follow of the context, as
            // client-go does (ALPN offers h2 first; a server without it gets HTTP/1.1 and a pool).
            allowH2: true,
            // kube-apiserver allows 250 concurrent streams per connection (its
            // --http2-max-streams-per-connection 0 means Go's default); a context needs about 20.
            maxConcurrentStreams: H2_MAX_CONCURRENT_STREAMS,
            connect: this.#tracked(buildConnector({ ...(plan.type === 'agent' ? plan.connect : {}), allowH2: true })),
          });
    const previous = this.#current;
    this.#current = { key, dispatcher };
    this.#pools.add(dispatcher);
    // In-flight requests (a watch) finish on the old pool; nothing new is sent to it.
    if (previous) {
      previous.dispatcher.close().then(
        () => this.#pools.delete(previous.dispatcher),
        () => this.#pools.delete(previous.dispatcher),
      );
    }
    return dispatcher;
  }

  /** Drops every connection of this context, in-flight requests and connections still opening included. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#current = undefined;
    const pools = [...this.#pools];
    this.#pools.clear();
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }

  /** The same connector, remembering each socket from the moment it starts connecting until it closes. */
  #tracked(connect: buildConnector.connector): buildConnector.connector {
    const remember = (socket: unknown): void => {
      if (!(socket instanceof Socket) || this.#sockets.has(socket)) return;
      if (this.#closed) {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    };
    return (options, callback) => {
      // undici's connector returns the socket it is opening (its typings say void); the callback
      // hands it over once connected, which covers a connector that stops returning it.
      const connected: buildConnector.Callback = (...outcome) => {
        remember(outcome[1]);
        callback(...outcome);
      };
      const opening: unknown = Reflect.apply(connect, undefined, [options, connected]);
      remember(opening);
    };
  }
}

/** The connector ProxyAgent hands its proxy client, or undici's default one. */
function connectorOf(options: object): buildConnector.connector {
  const connect = (options as { connect?: unknown }).connect;
  return typeof connect === 'function' ? (connect as buildConnector.connector) : buildConnector({});
}

// A digest rather than the options themselves: they hold keys we should not keep twice.
function fingerprint(plan: object): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify(plan, (_key, value: unknown) => {
      if (Buffer.isBuffer(value)) return createHash('sha256').update(value).digest('hex');
      if (isSerializedBuffer(value)) return createHash('sha256').update(Buffer.from(value.data)).digest('hex');
      return value;
    }),
  );
  return hash.digest('hex');
}

// JSON.stringify calls Buffer#toJSON before the replacer sees the value.
function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}
