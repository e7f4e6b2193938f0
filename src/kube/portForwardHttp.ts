// One plain HTTP/1.1 GET to a port inside a pod, over the API server's pods/portforward
// WebSocket, the way `kubectl port-forward` + curl would do it — except nothing listens on a local
// port. The request arrives from localhost inside the pod, which istiod's debug auth allows.
//
// We drive client-node's PortForward (framing, port-number prefixes, data/error channels) but
// hand its WebSocketHandler our own socket factory, because on its own it is unfit for a
// console that polls: a refused upgrade surfaces only as "Unexpected server response: 403" (the
// Status saying who may not do what is thrown away), and nothing bounds or cancels the upgrade.
// With the socket in hand we read the refusal's Status, time out, cancel, and always terminate.
import { PassThrough, Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
// Not re-exported by the package index, but public (PortForward's own constructor takes one).
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import WebSocket from 'ws';
import { classifyError, type ClassifiedError } from './errors.ts';

export interface PodHttpGet {
  namespace: string;
  pod: string;
  port: number;
  /** Path and query, e.g. `/debug/syncz`. */
  path: string;
  headers?: Record<string, string>;
  /** Whole exchange, from upgrade to last body byte. Default 10 s. */
  timeoutMs?: number;
  /** Larger bodies are refused, not truncated. Default 32 MiB (syncz of a 20,000-proxy mesh). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface PodHttpResponse {
  statusCode: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export type PodHttpResult = { ok: true; response: PodHttpResponse } | { ok: false; error: ClassifiedError };

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** A refusal's Status is small; anything past this is not worth reading. */
const MAX_REFUSAL_BYTES = 64 * 1024;

/** GET over a port-forward. Never throws: every failure comes back classified. */
export async function portForwardHttpGet(kubeConfig: KubeConfig, request: PodHttpGet): Promise<PodHttpResult> {
  const context = kubeConfig.getCurrentContext();
  const target = `${request.namespace}/${request.pod}:${request.port}`;
  const action = `GET ${request.path} on pod ${target} (port-forward)`;
  const apiPath = `/api/v1/namespaces/${request.namespace}/pods/${request.pod}/portforward`;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const reader = new HttpResponseReader(request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);

  let socket: WebSocket | undefined;
  let refusal: Promise<{ statusCode: number; body: string }> | undefined;
  let errorText = '';
  let settle: (result: PodHttpResult) => void = () => {};
  const settled = new Promise<PodHttpResult>((resolve) => (settle = resolve));
  let done = false;
  const finish = (result: PodHttpResult): void => {
    if (done) return;
    done = true;
    settle(result);
  };
  const fail = (error: ClassifiedError): void => finish({ ok: false, error });

  const handler = new WebSocketHandler(kubeConfig, (uri, protocols, opts) => {
    // Credentials (an exec plugin) can take longer than our deadline: never open a socket late.
    if (done) throw new Error('port-forward no longer wanted');
    const ws = new WebSocket(uri, protocols, { ...opts, perMessageDeflate: false });
    // With a listener here ws does not abort by itself: read the Status, then terminate.
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      refusal = readRefusal(res);
      void refusal.then(() => ws.terminate());
    });
    ws.on('close', () => void onClose());
    socket = ws;
    return ws;
  });

  const onClose = async (): Promise<void> => {
    if (done) return;
    if (refusal) {
      const { statusCode, body } = await refusal;
      fail(classifyError({ statusCode, body }, { context, action: `port-forward to pod ${target}`, path: apiPath }));
      return;
    }
    if (errorText !== '') return fail(errorChannelFailure(context, target, errorText));
    const response = reader.finishAtClose();
    if (response.kind === 'complete') return finish({ ok: true, response: response.response });
    fail(badResponse(context, action, response.kind === 'error' ? response.message : 'connection closed before the response was complete'));
  };

  const output = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      if (!done) {
        const state = reader.push(chunk);
        if (state.kind === 'complete') finish({ ok: true, response: state.response });
        else if (state.kind === 'error') fail(badResponse(context, action, state.message));
      }
      callback();
    },
  });
  const errors = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      // The kubelet writes the whole reason in one frame and then closes the stream.
      errorText += chunk.toString('utf8');
      if (errorText.trim() !== '') fail(errorChannelFailure(context, target, errorText));
      callback();
    },
  });
  const input = new PassThrough();
  input.write(requestText(request));

  const timer = setTimeout(
    () => fail({ kind: 'timeout', message: `${context}: ${action} timed out after ${timeoutMs / 1000}s`, retryable: true }),
    timeoutMs,
  );
  const onAbort = (): void => fail({ kind: 'aborted', message: `${context}: ${action} was cancelled`, retryable: false });
  request.signal?.addEventListener('abort', onAbort, { once: true });
  if (request.signal?.aborted) onAbort();

  if (!done) {
    const forward = new PortForward(kubeConfig, true, handler);
    forward.portForward(request.namespace, request.pod, [request.port], output, errors, input).catch(async (error: unknown) => {
      // A refused upgrade rejects here too; its Status (read in onClose) says more than the ws error.
      if (refusal) return onClose();
      fail(
        classifyError(error, {
          context,
          server: kubeConfig.getCurrentCluster()?.server ?? 'the API server',
          action: `port-forward to pod ${target}`,
          path: apiPath,
        }),
      );
    });
  }

  const result = await settled;
  clearTimeout(timer);
  request.signal?.removeEventListener('abort', onAbort);
  input.destroy();
  await closeSocket(socket);
  return result;
}

/** A non-2xx answer from the program inside the pod, described for a fact's reason. */
export function describePodHttpStatus(response: PodHttpResponse): string {
  const firstLine = response.body.toString('utf8', 0, Math.min(response.body.length, 200)).split('\n')[0]?.trim() ?? '';
  return `HTTP ${response.statusCode}${response.statusText ? ` ${response.statusText}` : ''}${firstLine ? `: ${firstLine}` : ''}`;
}

function requestText(request: PodHttpGet): string {
  const headers: Record<string, string> = {
    Host: `localhost:${request.port}`,
    'User-Agent': 'mesh-tui',
    Accept: 'application/json',
    ...request.headers,
    // One request per forwarded connection; the server closing it also ends an unsized body.
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `GET ${request.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

function readRefusal(res: IncomingMessage): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
    res.on('data', (chunk: Buffer) => {
      if (size >= MAX_REFUSAL_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}

/** The kubelet's error channel: the pod's port could not be reached (e.g. connection refused). */
function errorChannelFailure(context: string, target: string, text: string): ClassifiedError {
  const refused = /connection refused/i.test(text);
  return {
    kind: 'unreachable',
    message: `${context}: port-forward to pod ${target} failed: ${text.trim().replace(/\s+/g, ' ')}`,
    ...(refused && { code: 'ECONNREFUSED' }),
    retryable: true,
  };
}

function badResponse(context: string, action: string, message: string): ClassifiedError {
  return { kind: 'unknown', message: `${context}: ${action}: ${message}`, retryable: true };
}

async function closeSocket(socket: WebSocket | undefined): Promise<void> {
  if (!socket || socket.readyState === WebSocket.CLOSED) return;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.terminate();
  await closed;
}

// ---------------------------------------------------------------- reading the HTTP response
// Part of this file's job (a GET needs its answer read), kept to what servers inside a pod send:
// a status line, headers, then a body sized by Content-Length, chunked, or ended by close.

type ReadState = { kind: 'partial' } | { kind: 'complete'; response: PodHttpResponse } | { kind: 'error'; message: string };

const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

interface ResponseHead {
  statusCode: number;
  statusText: string;
  headers: Record<string, string>;
}

export class HttpResponseReader {
  readonly #maxBodyBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  #head: ResponseHead | undefined;
  #bodyStart = 0;
  #failed: string | undefined;

  constructor(maxBodyBytes: number) {
    this.#maxBodyBytes = maxBodyBytes;
  }

  push(chunk: Buffer): ReadState {
    if (this.#failed !== undefined) return { kind: 'error', message: this.#failed };
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    return this.#read(false);
  }

  /** The connection closed: a body without length ends here; anything else is cut short. */
  finishAtClose(): ReadState {
    if (this.#failed !== undefined) return { kind: 'error', message: this.#failed };
    const state = this.#read(true);
    return state.kind === 'partial' ? { kind: 'error', message: this.#cutShort() } : state;
  }

  #read(closed: boolean): ReadState {
    if (!this.#head) {
      const end = this.#buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.#buffer.length > MAX_HEAD_BYTES) return this.#fail(`response headers longer than ${MAX_HEAD_BYTES} bytes`);
        return { kind: 'partial' };
      }
      const head = parseHead(this.#buffer.toString('latin1', 0, end));
      if (typeof head === 'string') return this.#fail(head);
      this.#head = head;
      this.#bodyStart = end + HEAD_END.length;
    }
    const head = this.#head;
    const body = this.#buffer.subarray(this.#bodyStart);
    const transferEncoding = head.headers['transfer-encoding']?.toLowerCase() ?? '';
    if (
      transferEncoding
        .split(',')
        .map((part) => part.trim())
        .includes('chunked')
    ) {
      const decoded = decodeChunked(body, this.#maxBodyBytes);
      if (decoded.kind === 'error') return this.#fail(decoded.message);
      return decoded.kind === 'complete' ? this.#complete(decoded.body) : { kind: 'partial' };
    }
    const lengthHeader = head.headers['content-length'];
    if (lengthHeader !== undefined) {
      if (!/^\d+$/.test(lengthHeader.trim())) return this.#fail(`invalid Content-Length ${JSON.stringify(lengthHeader)}`);
      const length = Number(lengthHeader.trim());
      if (length > this.#maxBodyBytes)
        return this.#fail(`response body of ${length} bytes is larger than the ${this.#maxBodyBytes}-byte limit`);
      return body.length >= length ? this.#complete(body.subarray(0, length)) : { kind: 'partial' };
    }
    // No length and not chunked: 1xx/204/304 have no body; otherwise the body runs to the close.
    if (head.statusCode === 204 || head.statusCode === 304 || head.statusCode < 200) return this.#complete(Buffer.alloc(0));
    if (body.length > this.#maxBodyBytes) return this.#fail(`response body is larger than the ${this.#maxBodyBytes}-byte limit`);
    return closed ? this.#complete(body) : { kind: 'partial' };
  }

  #complete(body: Buffer): ReadState {
    const head = this.#head as ResponseHead;
    return { kind: 'complete', response: { ...head, body: Buffer.from(body) } };
  }

  #fail(message: string): ReadState {
    this.#failed = message;
    return { kind: 'error', message };
  }

  #cutShort(): string {
    if (!this.#head) {
      return this.#buffer.length === 0 ? 'connection closed without a response' : 'connection closed in the middle of the response headers';
    }
    return `connection closed before the response body was complete (${this.#buffer.length - this.#bodyStart} bytes read)`;
  }
}

function parseHead(text: string): ResponseHead | string {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) return `not an HTTP response (starts with ${JSON.stringify(statusLine.slice(0, 40))})`;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `malformed response header ${JSON.stringify(line.slice(0, 40))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusCode: Number(match[1]), statusText: match[2] ?? '', headers };
}

/** Decodes what has arrived of a chunked body; `partial` until the last (zero) chunk and its trailers. */
function decodeChunked(
  data: Buffer,
  maxBodyBytes: number,
): { kind: 'partial' } | { kind: 'complete'; body: Buffer } | { kind: 'error'; message: string } {
  const parts: Buffer[] = [];
  let size = 0;
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset, 'latin1');
    if (lineEnd < 0) return data.length - offset > 1024 ? { kind: 'error', message: 'malformed chunk size line' } : { kind: 'partial' };
    const sizeText = data.toString('latin1', offset, lineEnd).split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText))
      return { kind: 'error', message: `malformed chunk size ${JSON.stringify(sizeText.slice(0, 20))}` };
    const chunkSize = parseInt(sizeText, 16);
    const chunkStart = lineEnd + 2;
    if (chunkSize === 0) {
      // Trailers (usually none) end with an empty line.
      const trailersEnd = data.indexOf('\r\n', chunkStart, 'latin1') === chunkStart ? chunkStart : data.indexOf(HEAD_END, chunkStart);
      return trailersEnd < 0 ? { kind: 'partial' } : { kind: 'complete', body: Buffer.concat(parts) };
    }
    size += chunkSize;
    if (size > maxBodyBytes) return { kind: 'error', message: `response body is larger than the ${maxBodyBytes}-byte limit` };
    if (data.length < chunkStart + chunkSize + 2) return { kind: 'partial' };
    parts.push(data.subarray(chunkStart, chunkStart + chunkSize));
    offset = chunkStart + chunkSize + 2;
  }
}
