// List continue tokens in the real storage layer's format: base64url JSON naming the snapshot's
// resourceVersion and the key the next page starts at.
import { badRequest } from './status.ts';
import type { ApiError } from './status.ts';

const CONTINUE_VERSION = 'meta.k8s.io/v1';

/** The 410 message for a token whose snapshot has been compacted away. */
export const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Go's RawURLEncoding of the JSON continue token. rv -1 means "continue at the latest state". */
export function encodeContinue(rv: number, startKey: string): string {
  return Buffer.from(JSON.stringify({ v: CONTINUE_VERSION, rv, start: startKey })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  const bad = (why: string): ApiError => badRequest(`invalid continue token: continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
  if (parsed === null || typeof parsed !== 'object') throw bad('not a token');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== CONTINUE_VERSION)
    throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(v)}`);
  if (typeof rv !== 'number' || rv === 0)
    throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || start === '')
    throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  return { rv, start };
}
