// Everything that talks to one kubeconfig context: generated API clients, raw fetches (for watch
// loops, log follows and debug endpoints that need a streaming body), the exec credential and
// the connection pool — all bound to that context alone and cancelled together by close().
import {
  ApiException,
  RequestContext,
  ServerConfiguration,
  createConfiguration,
  type Configuration,
  type HttpMethod,
} from '@kubernetes/client-node';
import { fetch, type Response } from 'undici';
import { readFileSync } from 'node:fs';
import type { LoadedKubeconfig, ResolvedContext } from './kubeconfig.ts';
import { ContextDispatcher } from './contextDispatcher.ts';
import { ContextKubeConfig } from './contextKubeConfig.ts';
import { contextHttpLibrary } from './contextHttpLibrary.ts';
import { ExecCredentialProvider, type ExecClusterInfo } from './execCredential.ts';

export interface ContextClientOptions {
  /** Timeout of a call that sets none itself. Default 30 s. */
  requestTimeoutMs?: number;
  /** Exec credential plugin timeout. Default 20 s. */
  execTimeoutMs?: number;
  /** Epoch ms after which no exec plugin runs (a one-shot command's deadline); caps execTimeoutMs. */
  execDeadline?: number;
  /** Refresh exec credentials this long before they expire. Default 30 s. */
  execExpirySkewMs?: number;
  userAgent?: string;
}

export interface RawRequestInit {
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  /** The caller's own cancel, combined with the context's. */
  signal?: AbortSignal;
  /**
   * Whole-request timeout (default: the context's request timeout). With `stream: true` it only
   * covers the wait for response headers, so a watch or log follow can stay open.
   */
  timeoutMs?: number;
  stream?: boolean;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class ContextClient {
  readonly name: string;
  readonly server: string;
  readonly namespace: string | undefined;
  /** Where this context, its cluster and its user were defined. */
  readonly source: Pick<ResolvedContext, 'file' | 'clusterFile' | 'userFile'>;
  /** For client-node classes that take a KubeConfig (Watch, Log, PortForward, Exec). */
  readonly kubeConfig: ContextKubeConfig;
  readonly #controller = new AbortController();
  readonly #dispatchers: ContextDispatcher;
  readonly #exec: ExecCredentialProvider | undefined;
  readonly #configuration: Configuration;
  readonly #requestTimeoutMs: number;
  readonly #userAgent: string;

  constructor(resolved: ResolvedContext, options: ContextClientOptions = {}) {
    this.name = resolved.name;
    this.server = resolved.cluster.server;
    this.namespace = resolved.namespace;
    this.source = { file: resolved.file, clusterFile: resolved.clusterFile, userFile: resolved.userFile };
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#dispatchers = new ContextDispatcher();
    this.#exec = resolved.exec
      ? new ExecCredentialProvider({
          context: resolved.name,
          exec: resolved.exec,
          cluster: execClusterInfo(resolved),
          signal: this.#controller.signal,
          ...(options.execTimeoutMs !== undefined && { timeoutMs: options.execTimeoutMs }),
          ...(options.execDeadline !== undefined && { deadline: options.execDeadline }),
          ...(options.execExpirySkewMs !== undefined && { expirySkewMs: options.execExpirySkewMs }),
        })
      : undefined;
    this.kubeConfig = new ContextKubeConfig(resolved, this.#dispatchers, this.#exec);
    const userAgent = options.userAgent ?? 'mesh-tui';
    this.#userAgent = userAgent;
    this.#configuration = createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: this.kubeConfig },
      httpApi: contextHttpLibrary({
        signal: this.#controller.signal,
        defaultTimeoutMs: this.#requestTimeoutMs,
        onUnauthorized: (authorization) => this.credentialsRejected(authorization),
      }),
      promiseMiddleware: [
        {
          pre: (context) => {
            context.setHeaderParam('User-Agent', userAgent);
            return Promise.resolve(context);
          },
          post: (response) => Promise.resolve(response),
        },
      ],
    });
  }

  /** Aborted when the context is dropped; long-running work for this context should follow it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  /** A generated API client (CoreV1Api, CustomObjectsApi…) bound to this context only. */
  makeApi<T>(apiClass: new (configuration: Configuration) => T): T {
    return new apiClass(this.#configuration);
  }

  /**
   * A raw request to `server + path` with this context's credentials and connection pool.
   * Resolves on response headers whatever the status (the caller reads the body, streamed or not);
   * rejects on network, TLS, timeout, abort and exec plugin errors.
   */
  async fetch(path: string, init: RawRequestInit = {}): Promise<Response> {
    const url = joinServerPath(this.server, path);
    const method = init.method ?? 'GET';
    const context = new RequestContext(url, method);
    const timeoutMs = init.timeoutMs ?? this.#requestTimeoutMs;
    const headersTimer = new AbortController();
    const timeout = init.stream ? headersTimer.signal : AbortSignal.timeout(timeoutMs);
    const timer = init.stream
      ? setTimeout(() => headersTimer.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs)
      : undefined;
    try {
      // A caller that gives up (a watch being stopped) must not wait for a slow exec plugin; the
      // plugin run itself is shared with other requests and ends with its timeout or close().
      const cancelled = AbortSignal.any([this.signal, ...(init.signal ? [init.signal] : [])]);
      cancelled.throwIfAborted();
      await untilAborted(this.kubeConfig.applySecurityAuthentication(context), cancelled);
      const headers: Record<string, string> = { 'User-Agent': this.#userAgent, ...context.getHeaders(), ...init.headers };
      const signals = [this.signal, timeout, ...(init.signal ? [init.signal] : [])];
      const dispatcher = context.getDispatcher();
      const response = await fetch(url, {
        method,
        headers,
        signal: AbortSignal.any(signals),
        ...(init.body !== undefined && { body: init.body }),
        ...(dispatcher !== undefined && { dispatcher }),
      });
      if (response.status === 401) this.credentialsRejected(headers.Authorization);
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET a JSON document; a non-2xx answer throws an ApiException whose body is the Status JSON text. */
  async getJson<T>(path: string, init: Omit<RawRequestInit, 'stream' | 'method' | 'body'> = {}): Promise<T> {
    const response = await this.fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
    const text = await response.text();
    if (response.status < 200 || response.status > 299) {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      throw new ApiException<string>(
        response.status,
        `HTTP-Code: ${response.status}\nMessage: ${response.statusText}\nBody: ${text}`,
        text,
        headers,
      );
    }
    return JSON.parse(text) as T;
  }

  /**
   * The server rejected our credentials (401): drop a cached exec credential so the next request
   * runs the plugin again. Watch loops that see a 401 through client-node's Watch call this too.
   */
  credentialsRejected(authorization?: string): void {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
    this.#exec?.invalidate(token);
  }

  /** Cancels every request, stream and running exec plugin of this context, and drops its connections. */
  async close(): Promise<void> {
    if (!this.#controller.signal.aborted) this.#controller.abort(new DOMException(`context ${this.name} closed`, 'AbortError'));
    await this.#dispatchers.close();
  }
}

/** One client per selected context. Contexts that failed to resolve are left to the caller to show. */
export function createContextClients(loaded: LoadedKubeconfig, options: ContextClientOptions = {}): Map<string, ContextClient> {
  return new Map(loaded.contexts.map((resolved) => [resolved.name, new ContextClient(resolved, options)]));
}

/** `work`, or the signal's reason as soon as it aborts (work goes on unobserved). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const { promise: aborted, reject } = Promise.withResolvers<never>();
  const onAbort = (): void => reject(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

// A server URL may carry a path prefix (Rancher: https://host/k8s/clusters/c-1).
function joinServerPath(server: string, path: string): string {
  return server.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

function execClusterInfo(resolved: ResolvedContext): ExecClusterInfo | undefined {
  if (!resolved.exec?.provideClusterInfo) return undefined;
  const { cluster } = resolved;
  let caData = cluster.caData;
  if (caData === undefined && cluster.caFile !== undefined) {
    try {
      caData = readFileSync(cluster.caFile).toString('base64');
    } catch {
      caData = undefined; // the request itself will report the unreadable file
    }
  }
  return {
    server: cluster.server,
    ...(caData !== undefined && { 'certificate-authority-data': caData }),
    ...(cluster.tlsServerName !== undefined && { 'tls-server-name': cluster.tlsServerName }),
    ...(cluster.skipTLSVerify && { 'insecure-skip-tls-verify': true }),
    ...(cluster.proxyUrl !== undefined && { 'proxy-url': cluster.proxyUrl }),
  };
}
