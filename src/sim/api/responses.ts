// Writing responses the way kube-apiserver writes them: its per-response headers, Go's
// json.Encoder output, YAML when negotiated, and metav1.Status bodies for errors.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { dump as dumpYaml } from 'js-yaml';
import type { StatusObject } from './types.ts';
import { ApiError, internalError } from './status.ts';

export type Format = 'json' | 'yaml';
export type ResponseHeaders = Record<string, string>;

/** The headers every real apiserver response carries (values are per-server constants here). */
export function commonHeaders(): ResponseHeaders {
  return {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'X-Kubernetes-Pf-Flowschema-Uid': '6c5ba2a0-0d39-4e04-9c2b-8f1f5e0f0a01',
    'X-Kubernetes-Pf-Prioritylevel-Uid': '0d5d3c1e-6a4c-4ab5-9a1f-2f4e5d6c7b02',
  };
}

/** Go's json.Encoder: compact JSON and a trailing newline. */
export function writeJson(res: ServerResponse, code: number, body: unknown, headers: ResponseHeaders): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(code, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function writeBody(res: ServerResponse, code: number, body: unknown, headers: ResponseHeaders, format: Format): void {
  if (format === 'yaml') {
    const text = dumpYaml(body);
    res.writeHead(code, { ...headers, 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  writeJson(res, code, body, headers);
}

/** Go's http.NotFound, as the real server answers paths nothing serves (see PageNotFound). */
export function writePageNotFound(res: ServerResponse, headers: ResponseHeaders): void {
  const text = '404 page not found\n';
  res.writeHead(404, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function writeStatus(res: ServerResponse, status: StatusObject, headers: ResponseHeaders): void {
  const extra: ResponseHeaders = {};
  if (status.details?.retryAfterSeconds !== undefined) extra['Retry-After'] = String(status.details.retryAfterSeconds);
  writeJson(res, status.code, status, { ...headers, ...extra });
}

/** What a thrown value answers: its own Status, or a 500 for anything that is not an ApiError. */
export function statusOf(err: unknown): StatusObject {
  if (err instanceof ApiError) return err.status;
  return internalError(err instanceof Error ? err.message : String(err)).status;
}

const REASON_PHRASES: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' };

/** A refused upgrade: no HTTP response object exists yet, so the Status goes out on the raw socket. */
export function rejectUpgrade(socket: Duplex, status: StatusObject): void {
  const text = JSON.stringify(status) + '\n';
  const lines = [
    `HTTP/1.1 ${status.code} ${REASON_PHRASES[status.code] ?? 'Bad Request'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `Audit-Id: ${randomUUID()}`,
    'Cache-Control: no-cache, private',
    ...(status.details?.retryAfterSeconds !== undefined ? [`Retry-After: ${status.details.retryAfterSeconds}`] : []),
    'Connection: close',
  ];
  socket.end(lines.join('\r\n') + '\r\n\r\n' + text);
}
