// The query parameters of list, watch and deletecollection, parsed with the real server's
// errors and defaults.
import { randomInt } from 'node:crypto';
import { badRequest } from './status.ts';
import type { ResourceRequest } from './resourcePath.ts';

/** Go's strconv.ParseBool subset the apiserver accepts for boolean parameters. */
export function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

export function parseLimit(query: URLSearchParams): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
  return n > 0 ? n : undefined;
}

export interface SelectorOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Namespace and selectors; a watch on a named URL is a watch on metadata.name. */
export function selectorOptions(query: URLSearchParams, r: ResourceRequest): SelectorOptions {
  const o: SelectorOptions = {};
  if (r.namespace !== undefined) o.namespace = r.namespace;
  const labels = query.get('labelSelector');
  if (labels) o.labelSelector = labels;
  const fields = [query.get('fieldSelector') ?? '', r.name !== undefined ? `metadata.name=${r.name}` : ''].filter((s) => s !== '');
  if (fields.length > 0) o.fieldSelector = fields.join(',');
  return o;
}

/** The real server's default: a random cut-off between --min-request-timeout (1800 s) and twice that. */
export function watchTimeoutMs(query: URLSearchParams): number {
  const raw = query.get('timeoutSeconds');
  if (raw !== null && raw !== '') {
    const n = Number(raw);
    // 0 means "the server's default", as on the real server.
    if (Number.isFinite(n) && n > 0) return n * 1000;
  }
  return randomInt(1800, 3600) * 1000;
}
