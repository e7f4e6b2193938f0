// What a long-lived response (a watch, a log follow) runs on, for the faults that cut it. Over
// HTTP/1.1 that is the connection; over HTTP/2 the connection carries every other request of the
// client too, so the fault resets this response's stream alone, as a dropped watch does on a
// real apiserver behind an HTTP/2 proxy.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export function responseStream(res: ServerResponse): Duplex {
  const stream = (res as unknown as { stream?: Duplex }).stream;
  return stream ?? (res.socket as Duplex);
}

/** HTTP/2 forbids connection-specific headers (Transfer-Encoding among them): it frames bodies itself. */
export function isHttp2(res: ServerResponse): boolean {
  return (res as unknown as { stream?: unknown }).stream !== undefined;
}
