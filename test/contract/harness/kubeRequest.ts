// A bare HTTPS call to a kube-apiserver with a bearer token. The harness uses it for set-up so
// that set-up does not depend on the client library under test, and so tests can look at the
// raw status, headers and body the real server sends.
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiEndpoint {
  url: string;
  caPem: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function kubeRequest(
  endpoint: ApiEndpoint,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<RawResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, endpoint.url),
      {
        method,
        ca: endpoint.caPem,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload === undefined ? {} : { 'Content-Type': contentType }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like kubeRequest, but any status other than `expected` is an error that shows the server's answer. */
export async function kubeCall(
  endpoint: ApiEndpoint,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  expected: number[] = [200, 201],
): Promise<unknown> {
  const response = await kubeRequest(endpoint, token, method, path, body);
  if (!expected.includes(response.status)) {
    throw new Error(`${method} ${path}: HTTP ${response.status}: ${response.body}`);
  }
  return JSON.parse(response.body) as unknown;
}
