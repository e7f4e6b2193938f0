// A finding's identity across evaluations: its check, its subject and the contexts it names. The
// overview's selection follows it (Row.key) and the detail view finds the finding again by it,
// so a re-run that rewords a message keeps the cursor on the same finding.
import type { Finding } from '../../checks/types.ts';
import { cachedOn } from '../store/memo.ts';

export function findingKey(f: Pick<Finding, 'check' | 'subject' | 'contexts'>): string {
  const s = f.subject;
  return `${f.check}|${s.context}/${s.kind}/${s.namespace ?? ''}/${s.name}|${[...f.contexts].sort().join(',')}`;
}

/**
 * Every finding by its key. The rare second finding of one check about one subject (two problems
 * of the same pod) gets `#2`, in report order, so no two rows share a key.
 */
export const findingsByKey = cachedOn((findings: readonly Finding[]): ReadonlyMap<string, Finding> => {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const base = findingKey(f);
    let key = base;
    for (let n = 2; byKey.has(key); n += 1) key = `${base}#${n}`;
    byKey.set(key, f);
  }
  return byKey;
});

/** The keys of `findings` in order, as findingsByKey assigns them. */
export const keysOfFindings = cachedOn((findings: readonly Finding[]): ReadonlyMap<Finding, string> => {
  const keys = new Map<Finding, string>();
  for (const [key, f] of findingsByKey(findings)) keys.set(f, key);
  return keys;
});
