// Every check, in root-cause order. The order of the CheckId union (checks/types.ts) is the
// order in which a failure explains the ones after it: the console's own access first (a
// forbidden read makes everything after it `unknown`), then istiod's configuration, licence,
// networks, certificates, gateways, peers, pods, DNS, generated entries, services, xDS, logs.
// Reports list findings in this order so a root cause comes before its symptoms.
//
// To add a check: one import and one entry in CHECKS. Where the entry goes in the list does not
// change the result (runChecks sorts by CHECK_ORDER), but keep it in order so the list reads
// like the report.
import type { CheckDefinition, CheckId, CheckOptions, Finding, Severity } from './types.ts';
import type { MeshSnapshot } from '../src/store/types.ts';
import { DEFAULT_ISTIO_NAMESPACE } from '../src/feeds/watchedResources.ts';
import { consoleAccessCheck } from './access.ts';
import { istiodEnvCheck } from './istiodEnv.ts';
import { licenseCheck } from './license.ts';
import { networksCheck } from './networks.ts';
import { certificateTrustCheck } from './certificateTrust.ts';
import { certificateExpiryCheck } from './certificateExpiry.ts';
import { eastWestGatewayCheck } from './eastWestGateway.ts';
import { peerSymmetryCheck } from './peerSymmetry.ts';
import { peersCheck } from './peers.ts';
import { podHealthCheck } from './podHealth.ts';
import { dnsCaptureCheck } from './dnsCapture.ts';
import { staleWorkloadEntriesCheck } from './staleWorkloadEntries.ts';
import { globalServicesCheck } from './globalServices.ts';
import { proxyStatusCheck } from './proxyStatus.ts';
import { logSignaturesCheck } from './logSignatures.ts';

/** Root-cause order: the order of the CheckId union. */
export const CHECK_ORDER: readonly CheckId[] = [
  'MC-ACCESS-001',
  'MC-ENV-001',
  'MC-LIC-001',
  'MC-NET-001',
  'MC-CERT-001',
  'MC-CERT-002',
  'MC-EW-001',
  'MC-PEER-002',
  'MC-PEER-001',
  'MC-POD-001',
  'MC-DNS-001',
  'MC-WE-001',
  'MC-SVC-001',
  'MC-XDS-001',
  'MC-LOG-001',
];

export const CHECKS: readonly CheckDefinition[] = [
  consoleAccessCheck,
  istiodEnvCheck,
  licenseCheck,
  networksCheck,
  certificateTrustCheck,
  certificateExpiryCheck,
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

function orderOf(id: CheckId): number {
  const index = CHECK_ORDER.indexOf(id);
  return index === -1 ? CHECK_ORDER.length : index;
}

/** The registered checks sorted into root-cause order. */
export function orderedChecks(checks: readonly CheckDefinition[] = CHECKS): CheckDefinition[] {
  // Array.prototype.sort is stable: two definitions of one id keep their listed order.
  return [...checks].sort((a, b) => orderOf(a.id) - orderOf(b.id));
}

/**
 * Run every check on one snapshot, findings in root-cause order (within a check, in the order
 * the check gave them). A check that throws does not take the others down: it yields one
 * `unknown` finding naming the error, because a crashed check has not proven anything.
 */
export function runChecks(
  snapshot: MeshSnapshot,
  options: CheckOptions = DEFAULT_CHECK_OPTIONS,
  checks: readonly CheckDefinition[] = CHECKS,
): Finding[] {
  const findings: Finding[] = [];
  for (const check of orderedChecks(checks)) {
    try {
      findings.push(...check.run(snapshot, options));
    } catch (err) {
      findings.push(crashedFinding(check, snapshot, err));
    }
  }
  return findings;
}

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
    .sort(([a], [b]) => orderOf(a) - orderOf(b))
    .map(([check, list]) => ({ check, severity: worstSeverity(list) }));
}
