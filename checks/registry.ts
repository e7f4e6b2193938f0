// Every check, in root-cause order (checks/checkIds.ts defines that order; the registry test
// holds this list to it). To add a check: its id in checkIds.ts, one import and one entry here.
//
// `runChecks` is the one-shot form `--once` and the tests use; the console keeps an Evaluator
// (checks/evaluate.ts) so unchanged checks are not run again. Both run each check once and then
// the one explanation pass (checks/explanations.ts).
import type { CheckDefinition, CheckId, CheckOptions, Finding, Severity } from './types.ts';
import { rootCauseRank } from './checkIds.ts';
import { Evaluator } from './evaluate.ts';
import type { Explained } from './explanations.ts';
import type { MeshSnapshot } from '../src/store/types.ts';
import { DEFAULT_ISTIO_NAMESPACE } from '../src/store/resourceIds.ts';
import { consoleAccessCheck } from './access.ts';
import { istiodEnvCheck } from './istiodEnv.ts';
import { licenseCheck } from './license.ts';
import { networksCheck } from './networks.ts';
import { certificateTrustCheck } from './certificateTrust.ts';
import { certificateExpiryCheck } from './certificateExpiry.ts';
import { trustDomainCheck } from './trustDomain.ts';
import { eastWestGatewayCheck } from './eastWestGateway.ts';
import { peerSymmetryCheck } from './peerSymmetry.ts';
import { peersCheck } from './peers.ts';
import { podHealthCheck } from './podHealth.ts';
import { dnsCaptureCheck } from './dnsCapture.ts';
import { staleWorkloadEntriesCheck } from './staleWorkloadEntries.ts';
import { globalServicesCheck } from './globalServices.ts';
import { proxyStatusCheck } from './proxyStatus.ts';
import { logSignaturesCheck } from './logSignatures.ts';

export const CHECKS: readonly CheckDefinition[] = [
  consoleAccessCheck,
  istiodEnvCheck,
  licenseCheck,
  networksCheck,
  certificateTrustCheck,
  certificateExpiryCheck,
  trustDomainCheck,
  eastWestGatewayCheck,
  peerSymmetryCheck,
  peersCheck,
  podHealthCheck,
  dnsCaptureCheck,
  staleWorkloadEntriesCheck,
  globalServicesCheck,
  proxyStatusCheck,
  logSignaturesCheck,
];

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { precheck: false, istioNamespace: DEFAULT_ISTIO_NAMESPACE };

/** The registered checks sorted into root-cause order. */
export function orderedChecks(checks: readonly CheckDefinition[] = CHECKS): CheckDefinition[] {
  // Array.prototype.sort is stable: two definitions of one id keep their listed order.
  return [...checks].sort((a, b) => rootCauseRank(a.id) - rootCauseRank(b.id));
}

/**
 * Run every check once on one snapshot, then the explanation pass: findings in root-cause order
 * (within a check, in the order the check gave them), symptoms carrying `explainedBy`, and which
 * finding explains which. A check that throws does not take the others down: it yields one
 * `unknown` finding naming the error.
 */
export function evaluateChecks(
  snapshot: MeshSnapshot,
  options: CheckOptions = DEFAULT_CHECK_OPTIONS,
  checks: readonly CheckDefinition[] = CHECKS,
): Explained {
  return new Evaluator(checks).evaluate(snapshot, options);
}

/** The findings of `evaluateChecks`, for callers that do not group them. */
export function runChecks(
  snapshot: MeshSnapshot,
  options: CheckOptions = DEFAULT_CHECK_OPTIONS,
  checks: readonly CheckDefinition[] = CHECKS,
): Finding[] {
  return [...evaluateChecks(snapshot, options, checks).findings];
}

/** How many findings of each severity; every severity is present (0 when none). */
export type SeveritySummary = Record<Severity, number>;

/** Worst first: what decides a report's headline and the exit code. */
export const SEVERITY_RANK: readonly Severity[] = ['fail', 'unknown', 'warn', 'info', 'pass'];

export function summarizeSeverities(findings: readonly Finding[]): SeveritySummary {
  const summary: SeveritySummary = { pass: 0, info: 0, warn: 0, fail: 0, unknown: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}

/** The worst severity among the findings; `pass` when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity {
  const summary = summarizeSeverities(findings);
  return SEVERITY_RANK.find((severity) => summary[severity] > 0) ?? 'pass';
}

/** Each check's worst severity, in root-cause order: one line per check for a summary table. */
export function worstByCheck(findings: readonly Finding[]): { check: CheckId; severity: Severity }[] {
  const byCheck = new Map<CheckId, Finding[]>();
  for (const finding of findings) {
    const list = byCheck.get(finding.check);
    if (list) list.push(finding);
    else byCheck.set(finding.check, [finding]);
  }
  return [...byCheck.entries()]
    .sort(([a], [b]) => rootCauseRank(a) - rootCauseRank(b))
    .map(([check, list]) => ({ check, severity: worstSeverity(list) }));
}
