// The overview pane: what is wrong, root causes first with the symptoms they explain indented
// under them, in the order the `--once` report uses (orderFindings), so the console and the
// report never disagree. Each row names the guided action that fixes it. When nothing fails, one
// row per passed check says so: an empty pane would look like nothing was checked.
import type { ColumnSpec, Row, TableModel } from '../types.ts';
import { severityTone } from '../types.ts';
import type { Evaluation } from '../../../checks/evaluate.ts';
import type { ActionId, Finding } from '../../../checks/types.ts';
import { worstByCheck } from '../../../checks/registry.ts';
import { orderFindings, subjectText, type ReportFinding } from '../../report/findingsReport.ts';
import { findingKey, keysOfFindings } from '../findingKey.ts';
import { cachedOn, stableList } from '../../store/memo.ts';
import type { MeshState } from '../../store/types.ts';

export const OVERVIEW_COLUMNS: readonly ColumnSpec[] = [
  { title: 'SEVERITY', min: 7 },
  { title: 'CHECK', min: 11 },
  { title: 'CONTEXT', min: 8, max: 30, drop: 1 },
  { title: 'SUBJECT', min: 10, max: 48, drop: 3 },
  // Wide enough to say what is wrong before anything but SUBJECT and ACTION gives way.
  { title: 'MESSAGE', min: 30, grow: 1, rest: true },
  { title: 'ACTION', min: 6, max: 26, drop: 2 },
];

const ACTION_WORDS: Readonly<Record<ActionId, string>> = {
  'relabel-network': 'x: relabel network',
  'delete-stale-workloadentries': 'x: delete stale entries',
  'rerun-checks': 'x: re-run checks',
};

export function actionText(actionId: ActionId | undefined, readOnly: boolean): string {
  return readOnly || actionId === undefined ? '' : ACTION_WORDS[actionId];
}

function contextsText(f: Pick<Finding, 'contexts' | 'subject'>): string {
  const others = f.contexts.filter((c) => c !== f.subject.context);
  return [f.subject.context, ...others].filter((c) => c !== '').join(', ');
}

function findingRow(f: ReportFinding, key: string, readOnly: boolean): Row {
  return {
    key,
    cells: [
      f.severity,
      f.check,
      contextsText(f),
      subjectText(f),
      f.explainedBy !== undefined ? `${f.message} (explained by ${f.explainedBy})` : f.message,
      actionText(f.remediation?.actionId, readOnly),
    ],
    tone: severityTone(f.severity),
    cellTones: [severityTone(f.severity)],
    ...(f.role === 'symptom' && { indent: 1 }),
    detail: { type: 'finding', key },
    context: f.subject.context,
    contexts: f.contexts,
  };
}

/** One row per passed check: `pass MC-PEER-001 3 contexts Peers connected — 4 passed`. */
function passSummaryRows(findings: readonly Finding[]): Row[] {
  const passed = findings.filter((f) => f.severity === 'pass');
  return worstByCheck(passed).map(({ check }) => {
    const own = passed.filter((f) => f.check === check);
    const contexts = [...new Set(own.flatMap((f) => f.contexts))].sort();
    const only = own.length === 1 ? own[0] : undefined;
    return {
      key: `pass/${check}`,
      cells: [
        'pass',
        check,
        contexts.length === 1 ? (contexts[0] ?? '') : `${contexts.length} contexts`,
        own[0]?.title ?? '',
        only !== undefined ? only.message : `${own.length} findings passed`,
        '',
      ],
      tone: 'ok',
      cellTones: ['ok'],
      ...(only !== undefined && { detail: { type: 'finding', key: findingKey(only) } }),
      contexts,
    } satisfies Row;
  });
}

/**
 * While a context is still connecting every check says `unknown` about it, a screenful of
 * "the context is still connecting": those fold into one row per context that says so.
 */
function waitingRows(connecting: readonly string[], folded: ReadonlyMap<string, number>): Row[] {
  return connecting.map((context) => ({
    key: `connecting/${context}`,
    cells: ['waiting', '', context, 'Context', `connecting: ${folded.get(context) ?? 0} checks wait for this context`, ''],
    tone: 'muted',
    detail: { type: 'context', context },
    context,
  }));
}

function waitsOnlyFor(f: Finding, connecting: ReadonlySet<string>): boolean {
  return f.severity === 'unknown' && f.contexts.length > 0 && f.contexts.every((c) => connecting.has(c));
}

function buildOverview(evaluation: Evaluation, readOnly: boolean, connecting: readonly string[]): TableModel {
  const keys = keysOfFindings(evaluation.findings);
  const ordered = orderFindings(evaluation);
  const problems = ordered.filter((f) => f.role !== 'pass');
  // orderFindings copies the findings (it drops the checks' symptom hints): each copy takes the key
  // of the original with the same identity and message, in order, so equal twins keep distinct keys.
  const pending = new Map<string, string[]>();
  for (const [f, key] of keys) {
    const id = `${findingKey(f)}\u0000${f.message}`;
    pending.set(id, [...(pending.get(id) ?? []), key]);
  }
  const keyOf = (f: ReportFinding): string => pending.get(`${findingKey(f)}\u0000${f.message}`)?.shift() ?? findingKey(f);
  const waiting = new Set(connecting);
  const folded = new Map<string, number>();
  const rows: Row[] = [];
  for (const f of problems) {
    const key = keyOf(f);
    if (!waitsOnlyFor(f, waiting)) rows.push(findingRow(f, key, readOnly));
    else for (const c of new Set(f.contexts)) folded.set(c, (folded.get(c) ?? 0) + 1);
  }
  rows.unshift(...waitingRows(connecting, folded));
  const failing = problems.some((f) => f.severity === 'fail' || f.severity === 'warn' || f.severity === 'unknown');
  if (!failing) rows.push(...passSummaryRows(evaluation.findings));
  return { columns: OVERVIEW_COLUMNS, rows, empty: 'no checks ran: no context could be read' };
}

const EVALUATING: TableModel = { columns: OVERVIEW_COLUMNS, rows: [], empty: 'evaluating the checks…' };
type Cached = { connecting: readonly string[]; model: TableModel };
const models = { readOnly: new WeakMap<readonly Finding[], Cached>(), writable: new WeakMap<readonly Finding[], Cached>() };

const NOT_CONNECTING: readonly string[] = Object.freeze([]);
const sameConnecting = stableList<string>();
const connectingOf = cachedOn((contexts: MeshState['contexts']): readonly string[] => {
  const waiting = Object.values(contexts)
    .filter((c) => c.status.phase === 'connecting')
    .map((c) => c.context as string)
    .sort();
  return waiting.length === 0 ? NOT_CONNECTING : sameConnecting(waiting);
});

/** The contexts still connecting, sorted; the same array while that set is unchanged. */
export function selectConnectingContexts(state: MeshState): readonly string[] {
  return connectingOf(state.contexts);
}

/**
 * The overview's table. Each evaluation is a new object, but its findings array is the same while
 * no finding changed (checks/evaluate.ts), so the model is cached on that array (and on the list
 * of contexts still connecting, whose unknowns it folds).
 */
export function selectOverviewTable(
  evaluation: Evaluation | undefined,
  options: { readOnly: boolean; connecting?: readonly string[] },
): TableModel {
  if (evaluation === undefined) return EVALUATING;
  const connecting = options.connecting ?? NOT_CONNECTING;
  const cache = options.readOnly ? models.readOnly : models.writable;
  const hit = cache.get(evaluation.findings);
  if (hit !== undefined && hit.connecting === connecting) return hit.model;
  const model = buildOverview(evaluation, options.readOnly, connecting);
  cache.set(evaluation.findings, { connecting, model });
  return model;
}
