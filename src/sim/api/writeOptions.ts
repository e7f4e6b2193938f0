// The options every write carries (dryRun, fieldManager) and DELETE's DeleteOptions, from the
// query string and, for delete, the body — validated with the real server's 422 wording.
import type { IncomingMessage } from 'node:http';
import type { JsonObject } from './types.ts';
import { badRequest, failure, type ApiError } from './status.ts';
import { isObject, mediaTypeOf, parseDocument, readBody } from './requestBody.ts';
import type { ResourceRequest } from './resourcePath.ts';

export interface WriteQuery {
  dryRun: boolean;
  fieldManager?: string;
}

export interface ParsedDeleteOptions {
  write: WriteQuery;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

/** The 422 for a bad CreateOptions/UpdateOptions/PatchOptions/DeleteOptions field. */
export function invalidOptions(kind: string, field: string, message: string): ApiError {
  return failure(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueNotSupported', message, field }],
  });
}

/** dryRun and fieldManager, valid on every write (query string; for delete also the body). */
export function writeQuery(query: URLSearchParams, optionsKind: string, bodyDryRun: string[] = []): WriteQuery {
  const values = [...query.getAll('dryRun'), ...bodyDryRun];
  for (const v of values) {
    // The real validation prints the whole dryRun list, Go-quoted: ["Some"].
    if (v !== 'All') throw invalidOptions(optionsKind, 'dryRun', `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`);
  }
  const w: WriteQuery = { dryRun: values.length > 0 };
  const fm = query.get('fieldManager');
  if (fm) w.fieldManager = fm;
  return w;
}

/** Writes through /status change only the status (the store keeps the rest as it was). */
export function subresourceOption(r: ResourceRequest): { subresource?: 'status' } {
  return r.subresource === 'status' ? { subresource: 'status' } : {};
}

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

/**
 * DeleteOptions from the body when there is one, else from the query. Like the real DELETE
 * handler, which decodes the query only for a body-less request: `?dryRun=All` next to a
 * DeleteOptions body is ignored and the object is really deleted (the contract suite caught it:
 * test/contract/actions.contract.test.ts).
 */
export async function deleteOptions(req: IncomingMessage, requestQuery: URLSearchParams): Promise<ParsedDeleteOptions> {
  const raw = await readBody(req);
  let body: JsonObject = {};
  let query = requestQuery;
  if (raw.length > 0) {
    const doc = parseDocument(raw.toString('utf8'), mediaTypeOf(req) || 'application/json');
    if (!isObject(doc)) throw badRequest('the body of the request was not an object');
    body = doc;
    const kept = new URLSearchParams();
    // fieldManager is no DeleteOptions field; keep it so writeQuery reads what it always read.
    const fieldManager = requestQuery.get('fieldManager');
    if (fieldManager !== null) kept.set('fieldManager', fieldManager);
    query = kept;
  }
  const bodyDryRun = Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  const o: ParsedDeleteOptions = { write: writeQuery(query, 'DeleteOptions', bodyDryRun) };
  const policy = query.get('propagationPolicy') ?? (typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined);
  if (policy !== undefined && !PROPAGATION.includes(policy)) {
    throw invalidOptions(
      'DeleteOptions',
      'propagationPolicy',
      `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const graceQuery = query.get('gracePeriodSeconds');
  const grace =
    graceQuery !== null && graceQuery !== ''
      ? Number(graceQuery)
      : typeof body.gracePeriodSeconds === 'number'
        ? body.gracePeriodSeconds
        : undefined;
  if (grace !== undefined) {
    if (!Number.isInteger(grace)) throw badRequest(`strconv.ParseInt: parsing "${graceQuery}": invalid syntax`);
    o.gracePeriodSeconds = grace;
  }
  if (isObject(body.preconditions)) {
    const p: { uid?: string; resourceVersion?: string } = {};
    if (typeof body.preconditions.uid === 'string') p.uid = body.preconditions.uid;
    if (typeof body.preconditions.resourceVersion === 'string') p.resourceVersion = body.preconditions.resourceVersion;
    o.preconditions = p;
  }
  return o;
}
