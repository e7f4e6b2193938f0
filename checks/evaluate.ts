// Runs every check on a snapshot, each once, and then the explanation pass. An Evaluator kept
// across snapshots (the console's) reuses a check's findings while everything the check read is
// the same objects as last time (checks/trackedSnapshot.ts), so a commit that changed one pod
// re-runs only the checks that read pods; `--once` uses a fresh one.
import type { MeshSnapshot } from '../src/store/types.ts';
import { rootCauseRank } from './checkIds.ts';
import { ExplanationPass, type Explained } from './explanations.ts';
import { ReadLog, trackedSnapshot } from './trackedSnapshot.ts';
import type { CheckDefinition, CheckOptions, Finding } from './types.ts';

export interface Evaluation extends Explained {
  /** Checks run this time, and those whose findings were reused. */
  ran: readonly string[];
  reused: readonly string[];
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
  #last: { raw: readonly (readonly Finding[])[]; precheck: boolean; result: Explained } | undefined;

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
      this.#cache.set(check, { reads, options, findings });
      return findings;
    });
    const last = this.#last;
    if (last !== undefined && last.precheck === options.precheck && last.raw.length === raw.length && last.raw.every((f, i) => f === raw[i])) {
      return { ...last.result, ran, reused };
    }
    const result = this.#pass.run(raw.flat(), options);
    this.#last = { raw, precheck: options.precheck, result };
    return { ...result, ran, reused };
  }
}
