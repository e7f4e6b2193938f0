// Builds findings from a check definition so id and title are never typed twice.
import type { CheckDefinition, Evidence, Finding, Remediation, Severity, Subject, SymptomOf } from './types.ts';

export interface FindingParts {
  severity: Severity;
  subject: Subject;
  message: string;
  /** Defaults to the subject's context. */
  contexts?: string[];
  evidence?: Evidence[];
  remediation?: Remediation;
  /** What this finding may be a symptom of (checks/explanations.ts links it to its cause). */
  symptomOf?: SymptomOf;
}

export function makeFinding(check: Pick<CheckDefinition, 'id' | 'title'>, parts: FindingParts): Finding {
  return {
    check: check.id,
    title: check.title,
    severity: parts.severity,
    contexts: parts.contexts ?? [parts.subject.context],
    subject: parts.subject,
    message: parts.message,
    evidence: parts.evidence ?? [],
    ...(parts.remediation ? { remediation: parts.remediation } : {}),
    ...(parts.symptomOf ? { symptomOf: parts.symptomOf } : {}),
  };
}

const RANK: Readonly<Record<Severity, number>> = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 };

/** The worse of two severities (fail > unknown > warn > info > pass). */
export function worse(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}
