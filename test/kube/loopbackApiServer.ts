// A tiny HTTPS server on 127.0.0.1 for the kube/ tests: real TLS with a CA from src/sim/pki.ts,
// a scripted handler, and a record of what arrived (path, Authorization) and how many TLS
// connections were opened. Not the simulator: just enough to watch the client from the outside.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { issueServingPair, type IssuedCertificate } from '../../src/sim/pki.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  userAgent: string | undefined;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface LoopbackApiServer {
  url: string;
  port: number;
  ca: IssuedCertificate;
  /** base64 of the CA PEM, for certificate-authority-data. */
  caData: string;
  requests: ReceivedRequest[];
  tlsConnections: () => number;
  close: () => Promise<void>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** metav1.Status exactly as kube-apiserver writes it for a failure. */
export function failureStatus(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details !== undefined && { details }),
    code,
  };
}

export const namespaceList = (name: string): Record<string, unknown> => ({
  kind: 'NamespaceList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1' },
  items: [{ metadata: { name } }],
});

export async function startLoopbackApiServer(
  handler: Handler,
  options: { name?: string; certificate?: { ca: IssuedCertificate; serving: IssuedCertificate } } = {},
): Promise<LoopbackApiServer> {
  const pair = options.certificate ?? issueServingPair(options.name ?? 'loopback');
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = https.createServer({ cert: pair.serving.certPem, key: pair.serving.keyPem }, (request, response) => {
    requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '',
      authorization: request.headers.authorization,
      userAgent: request.headers['user-agent'],
    });
    handler(request, response);
  });
  server.on('secureConnection', () => (connections += 1));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS failures on the server side are expected in the wrong-CA tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    ca: pair.ca,
    caData: Buffer.from(pair.ca.certPem).toString('base64'),
    requests,
    tlsConnections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
