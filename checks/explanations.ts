// The one explanation pass. Checks never call each other: a finding that may be a symptom says
// of what kind (`symptomOf`), and after every check has run, this pass looks the kind up in
// EXPLANATIONS and links the finding to the failing finding that explains it, in a context the
// cause would show in. `--once` and the console both group findings through it, so a root cause
// comes first with its symptoms under it, and nothing is hidden: a symptom whose cause did not
// fire stands on its own.
import type { SignatureId } from '../src/mesh/logSignatures.ts';
import type { CheckId } from './checkIds.ts';
import { rootCauseRank } from './checkIds.ts';
import type { CheckOptions, Finding } from './types.ts';

/** What a finding may be a symptom of. Log signatures are `log:<signature id>`. */
export type SymptomKind =
  | `log:${SignatureId}`
  /** istiod logs licensing errors (classified as "other errors" by the log parser). */
  | 'log:licensing'
  /** Log streams not readable because pods/log is forbidden. */
  | 'logs-forbidden'
  /** istiod's syncz could not be fetched because the port-forward is forbidden. */
  | 'syncz-forbidden'
  /** The peering controller is off: ENABLE_PEERING_DISCOVERY is not true. */
  | 'peering-env-off'
  /** The peering controller is off: the licence does not cover MultiCluster. */
  | 'peering-license-off'
  /** The peering controller is off: the istio namespace has no network label, so peering waits. */
  | 'peering-network-off'
  /** A remote Gateway is disconnected while it dials an address its peer's east-west gateway no longer has. */
  | 'stale-peer-address'
  /** A peer Gateway is disconnected (a foreign root makes the peer istiod reject us). */
  | 'peer-disconnected'
  /** No istio-remote Gateway here, while a loaded peer links to this cluster. */
  | 'missing-way-back'
  /** A ztunnel pod missing from istiod's syncz is not Ready. */
  | 'ztunnel-not-ready'
  /** A peer's istiod missing from proxy-status while its link Gateway is disconnected or has no status. */
  | 'peer-link-down'
  /** A global service missing here while the link to the cluster exporting it is down. */
  | 'service-link-down';

export interface ExplanationRule {
  /** The checks that explain this kind, most likely first. */
  by: readonly CheckId[];
  /**
   * Which findings of those checks count as the cause: `fail` (with --precheck also `warn`,
   * since precheck turns not-yet-linked failures into warnings), or any `problem` (fail, warn,
   * unknown) for checks that by design never fail, like the console's own access.
   */
  causeAt: 'fail' | 'problem';
  /** Say so in the message when none of `by` fires: the logs saw something the checks did not. */
  noteWhenUnexplained?: boolean;
  /** The remediation summary when explained; `{cause}` is the explaining check. */
  whenExplained?: string;
  /** Seen with none of `by` failing, the symptom only warns: it has causes no check can see. */
  warnsAlone?: boolean;
}

const LOG_CAUSE = { causeAt: 'fail', noteWhenUnexplained: true, whenExplained: 'Fix {cause} first; these lines should stop.' } as const;
const LOG_ONLY = { by: [], causeAt: 'fail' } as const;

/** The one table: which check explains which symptom. */
export const EXPLANATIONS: Readonly<Record<SymptomKind, ExplanationRule>> = {
  'log:root-of-trust': { ...LOG_CAUSE, by: ['MC-CERT-001'] },
  'log:identity-mismatch': { ...LOG_CAUSE, by: ['MC-TD-001', 'MC-CERT-001'] },
  'log:network-identity-mismatch': { ...LOG_CAUSE, by: ['MC-NET-001'] },
  // 15008 timeouts are a broken path to the peer before they are a network-label problem.
  'log:hbone-timeout': { ...LOG_CAUSE, by: ['MC-PEER-001', 'MC-NET-001'] },
  'log:peer-disconnected': { ...LOG_CAUSE, by: ['MC-PEER-001', 'MC-CERT-001'] },
  'log:no-healthy-upstream': { ...LOG_CAUSE, by: ['MC-PEER-001'] },
  'log:unknown-network-gateway': { ...LOG_CAUSE, by: ['MC-PEER-001'] },
  'log:licensing': { ...LOG_CAUSE, by: ['MC-LIC-001'] },
  'log:policy-rejection': LOG_ONLY,
  'log:no-healthy-upstream-local': LOG_ONLY,
  'log:connection-refused': LOG_ONLY,
  // With capture on, a lookup can fail for a name that was never global: only capture off is a proven cause.
  'log:dns-failure': { ...LOG_CAUSE, by: ['MC-DNS-001'], causeAt: 'problem', warnsAlone: true },
  'log:peering-incompatible-env': { ...LOG_CAUSE, by: ['MC-ENV-001'] },
  'log:other-error': LOG_ONLY,
  'logs-forbidden': { by: ['MC-ACCESS-001'], causeAt: 'problem' },
  'syncz-forbidden': { by: ['MC-ACCESS-001'], causeAt: 'problem' },
  'peering-env-off': { by: ['MC-ENV-001'], causeAt: 'problem' },
  'peering-license-off': { by: ['MC-LIC-001'], causeAt: 'problem' },
  'peering-network-off': { by: ['MC-NET-001'], causeAt: 'problem' },
  'stale-peer-address': { by: ['MC-PEER-002'], causeAt: 'fail' },
  'peer-disconnected': { by: ['MC-CERT-001'], causeAt: 'fail' },
  'missing-way-back': { by: ['MC-PEER-002'], causeAt: 'problem' },
  'ztunnel-not-ready': { by: ['MC-POD-001'], causeAt: 'problem' },
  'peer-link-down': { by: ['MC-PEER-001'], causeAt: 'problem' },
  'service-link-down': { by: ['MC-PEER-001'], causeAt: 'problem' },
};

/** The check a log signature belongs to, for summaries: its likeliest explanation, else the log check. */
export function signatureCheck(signature: SignatureId): CheckId {
  return EXPLANATIONS[`log:${signature}`].by[0] ?? 'MC-LOG-001';
}

/** Whether a signature seen on its own fails: it has a cross-cluster cause none of whose signs may be missed. */
export function signatureFailsAlone(kind: SymptomKind): boolean {
  const rule = EXPLANATIONS[kind];
  return rule.by.length > 0 && rule.warnsAlone !== true;
}

export interface Explained {
  /** Every finding, in root-cause order; a symptom whose cause fired carries `explainedBy`. */
  findings: readonly Finding[];
  /** For each explained symptom, the finding that explains it directly. */
  causeOf: ReadonlyMap<Finding, Finding>;
}

function counts(cause: Finding, rule: ExplanationRule, precheck: boolean): boolean {
  if (cause.severity === 'fail') return true;
  if (cause.severity === 'warn' && precheck) return true;
  return rule.causeAt === 'problem' && (cause.severity === 'warn' || cause.severity === 'unknown');
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.includes(x));
}

/** The finding that explains `symptom`, or undefined when none of its rule's checks fires there. */
function causeFor(symptom: Finding, byCheck: ReadonlyMap<CheckId, readonly Finding[]>, precheck: boolean): Finding | undefined {
  if (symptom.symptomOf === undefined || symptom.severity === 'pass') return undefined;
  const rule = EXPLANATIONS[symptom.symptomOf.kind];
  const where = symptom.symptomOf.contexts ?? symptom.contexts;
  for (const check of rule.by) {
    const candidates = (byCheck.get(check) ?? []).filter((c) => c !== symptom && counts(c, rule, precheck) && overlaps(c.contexts, where));
    // Prefer the cause on the symptom's own object's context, then the first in report order.
    const found = candidates.find((c) => c.contexts.includes(symptom.subject.context)) ?? candidates[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

function explainedVersion(symptom: Finding, cause: Finding): Finding {
  const rule = symptom.symptomOf ? EXPLANATIONS[symptom.symptomOf.kind] : undefined;
  const summary = rule?.whenExplained?.replace('{cause}', cause.check);
  return {
    ...symptom,
    explainedBy: cause.check,
    ...(summary !== undefined && symptom.remediation ? { remediation: { ...symptom.remediation, summary } } : {}),
  };
}

function unexplainedVersion(symptom: Finding): Finding {
  const rule = symptom.symptomOf ? EXPLANATIONS[symptom.symptomOf.kind] : undefined;
  if (rule?.noteWhenUnexplained !== true || rule.by.length === 0) return symptom;
  const verb = rule.by.length === 1 ? 'does' : 'do';
  return { ...symptom, message: `${symptom.message} (nothing explains it: ${rule.by.join(' and ')} ${verb} not fail here)` };
}

/**
 * Results of the pass per input finding, so an evaluation whose findings are the same objects as
 * last time returns the same explained objects (the console redraws only what changed).
 */
export class ExplanationPass {
  #last = new WeakMap<Finding, { cause: Finding | undefined; out: Finding }>();

  run(findings: readonly Finding[], options: Pick<CheckOptions, 'precheck'>): Explained {
    const ordered = findings
      .map((f, index) => ({ f, index }))
      .sort((a, b) => rootCauseRank(a.f.check) - rootCauseRank(b.f.check) || a.index - b.index)
      .map(({ f }) => f);
    const byCheck = new Map<CheckId, Finding[]>();
    for (const f of ordered) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
    // Causes are linked on the checks' own findings; the output copies are mapped afterwards.
    const rawCause = new Map<Finding, Finding>();
    for (const f of ordered) {
      const cause = causeFor(f, byCheck, options.precheck);
      if (cause !== undefined) rawCause.set(f, cause);
    }
    const outOf = new Map<Finding, Finding>();
    const next = new WeakMap<Finding, { cause: Finding | undefined; out: Finding }>();
    for (const f of ordered) {
      const cause = rawCause.get(f);
      const previous = this.#last.get(f);
      const out =
        previous !== undefined && previous.cause === cause
          ? previous.out
          : cause !== undefined
            ? explainedVersion(f, cause)
            : f.symptomOf !== undefined && f.severity !== 'pass'
              ? unexplainedVersion(f)
              : f;
      next.set(f, { cause, out });
      outOf.set(f, out);
    }
    this.#last = next;
    const causeOf = new Map<Finding, Finding>();
    for (const [symptom, cause] of rawCause) causeOf.set(outOf.get(symptom) as Finding, outOf.get(cause) as Finding);
    return { findings: ordered.map((f) => outOf.get(f) as Finding), causeOf };
  }
}

/** One-shot form of the pass (for `--once` and tests). */
export function explain(findings: readonly Finding[], options: Pick<CheckOptions, 'precheck'>): Explained {
  return new ExplanationPass().run(findings, options);
}

/**
 * The root cause a finding sits under: follow its causes to one that is not itself explained.
 * A cycle (which the table should never allow) stops where it closes, so nothing is lost.
 */
export function rootOf(finding: Finding, causeOf: ReadonlyMap<Finding, Finding>): Finding {
  const seen = new Set<Finding>([finding]);
  let current = finding;
  for (let cause = causeOf.get(current); cause !== undefined && !seen.has(cause); cause = causeOf.get(current)) {
    seen.add(cause);
    current = cause;
  }
  return current;
}
