// Responses written the way the apiserver writes them for pod subresources: a metav1.Status
// as Go's json.Encoder prints it, and the headers its filters put on every response.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { StatusObject } from '../api/types.ts';

/**
 * The audit and cache headers every apiserver response carries. Log requests are long-running,
 * so the priority-and-fairness filter adds none of its X-Kubernetes-Pf-* headers to them.
 */
export function setApiserverHeaders(res: ServerResponse): void {
  if (!res.hasHeader('Audit-Id')) res.setHeader('Audit-Id', randomUUID());
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-cache, private');
}

export function writeStatus(res: ServerResponse, status: StatusObject): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(status) + '\n';
  setApiserverHeaders(res);
  res.writeHead(status.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The same Status on a raw socket, for an upgrade the apiserver refuses before any WebSocket exists. */
export function statusHttpResponse(status: StatusObject): string {
  return rawHttpResponse(status.code, 'application/json', JSON.stringify(status) + '\n', [
    `Audit-Id: ${randomUUID()}`,
    'Cache-Control: no-cache, private',
  ]);
}

const REASON_PHRASES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** A bare HTTP/1.1 response; the connection closes after it. */
export function rawHttpResponse(code: number, contentType: string | undefined, body: string, extraHeaders: string[] = []): string {
  const head = [`HTTP/1.1 ${code} ${REASON_PHRASES[code] ?? 'Error'}`];
  if (contentType) head.push(`Content-Type: ${contentType}`);
  if (body || contentType) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  head.push(...extraHeaders);
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
