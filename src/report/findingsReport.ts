// The one picture every `--once` renderer prints: who wrote it and when, each context and how
// it could be read, the findings ordered so a root cause comes first with the symptoms it
// explains right under it, and a summary with the exit code. Text, Markdown and JSON are views
// of this; the JSON form is the documented schema (docs/report.md), so its shape changes only
// with a new schemaVersion.
import type { CheckId, Finding, Severity } from '../../checks/types.ts';
import type { ContextState, MeshSnapshot } from '../store/types.ts';
import { describeStatus, effectiveStatus } from '../store/selectors.ts';
import { mergeSignatureTables, type SignatureTable } from '../mesh/logSignatures.ts';

export const REPORT_SCHEMA_VERSION = 1;

/** How a context could be read; `timedOut` and `invalid` are the report's own words. */
export type ContextReportStatus = 'ready' | 'degraded' | 'unreachable' | 'authFailed' | 'timedOut' | 'invalid';

export interface ContextReport {
  context: string;
  clusterId: string | null;
  status: ContextReportStatus;
  /** One line, as `mesh-tui status` words it: `degraded: forbidden on pods/log`. */
  detail: string;
  /** Failure signatures of the followed logs (titles and counts only: never the lines, which may quote anything). */
  logSignatures: LogSignatureReport[];
}

export interface LogSignatureReport {
  id: string;
  check: string;
  title: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ReportSummary {
  total: number;
  pass: number;
  info: number;
  warn: number;
  fail: number;
  unknown: number;
  exitCode: 0 | 1 | 3;
  /** The one line every format ends with. */
  line: string;
}

export interface ReportOptions {
  precheck: boolean;
  istioNamespace: string;
  /** `--since` as given (`5m`), or null for all the history the follows read. */
  since: string | null;
  timeoutSeconds: number;
  /** The `--demo` scenario, or null against a real kubeconfig. */
  demoScenario: string | null;
}

/** A finding in the report: the check's own Finding plus where it sits in the grouping. */
export interface ReportFinding extends Finding {
  /** `root` heads a group; `symptom` sits under the root cause named by `explainedBy`; `pass` passed. */
  role: 'root' | 'symptom' | 'pass';
}

export interface OnceReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'mesh-tui'; version: string };
  generatedAt: string;
  options: ReportOptions;
  contexts: ContextReport[];
  /** Non-pass findings first (each root cause followed by its symptoms), then passes. */
  findings: ReportFinding[];
  /** What the reader must know to trust the findings (timed-out contexts, checks missing). */
  notes: string[];
  summary: ReportSummary;
}

/** The root-cause order of CheckId (checks/types.ts); `satisfies` keeps it complete. */
const ROOT_CAUSE_RANK = {
  'MC-ACCESS-001': 0,
  'MC-ENV-001': 1,
  'MC-LIC-001': 2,
  'MC-NET-001': 3,
  'MC-CERT-001': 4,
  'MC-CERT-002': 5,
  'MC-EW-001': 6,
  'MC-PEER-002': 7,
  'MC-PEER-001': 8,
  'MC-POD-001': 9,
  'MC-DNS-001': 10,
  'MC-WE-001': 11,
  'MC-SVC-001': 12,
  'MC-XDS-001': 13,
  'MC-LOG-001': 14,
} as const satisfies Record<CheckId, number>;

export interface BuildReportInput {
  snapshot: MeshSnapshot;
  /** null when the checks could not be run at all (the report then says so and exits 3). */
  findings: readonly Finding[] | null;
  toolVersion: string;
  options: ReportOptions;
  /** Kubeconfig contexts that could not be used, with why. */
  invalidContexts?: readonly { context: string; reason: string }[];
  notes?: readonly string[];
}

export function buildOnceReport(input: BuildReportInput): OnceReport {
  // The feeds also carry an unusable kubeconfig context (as unreachable); the report names it for what it is.
  const invalid = new Map((input.invalidContexts ?? []).map((c) => [c.context, c.reason]));
  const invalidReport = (context: string, reason: string): ContextReport => ({ context, clusterId: null, status: 'invalid', detail: `invalid: ${reason}`, logSignatures: [] });
  const contexts = [
    ...Object.values(input.snapshot.contexts).map((ctx): ContextReport => {
      const reason = invalid.get(ctx.context);
      if (reason !== undefined) return invalidReport(ctx.context, reason);
      return { ...contextReport(ctx, input.options.timeoutSeconds), logSignatures: signatureReports(input.snapshot.logSignatures[ctx.context]) };
    }),
    ...[...invalid].filter(([context]) => !(context in input.snapshot.contexts)).map(([context, reason]) => invalidReport(context, reason)),
  ].sort((a, b) => a.context.localeCompare(b.context));
  const findings = orderFindings(input.findings ?? []);
  const notes = [...(input.notes ?? [])];
  if (input.findings === null) notes.push('the multicluster checks are not available in this build: nothing was evaluated');
  for (const c of contexts) {
    if (c.status === 'timedOut') notes.push(`${c.context} did not answer within ${input.options.timeoutSeconds}s; its findings are incomplete`);
  }
  const summary = summarize(findings, contexts, input.findings === null);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mesh-tui', version: input.toolVersion },
    generatedAt: input.snapshot.takenAt,
    options: input.options,
    contexts,
    findings,
    notes,
    summary,
  };
}

function signatureReports(table: SignatureTable | undefined): LogSignatureReport[] {
  if (table === undefined) return [];
  return mergeSignatureTables([table]).map((s) => ({ id: s.id, check: s.check, title: s.title, count: s.count, firstSeen: s.firstSeen, lastSeen: s.lastSeen }));
}

function contextReport(ctx: ContextState, timeoutSeconds: number): Omit<ContextReport, 'logSignatures'> {
  const clusterId = ctx.clusterId ?? null;
  const status = effectiveStatus(ctx);
  const stillSyncing = Object.values(ctx.resources).filter((r) => r.sync === 'syncing').map((r) => r.resource);
  // settleOnce gives up at the deadline: whatever is still connecting or listing then timed out.
  if (status.phase === 'connecting' || stillSyncing.length > 0) {
    const what = status.phase === 'connecting' ? 'still connecting' : `still listing ${stillSyncing.join(', ')}`;
    return { context: ctx.context, clusterId, status: 'timedOut', detail: `timed out after ${timeoutSeconds}s: ${what}` };
  }
  return { context: ctx.context, clusterId, status: status.phase, detail: describeStatus(status) };
}

/** Non-pass findings in root-cause order with symptoms moved under their root cause; passes last. */
export function orderFindings(findings: readonly Finding[]): ReportFinding[] {
  const ranked = findings
    .map((f, index) => ({ f, index }))
    .sort((a, b) => ROOT_CAUSE_RANK[a.f.check] - ROOT_CAUSE_RANK[b.f.check] || a.index - b.index)
    .map(({ f }) => f);
  const problems = ranked.filter((f) => f.severity !== 'pass');
  const heads: Finding[] = [];
  const symptomsOf = new Map<Finding, Finding[]>();
  for (const f of problems) {
    const cause = f.explainedBy !== undefined ? rootCauseFor(f, problems) : undefined;
    if (cause === undefined) {
      heads.push(f);
      continue;
    }
    const list = symptomsOf.get(cause) ?? [];
    list.push(f);
    symptomsOf.set(cause, list);
  }
  const ordered: ReportFinding[] = [];
  for (const head of heads) {
    ordered.push({ ...head, role: 'root' });
    for (const s of symptomsOf.get(head) ?? []) ordered.push({ ...s, role: 'symptom' });
  }
  for (const f of ranked) if (f.severity === 'pass') ordered.push({ ...f, role: 'pass' });
  return ordered;
}

/**
 * The failing finding of the explaining check that a symptom hangs under: one in a context the
 * symptom concerns when there is one, else the first. A symptom whose cause did not fire (or
 * is itself a symptom) stands on its own, so nothing is ever hidden.
 */
function rootCauseFor(symptom: Finding, problems: readonly Finding[]): Finding | undefined {
  const candidates = problems.filter((p) => p.check === symptom.explainedBy && p !== symptom && p.explainedBy === undefined);
  return candidates.find((c) => c.contexts.some((ctx) => symptom.contexts.includes(ctx))) ?? candidates[0];
}

function summarize(findings: readonly ReportFinding[], contexts: readonly ContextReport[], checksMissing: boolean): ReportSummary {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const counts = { pass: count('pass'), info: count('info'), warn: count('warn'), fail: count('fail'), unknown: count('unknown') };
  const unread = contexts.filter((c) => c.status !== 'ready');
  // No finding at all proves nothing: that is "not evaluated", never "all passed".
  const nothingEvaluated = checksMissing || findings.length === 0;
  const exitCode = counts.fail > 0 ? 1 : counts.unknown > 0 || unread.length > 0 || nothingEvaluated ? 3 : 0;
  const parts = [`${counts.fail} failed`, `${counts.warn} warnings`, `${counts.unknown} unknown`, `${counts.info} info`, `${counts.pass} passed`];
  const contextsPart = `${contexts.length - unread.length}/${contexts.length} contexts read`;
  const verdict = exitCode === 1 ? 'FAIL' : exitCode === 3 ? 'INCOMPLETE' : 'OK';
  return { total: findings.length, ...counts, exitCode, line: `${verdict}: ${parts.join(', ')}; ${contextsPart} (exit ${exitCode})` };
}

/** Findings of one group: its root and the symptoms under it, in report order. */
export function groupsOf(findings: readonly ReportFinding[]): { root: ReportFinding; symptoms: ReportFinding[] }[] {
  const groups: { root: ReportFinding; symptoms: ReportFinding[] }[] = [];
  for (const f of findings) {
    if (f.role === 'root') groups.push({ root: f, symptoms: [] });
    else if (f.role === 'symptom') groups.at(-1)?.symptoms.push(f);
  }
  return groups;
}

/** `Namespace istio-system` style subject, as kubectl users name things. */
export function subjectText(f: Pick<Finding, 'subject'>): string {
  const s = f.subject;
  return s.namespace !== undefined && s.namespace !== '' ? `${s.kind} ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}
