// The logs pane: ztunnel and istiod failure signatures of every context, grouped, with counts,
// first and last seen, where they were seen and the check that explains them (and whether it
// fails now, so "HBONE timeouts ×312, explained by MC-PEER-001 failing" reads in one line). Enter
// drills down to the raw lines of one signature (the store's log tail).
import type { ColumnSpec, Row, TableModel, Tone } from '../types.ts';
import type { ContextId, LogTailLine, MeshState } from '../../store/types.ts';
import type { SignatureAggregate, SignatureId } from '../../mesh/logSignatures.ts';
import { SIGNATURES } from '../../mesh/logSignatures.ts';
import { selectLogSignatures, selectLogTail } from '../../store/selectors.ts';
import { signatureCheck } from '../../../checks/explanations.ts';
import type { Evaluation } from '../../../checks/evaluate.ts';
import type { Finding } from '../../../checks/types.ts';
import { memoByInputs } from './memoInputs.ts';
import { shortTime } from './timeText.ts';

export const SIGNATURE_COLUMNS: readonly ColumnSpec[] = [
  { title: 'SIGNATURE', min: 14, max: 40, grow: 1 },
  { title: 'COUNT', min: 5, align: 'right' },
  { title: 'FIRST SEEN', min: 14, drop: 3 },
  { title: 'LAST SEEN', min: 14, drop: 1 },
  { title: 'CONTEXTS', min: 8, max: 30, drop: 2 },
  { title: 'PODS', min: 6, max: 40, grow: 1, drop: 4 },
  { title: 'EXPLAINED BY', min: 12, max: 30 },
];

/** How the check that explains a signature stands now: `MC-PEER-001 failing`. */
export function explainingCheckText(signature: SignatureId, findings: readonly Finding[] | undefined): { text: string; tone?: Tone } {
  const check = signatureCheck(signature);
  if (check === 'MC-LOG-001') return { text: 'MC-LOG-001 (log only)' };
  if (findings === undefined) return { text: `${check} not evaluated yet`, tone: 'muted' };
  const own = findings.filter((f) => f.check === check);
  if (own.some((f) => f.severity === 'fail')) return { text: `${check} failing`, tone: 'bad' };
  if (own.some((f) => f.severity === 'unknown')) return { text: `${check} unknown`, tone: 'warn' };
  if (own.some((f) => f.severity === 'warn')) return { text: `${check} warning`, tone: 'warn' };
  return { text: `${check} passing`, tone: 'muted' };
}

function listText(items: readonly string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} +${items.length - max}`;
}

function signatureRow(s: SignatureAggregate, findings: readonly Finding[] | undefined): Row {
  const check = explainingCheckText(s.id, findings);
  return {
    key: `signature/${s.id}`,
    cells: [
      s.title,
      String(s.count),
      shortTime(s.firstSeen),
      shortTime(s.lastSeen),
      listText(s.contexts, 3),
      listText(s.sources, 2),
      check.text,
    ],
    tone: s.id === 'other-error' ? 'normal' : 'warn',
    cellTones: [undefined, undefined, undefined, undefined, undefined, undefined, check.tone],
    detail: { type: 'signature', signature: s.id },
    ...(s.contexts.length === 1 && { context: s.contexts[0] }),
    contexts: s.contexts,
  };
}

const signatureTable = memoByInputs(
  (input: { signatures: readonly SignatureAggregate[]; findings: readonly Finding[] | undefined }): TableModel => ({
    columns: SIGNATURE_COLUMNS,
    rows: input.signatures.map((s) => signatureRow(s, input.findings)),
    empty: 'no ztunnel or istiod errors in the followed logs',
  }),
);

/** Signatures of all contexts merged, most frequent first; the same object until a failure line arrives or the findings change. */
export function selectSignatureTable(state: MeshState, evaluation: Evaluation | undefined): TableModel {
  const signatures = selectLogSignatures(state);
  const findings = evaluation?.findings;
  return signatureTable([signatures, findings], { signatures, findings });
}

/** What the drill-down shows: one signature's lines, optionally of one context and one pod (`namespace/pod`). */
export interface LogDrill {
  /** A SignatureId. */
  signature: string;
  context?: string;
  /** `namespace/pod`. */
  pod?: string;
}

export const LOG_LINE_COLUMNS: readonly ColumnSpec[] = [
  { title: 'TIME', min: 14 },
  { title: 'CONTEXT', min: 8, max: 24, drop: 2 },
  { title: 'POD', min: 10, max: 40, drop: 1 },
  { title: 'LINE', min: 30, grow: 1, rest: true },
];

function titleOf(signature: string): string {
  return signature in SIGNATURES ? SIGNATURES[signature as SignatureId].title : signature;
}

/** The line without its leading timestamp, which the TIME column already shows. */
function withoutTime(text: string): string {
  const m = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z?\s+/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

function lineRow(line: LogTailLine): Row {
  return {
    key: line.key,
    cells: [shortTime(line.at), line.context, line.source || '(unknown pod)', withoutTime(line.text)],
    ...(line.level === 'error' && { tone: 'warn' as const }),
    detail: { type: 'logLine', key: line.key },
    context: line.context,
  };
}

const lineTable = memoByInputs((input: { lines: readonly LogTailLine[]; drill: LogDrill }): TableModel => {
  const { drill } = input;
  const rows = input.lines
    .filter((l) => l.signature === drill.signature && (drill.pod === undefined || l.source === drill.pod))
    .map(lineRow);
  const where = [drill.context, drill.pod].filter((x) => x !== undefined).join(' ');
  return {
    columns: LOG_LINE_COLUMNS,
    rows,
    empty: `no ${titleOf(drill.signature)} lines kept${where !== '' ? ` for ${where}` : ''} (only the newest lines are kept)`,
  };
});

/** The raw lines of one signature, oldest first (newest at the bottom, where following reads). */
export function selectLogLineTable(state: MeshState, drill: LogDrill): TableModel {
  const lines = selectLogTail(state, drill.context as ContextId | undefined);
  return lineTable([lines, drill.signature, drill.context, drill.pod], { lines, drill });
}
