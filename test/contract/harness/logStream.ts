// A follow=true pod log request kept open, read with plain HTTPS. client-node's own follow is
// unsafe for tests (errors after the stream starts are uncaught; see reference client-node.md),
// and tests need to wait for specific lines to arrive.
import { request } from 'node:https';
import type { ApiEndpoint } from './kubeRequest.ts';

export interface LogStream {
  /** Resolves with everything received so far once it contains `wanted`; rejects if the request fails. */
  waitFor(wanted: string): Promise<string>;
  close(): void;
}

export function openLogStream(endpoint: ApiEndpoint, token: string, path: string): LogStream {
  let text = '';
  let failure: Error | null = null;
  const waiters = new Set<() => void>();
  const wake = (): void => waiters.forEach((waiter) => waiter());
  const req = request(new URL(path, endpoint.url), { ca: endpoint.caPem, headers: { Authorization: `Bearer ${token}` } }, (res) => {
    if (res.statusCode !== 200) failure = new Error(`${path}: HTTP ${String(res.statusCode)}`);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      wake();
    });
    // Closing the stream ourselves surfaces as an aborted response; nobody is waiting by then.
    res.on('error', () => undefined);
  });
  req.on('error', (error) => {
    failure ??= error;
    wake();
  });
  req.end();
  return {
    waitFor(wanted) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (text.includes(wanted)) {
            waiters.delete(check);
            resolve(text);
          } else if (failure) {
            waiters.delete(check);
            reject(failure);
          }
        };
        waiters.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}
