// The console's UI-free vocabulary: what panes exist, what a key press means, and the rows a
// pane shows. Models (src/console/rows/) turn store state and findings into these; screens/
// draws them. Nothing here imports React or Ink, so the models are tested as plain functions.
import type { Severity } from '../../checks/types.ts';

/** The panes, in the order of their number keys (1–6) and of Tab. */
export const PANES = ['overview', 'pods', 'gateways', 'links', 'proxies', 'logs'] as const;
export type PaneId = (typeof PANES)[number];

/** How a cell or row reads at a glance. Colour is a hint only: every tone also has words in the cell. */
export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'normal' | 'accent';

export function severityTone(severity: Severity): Tone {
  if (severity === 'fail') return 'bad';
  if (severity === 'warn' || severity === 'unknown') return 'warn';
  if (severity === 'pass') return 'ok';
  return 'normal';
}

/** What the detail view (Enter) opens for a row. */
export type DetailRef =
  | { type: 'object'; context: string; kind: string; namespace?: string; name: string }
  | { type: 'finding'; key: string }
  | { type: 'signature'; context?: string; signature: string }
  | { type: 'proxy'; context: string; name: string }
  | { type: 'logLine'; key: string }
  | { type: 'context'; context: string }
  /** Both directions of a link between two clusters (the links pane). */
  | { type: 'link'; from: string; to: string };

export interface Row {
  /**
   * Stable identity across updates (context/kind/namespace/name, a finding's key): the
   * selection follows it, so the cursor stays on the same object when rows come and go.
   */
  key: string;
  /** One string per column, already formatted (ages, counts). */
  cells: readonly string[];
  tone?: Tone;
  /** Per-cell tone, overriding the row's. */
  cellTones?: readonly (Tone | undefined)[];
  /** Nesting depth (a symptom under its root cause). */
  indent?: number;
  detail?: DetailRef;
  /** The context the row belongs to (for `:ctx` narrowing and the filter). */
  context?: string;
  /** Every context the row concerns, when more than one (a link pair, a signature, a cross-cluster finding); `:ctx` keeps the row for any of them. */
  contexts?: readonly string[];
}

export interface ColumnSpec {
  title: string;
  /** Narrowest useful width; a cell wider than the column is cut with `…`. */
  min: number;
  /** Widest it grows to (default: as wide as its widest cell). */
  max?: number;
  /** Share of the spare width this column takes (default 0). */
  grow?: number;
  align?: 'left' | 'right';
  /** Columns with a higher number are dropped first when the terminal is narrow (0 = never dropped). */
  drop?: number;
  /**
   * Free text (a message, a log line) that takes the rest of the line: it is cut to fit rather than
   * pushing other columns out, so its natural width does not count when columns are dropped.
   */
  rest?: boolean;
}

export interface TableModel {
  columns: readonly ColumnSpec[];
  rows: readonly Row[];
  /** What to say when there are no rows (e.g. `no ztunnel errors in the last 15m`). */
  empty: string;
}

/** The detail view's content: a title and sections of lines, each line a key and a value or free text. */
export interface DetailModel {
  title: string;
  sections: readonly DetailSection[];
}

export interface DetailSection {
  title: string;
  lines: readonly DetailLine[];
}

export interface DetailLine {
  label?: string;
  text: string;
  tone?: Tone;
}

/** A context's badge in the header. */
export interface ContextBadge {
  context: string;
  /** `ready`, `degraded: forbidden on pods`, `unreachable`, `auth failed`, `invalid: …`, `connecting`. */
  status: string;
  tone: Tone;
  clusterId?: string;
  network?: string;
  /** Failing checks in this context. */
  failing: number;
  /** Other contexts that reach the same cluster. */
  sameClusterAs: readonly string[];
}

/**
 * Semantic commands: what a key means, whatever key it came from. The key map (keymap.ts) maps
 * keys to these; help, the hints line and `--read-only` are generated from that one table.
 */
export type Command =
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'pageUp' }
  | { type: 'pageDown' }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'filter' }
  | { type: 'commandLine' }
  | { type: 'nextPane' }
  | { type: 'previousPane' }
  | { type: 'pane'; pane: PaneId }
  | { type: 'rerunChecks' }
  | { type: 'actions' }
  | { type: 'togglePause' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'context'; context: string | null };
