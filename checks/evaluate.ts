// Runs every check on a snapshot, each once, and then the explanation pass. An Evaluator kept
// across snapshots (the console's) reuses a check's findings while everything the check read is
// the same objects as last time (checks/trackedSnapshot.ts), so a commit that changed one pod
// re-runs only the checks that read pods; `--once` uses a fresh one.
import { isDeepStrictEqual } from 'node:util';
import type { MeshSnapshot } from '../src/store/types.ts';
import { rootCauseRank } from './checkIds.ts';
import { ExplanationPass, type Explained } from './explanations.ts';
import { ReadLog, trackedSnapshot } from './trackedSnapshot.ts';
import type { CheckDefinition, CheckOptions, Finding } from './types.ts';

export interface Evaluation extends Explained {
  /**
   * Each context's findings (those naming it among their contexts), in report order. A context
   * whose findings are the same objects as last time keeps the same array, so a pane showing
   * one context does not redraw when another context changes.
   */
  byContext: ReadonlyMap<string, readonly Finding[]>;
  /** Checks run this time, and those whose findings were reused. */
  ran: readonly string[];
  reused: readonly string[];
}

/**
 * A check that ran again often says the same thing about most objects (a pod changed in one
 * context; the findings about the other contexts are equal). Hand back last time's object for
 * each finding equal to one of last time's, so only what really changed gets a new reference.
 */
function keepUnchanged(findings: readonly Finding[], previous: readonly Finding[] | undefined): readonly Finding[] {
  if (previous === undefined || previous.length === 0) return findings;
  const out = findings.map((f, i) => {
    const same = previous[i];
    if (same !== undefined && isDeepStrictEqual(same, f)) return same;
    return previous.find((p) => isDeepStrictEqual(p, f)) ?? f;
  });
  return sameList(out, previous) ? previous : out;
}

function sameList(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

interface Cached {
  reads: ReadLog;
  options: CheckOptions;
  findings: readonly Finding[];
}

function sameOptions(a: CheckOptions, b: CheckOptions): boolean {
  return a.precheck === b.precheck && a.istioNamespace === b.istioNamespace;
}

/** A check that throws yields one `unknown` finding naming the error: a crash proves nothing. */
function crashedFinding(check: CheckDefinition, snapshot: MeshSnapshot, err: unknown): Finding {
  const contexts = Object.keys(snapshot.contexts).sort();
  const reason = err instanceof Error ? err.message : String(err);
  return {
    check: check.id,
    title: check.title,
    severity: 'unknown',
    contexts,
    subject: { context: contexts[0] ?? '', kind: 'Check', name: check.id },
    message: `the check could not run: ${reason}`,
    evidence: [],
  };
}

export class Evaluator {
  readonly #checks: readonly CheckDefinition[];
  readonly #cache = new Map<CheckDefinition, Cached>();
  readonly #pass = new ExplanationPass();
  #last:
    | { raw: readonly (readonly Finding[])[]; precheck: boolean; result: Explained; byContext: ReadonlyMap<string, readonly Finding[]> }
    | undefined;

  constructor(checks: readonly CheckDefinition[]) {
    // Stable sort: two definitions of one id keep their listed order.
    this.#checks = [...checks].sort((a, b) => rootCauseRank(a.id) - rootCauseRank(b.id));
  }

  evaluate(snapshot: MeshSnapshot, options: CheckOptions): Evaluation {
    const ran: string[] = [];
    const reused: string[] = [];
    const raw = this.#checks.map((check) => {
      const cached = this.#cache.get(check);
      if (cached !== undefined && sameOptions(cached.options, options) && cached.reads.sameIn(snapshot)) {
        reused.push(check.id);
        return cached.findings;
      }
      ran.push(check.id);
      const reads = new ReadLog();
      let findings: readonly Finding[];
      try {
        findings = check.run(trackedSnapshot(snapshot, reads), options);
      } catch (err) {
        findings = [crashedFinding(check, snapshot, err)];
      }
      findings = keepUnchanged(findings, cached?.findings);
      this.#cache.set(check, { reads, options, findings });
      return findings;
    });
    const last = this.#last;
    if (
      last !== undefined &&
      last.precheck === options.precheck &&
      last.raw.length === raw.length &&
      last.raw.every((f, i) => f === raw[i])
    ) {
      return { ...last.result, byContext: last.byContext, ran, reused };
    }
    const result = this.#pass.run(raw.flat(), options);
    const byContext = this.#byContext(result.findings, last?.byContext);
    this.#last = { raw, precheck: options.precheck, result, byContext };
    return { ...result, byContext, ran, reused };
  }

  #byContext(
    findings: readonly Finding[],
    previous: ReadonlyMap<string, readonly Finding[]> | undefined,
  ): ReadonlyMap<string, readonly Finding[]> {
    const lists = new Map<string, Finding[]>();
    for (const finding of findings) {
      for (const context of new Set(finding.contexts)) {
        const list = lists.get(context);
        if (list) list.push(finding);
        else lists.set(context, [finding]);
      }
    }
    const out = new Map<string, readonly Finding[]>();
    for (const [context, list] of lists) {
      const before = previous?.get(context);
      out.set(context, before !== undefined && sameList(before, list) ? before : list);
    }
    return out;
  }
}
