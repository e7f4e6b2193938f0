// The one picture every `--once` renderer prints: who wrote it and when, each context and how
// it could be read, the findings ordered so a root cause comes first with the symptoms it
// explains right under it, and a summary with the exit code. Text, Markdown and JSON are views
// of this; the JSON form is the documented schema (docs/report.md), so its shape changes only
// with a new schemaVersion.
import type { Finding, Severity } from '../../checks/types.ts';
import { rootOf, signatureCheck, type Explained } from '../../checks/explanations.ts';
import type { ContextState, MeshSnapshot } from '../store/types.ts';
import { describeStatus, effectiveStatus } from '../store/selectors.ts';
import { clusterGroups } from '../store/snapshotReads.ts';
import { mergeSignatureTables, type SignatureTable } from '../mesh/logSignatures.ts';

export const REPORT_SCHEMA_VERSION = 2;

/** How a context could be read; `timedOut` and `invalid` are the report's own words. */
export type ContextReportStatus = 'ready' | 'degraded' | 'unreachable' | 'authFailed' | 'timedOut' | 'invalid';

export interface ContextReport {
  context: string;
  clusterId: string | null;
  status: ContextReportStatus;
  /** One line, as `mesh-tui status` words it: `degraded: forbidden on pods/log`. */
  detail: string;
  /** Other contexts that reach the same cluster; the checks evaluate it once, through the first context of the group. */
  sameClusterAs: string[];
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
export interface ReportFinding extends Omit<Finding, 'symptomOf'> {
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

export interface BuildReportInput {
  snapshot: MeshSnapshot;
  /** The checks' findings after the explanation pass; null when the checks could not be run at all (the report then says so and exits 3). */
  findings: Explained | null;
  toolVersion: string;
  options: ReportOptions;
  /** Kubeconfig contexts that could not be used, with why. */
  invalidContexts?: readonly { context: string; reason: string }[];
  notes?: readonly string[];
}

export function buildOnceReport(input: BuildReportInput): OnceReport {
  // The feeds also carry an unusable kubeconfig context (as unreachable); the report names it for what it is.
  const invalid = new Map((input.invalidContexts ?? []).map((c) => [c.context, c.reason]));
  const invalidReport = (context: string, reason: string): ContextReport => ({
    context,
    clusterId: null,
    status: 'invalid',
    detail: `invalid: ${reason}`,
    sameClusterAs: [],
    logSignatures: [],
  });
  const contexts = [
    ...Object.values(input.snapshot.contexts).map((ctx): ContextReport => {
      const reason = invalid.get(ctx.context);
      if (reason !== undefined) return invalidReport(ctx.context, reason);
      return {
        ...sharedCluster(contextReport(ctx, input.options.timeoutSeconds), input.snapshot),
        logSignatures: signatureReports(input.snapshot.logSignatures[ctx.context]),
      };
    }),
    ...[...invalid].filter(([context]) => !(context in input.snapshot.contexts)).map(([context, reason]) => invalidReport(context, reason)),
  ].sort((a, b) => a.context.localeCompare(b.context));
  const findings = orderFindings(input.findings ?? { findings: [], causeOf: new Map() });
  const notes = [...(input.notes ?? [])];
  if (input.findings === null) notes.push('the multicluster checks are not available in this build: nothing was evaluated');
  for (const c of contexts) {
    if (c.status === 'timedOut')
      notes.push(`${c.context} did not answer within ${input.options.timeoutSeconds}s; its findings are incomplete`);
  }
  const summary = summarize(findings, contexts, input.findings === null, input.snapshot);
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
  return mergeSignatureTables([table]).map((s) => ({
    id: s.id,
    check: signatureCheck(s.id),
    title: s.title,
    count: s.count,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
  }));
}

/** Says which contexts are one cluster, and through which one it was checked, so no context's silence looks like health. */
function sharedCluster(
  report: Omit<ContextReport, 'logSignatures' | 'sameClusterAs'>,
  snapshot: MeshSnapshot,
): Omit<ContextReport, 'logSignatures'> {
  const group = clusterGroups(snapshot).find((g) => g.includes(report.context as ContextState['context'])) ?? [];
  const others: string[] = group.filter((c) => c !== report.context);
  if (others.length === 0) return { ...report, sameClusterAs: [] };
  const through = group[0] === report.context ? 'checked through this context' : `checked through ${group[0]}`;
  return { ...report, sameClusterAs: others, detail: `${report.detail}; same cluster as ${others.join(', ')} (${through})` };
}

function contextReport(ctx: ContextState, timeoutSeconds: number): Omit<ContextReport, 'logSignatures' | 'sameClusterAs'> {
  const clusterId = ctx.clusterId ?? null;
  const status = effectiveStatus(ctx);
  const stillSyncing = Object.values(ctx.resources)
    .filter((r) => r.sync === 'syncing')
    .map((r) => r.resource);
  // settleOnce gives up at the deadline: whatever is still connecting or listing then timed out.
  if (status.phase === 'connecting' || stillSyncing.length > 0) {
    const what = status.phase === 'connecting' ? 'still connecting' : `still listing ${stillSyncing.join(', ')}`;
    return { context: ctx.context, clusterId, status: 'timedOut', detail: `timed out after ${timeoutSeconds}s: ${what}` };
  }
  return { context: ctx.context, clusterId, status: status.phase, detail: describeStatus(status) };
}

/**
 * Non-pass findings with each symptom moved under the root cause it leads to (following causes
 * through symptoms, so a log line explained by a peer link explained by a foreign root sits under
 * the root); passes last. The explanation pass has already put the findings in root-cause order.
 */
export function orderFindings(explained: Explained): ReportFinding[] {
  const problems = explained.findings.filter((f) => f.severity !== 'pass');
  const heads: Finding[] = [];
  const symptomsOf = new Map<Finding, Finding[]>();
  for (const f of problems) {
    const root = rootOf(f, explained.causeOf);
    if (root === f) {
      heads.push(f);
      continue;
    }
    symptomsOf.set(root, [...(symptomsOf.get(root) ?? []), f]);
  }
  const ordered: ReportFinding[] = [];
  // An info note (flat networking intended, say) is worth reading but is not a problem: the
  // problems come first, in root-cause order, then the notes. Array sort is stable.
  const problemsFirst = [...heads].sort((a, b) => Number(a.severity === 'info') - Number(b.severity === 'info'));
  for (const head of problemsFirst) {
    ordered.push(reportFinding(head, 'root'));
    for (const s of symptomsOf.get(head) ?? []) ordered.push(reportFinding(s, 'symptom'));
  }
  for (const f of explained.findings) if (f.severity === 'pass') ordered.push(reportFinding(f, 'pass'));
  return ordered;
}

/** The report keeps the link a symptom was given (`explainedBy`), not the checks' own hint for making it. */
function reportFinding(finding: Finding, role: ReportFinding['role']): ReportFinding {
  const { symptomOf: _hint, ...rest } = finding;
  return { ...rest, role };
}

function summarize(
  findings: readonly ReportFinding[],
  contexts: readonly ContextReport[],
  checksMissing: boolean,
  snapshot: MeshSnapshot,
): ReportSummary {
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const counts = { pass: count('pass'), info: count('info'), warn: count('warn'), fail: count('fail'), unknown: count('unknown') };
  const unread = contexts.filter((c) => c.status !== 'ready');
  // No finding at all proves nothing: that is "not evaluated", never "all passed".
  const nothingEvaluated = checksMissing || findings.length === 0;
  const exitCode = counts.fail > 0 ? 1 : counts.unknown > 0 || unread.length > 0 || nothingEvaluated ? 3 : 0;
  const parts = [
    `${counts.fail} failed`,
    `${counts.warn} warnings`,
    `${counts.unknown} unknown`,
    `${counts.info} info`,
    `${counts.pass} passed`,
  ];
  const verdict = exitCode === 1 ? 'FAIL' : exitCode === 3 ? 'INCOMPLETE' : 'OK';
  return {
    total: findings.length,
    ...counts,
    exitCode,
    line: `${verdict}: ${parts.join(', ')}; ${whatWasRead(contexts, snapshot)} (exit ${exitCode})`,
  };
}

/**
 * `2/2 contexts read` when everything was; otherwise from how many contexts anything was read,
 * and how many gave their objects, their pod logs and istiod's debug endpoints. A context whose
 * watches all synced but whose kubelets cannot be reached was read, in part — not "not read".
 */
function whatWasRead(contexts: readonly ContextReport[], snapshot: MeshSnapshot): string {
  const total = contexts.length;
  const reached = contexts
    .filter((c) => c.status === 'ready' || c.status === 'degraded')
    .map((c) => snapshot.contexts[c.context as keyof typeof snapshot.contexts]);
  const states = reached.filter((ctx): ctx is ContextState => ctx !== undefined);
  // A context of a cluster that another context read fully (an on-call beside admin) takes the
  // cluster's answer: the checks read the cluster through that other context.
  const groups = clusterGroups(snapshot);
  const cluster = (ctx: ContextState, read: (c: ContextState) => boolean): boolean =>
    (groups.find((g) => g.includes(ctx.context)) ?? [ctx.context]).some((c) => {
      const state = snapshot.contexts[c];
      return state !== undefined && read(state);
    });
  const objects = states.filter((ctx) => cluster(ctx, objectsRead)).length;
  const logs = states.filter((ctx) => cluster(ctx, logsRead)).length;
  const debug = states.filter((ctx) => cluster(ctx, (c) => debugRead(snapshot, c))).length;
  if (contexts.every((c) => c.status === 'ready') && objects === total && logs === total && debug === total)
    return `${total}/${total} contexts read`;
  return `read from ${states.length}/${total} contexts: objects ${objects}/${total}, logs ${logs}/${total}, istiod debug ${debug}/${total}`;
}

// Watched collections only: `pods/log` (the log reads' own entry) and `feeds#…` are not objects.
function objectsRead(ctx: ContextState): boolean {
  return Object.values(ctx.resources)
    .filter((r) => !r.resource.includes('/') && !r.resource.startsWith('feeds#'))
    .every((r) => r.sync === 'synced' || r.sync === 'stale');
}

function logsRead(ctx: ContextState): boolean {
  const failed = Object.values(ctx.resources).some((r) => r.resource.includes('/log') && (r.sync === 'error' || r.sync === 'forbidden'));
  return !failed && Object.values(ctx.logStreams ?? {}).every((s) => s.phase === 'following');
}

function debugRead(snapshot: MeshSnapshot, ctx: ContextState): boolean {
  const facts = snapshot.facts[ctx.context];
  if (facts === undefined) return true;
  const tables: readonly Readonly<Record<string, { state: 'known' | 'unknown' }>>[] = [facts.syncz, facts.license, facts.clusterz];
  return tables.every((table) => Object.values(table).every((f) => f.state === 'known'));
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

/** Evidence lines a text or Markdown report prints per finding; JSON carries them all. */
export const EVIDENCE_SHOWN = 10;

/**
 * The evidence a human-readable report prints, and how many it leaves out. A finding about 500
 * ztunnel logs has 500 evidence rows; pasted whole, they would bury the next finding.
 */
export function shownEvidence(f: Pick<Finding, 'evidence'>): { shown: Finding['evidence']; omitted: number } {
  if (f.evidence.length <= EVIDENCE_SHOWN) return { shown: f.evidence, omitted: 0 };
  return { shown: f.evidence.slice(0, EVIDENCE_SHOWN), omitted: f.evidence.length - EVIDENCE_SHOWN };
}
