// A list as the storage layer answers it: which resourceVersion it reads at, selector
// filtering, and pages of `limit` items chained by continue tokens over one consistent state.
import { INCONSISTENT_CONTINUE, decodeContinue, encodeContinue } from './continueToken.ts';
import { snapshotAt } from './listSnapshot.ts';
import { parseResourceVersion } from './resourceVersionParam.ts';
import { selectableFields } from './selectors.ts';
import type { FieldSelector, LabelSelector } from './selectors.ts';
import { expired, tooLargeResourceVersion } from './status.ts';
import type { ListOptions, ListResult } from './storeTypes.ts';
import type { TypeBucket } from './typeBucket.ts';
import type { KubeObject } from './types.ts';

export interface ParsedSelectors {
  labels: LabelSelector;
  fields: FieldSelector;
}

export function listPage(b: TypeBucket, opts: ListOptions, selectors: ParsedSelectors, currentRv: number): ListResult {
  const rt = b.rt;
  const { labels, fields } = selectors;
  const namespace = rt.namespaced ? opts.namespace || undefined : undefined;
  const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : undefined;

  let rv = currentRv;
  let start: string | undefined;
  const asked = opts.resourceVersion;
  if (asked !== undefined && asked !== '' && asked !== '0') {
    const n = parseResourceVersion(rt, asked);
    if (n > currentRv) throw tooLargeResourceVersion(n, currentRv);
    if (opts.resourceVersionMatch === 'Exact') {
      if (n < b.history.start) throw expired('The resourceVersion for the provided list is too old.');
      rv = n;
    }
  }
  if (opts.continue) {
    const token = decodeContinue(opts.continue);
    start = token.start;
    if (token.rv !== -1) {
      if (token.rv < b.history.start) {
        // The snapshot the token points at is compacted; offer a token that continues at "now".
        throw expired(INCONSISTENT_CONTINUE, encodeContinue(-1, start));
      }
      rv = token.rv;
    }
  }

  const view = snapshotAt(b, namespace, rv, currentRv, start);
  const matches = (obj: KubeObject): boolean =>
    labels.matches(obj.metadata.labels) && (fields.requirements.length === 0 || fields.matches(selectableFields(rt, obj)));

  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let i = view.from;
  for (; i < view.keys.length; i++) {
    const sk = view.keys[i];
    const obj = sk && view.get(sk);
    if (!sk || !obj || !matches(obj)) continue;
    if (limit !== undefined && items.length === limit) break;
    items.push(obj);
    lastKey = sk.key;
  }
  const result: ListResult = { items, resourceVersion: String(rv) };
  if (limit !== undefined && i < view.keys.length && lastKey !== undefined) {
    result.continue = encodeContinue(rv, `${lastKey}\u0000`);
    // Like etcd, the count of what remains is only given when nothing filters it.
    if (labels.requirements.length === 0 && fields.requirements.length === 0) {
      let remaining = view.keys.length - i;
      if (view.exact === false) {
        remaining = 0;
        for (let j = i; j < view.keys.length; j++) {
          const sk = view.keys[j];
          if (sk && view.get(sk)) remaining++;
        }
      }
      result.remainingItemCount = remaining;
    }
  }
  return result;
}
