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

export const OVERVIEW_COLUMNS: readonly ColumnSpec[] = [
  { title: 'SEVERITY', min: 7 },
  { title: 'CHECK', min: 11 },
  { title: 'CONTEXT', min: 8, max: 30, drop: 2 },
  { title: 'SUBJECT', min: 10, max: 48, drop: 3 },
  { title: 'MESSAGE', min: 20, grow: 1 },
  { title: 'ACTION', min: 6, max: 26, drop: 1 },
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

function buildOverview(evaluation: Evaluation, readOnly: boolean): TableModel {
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
  const rows = problems.map((f) => findingRow(f, keyOf(f), readOnly));
  const failing = problems.some((f) => f.severity === 'fail' || f.severity === 'warn' || f.severity === 'unknown');
  if (!failing) rows.push(...passSummaryRows(evaluation.findings));
  return { columns: OVERVIEW_COLUMNS, rows, empty: 'no checks ran: no context could be read' };
}

const EVALUATING: TableModel = { columns: OVERVIEW_COLUMNS, rows: [], empty: 'evaluating the checks…' };
const models = { readOnly: new WeakMap<readonly Finding[], TableModel>(), writable: new WeakMap<readonly Finding[], TableModel>() };

/**
 * The overview's table. Each evaluation is a new object, but its findings array is the same while
 * no finding changed (checks/evaluate.ts), so the model is cached on that array.
 */
export function selectOverviewTable(evaluation: Evaluation | undefined, options: { readOnly: boolean }): TableModel {
  if (evaluation === undefined) return EVALUATING;
  const cache = options.readOnly ? models.readOnly : models.writable;
  const hit = cache.get(evaluation.findings);
  if (hit !== undefined) return hit;
  const model = buildOverview(evaluation, options.readOnly);
  cache.set(evaluation.findings, model);
  return model;
}
