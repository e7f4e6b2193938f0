// What legitimately differs between two clusters answering the same request, replaced by
// placeholders so the rest can be compared exactly. The list is short on purpose: every entry
// is a difference a client must not depend on.
//   - metadata.uid, and any UUID inside a message     → '<uid>'
//   - resourceVersions (object, list, in messages)    → '<rv>'
//   - creationTimestamp / deletionTimestamp           → '<time>'
//   - metadata.managedFields                          → dropped (server-side apply bookkeeping)
//   - list metadata.continue                          → '<continue>' (opaque token)
// Everything else — status codes, reasons, messages, causes, labels, the order of items and
// events — must match.
import type { RawResponse } from './harness/kubeRequest.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Numbers in messages that are resourceVersions (they differ between any two clusters). */
const RV_IN_MESSAGE: [RegExp, string][] = [
  [/too old resource version: \d+ \(\d+\)/g, 'too old resource version: <rv> (<rv>)'],
  [/ResourceVersion in the precondition \(\d+\)/g, 'ResourceVersion in the precondition (<rv>)'],
  [/ResourceVersion in record \(\d+\)/g, 'ResourceVersion in record (<rv>)'],
];

export function normalizeMessage(message: string): string {
  let out = message.replace(UUID, '<uid>');
  for (const [pattern, replacement] of RV_IN_MESSAGE) out = out.replace(pattern, replacement);
  return out;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function normalize(value: Json, key = ''): Json {
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (typeof value === 'string') {
    if (key === 'resourceVersion') return '<rv>';
    if (key === 'uid') return '<uid>';
    if (key === 'creationTimestamp' || key === 'deletionTimestamp') return '<time>';
    if (key === 'continue') return '<continue>';
    return normalizeMessage(value);
  }
  if (!isObject(value)) return value;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'managedFields') continue;
    out[k] = normalize(v, k);
  }
  return out;
}

export interface Observed {
  status: number;
  contentType: string;
  body: Json;
}

/** What a client sees of a response, normalized: status, media type, body (JSON or text). */
export function observe(response: RawResponse): Observed {
  const contentType = String(response.headers['content-type'] ?? '');
  let body: Json;
  try {
    body = contentType.includes('json') ? normalize(JSON.parse(response.body) as Json) : response.body;
  } catch {
    body = response.body;
  }
  return { status: response.status, contentType, body };
}

export function parseJson(text: string): Json {
  return JSON.parse(text) as Json;
}

export type { Json };
