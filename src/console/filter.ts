// The `/` filter and `:ctx` narrowing of any pane's table, k9s style: a case-insensitive
// substring over a row's cells, `!text` for the rows without it, and a context keeps the rows of
// that context. Rows nest (a symptom under its root cause, a condition under its Gateway): a
// child is kept when its parent is, and a parent is kept when one of its children matches, so
// a match never shows up without the row that gives it meaning. `!text` is decided by the
// parent: a group whose parent mentions the text is hidden whole.
import type { Row, TableModel } from './types.ts';

interface Filtered {
  text: string;
  context: string | null;
  result: TableModel;
}

const last = new WeakMap<TableModel, Filtered>();

// A row's cells lowercased once, joined by a character no one types: typing a filter on a large
// table then searches one string per row instead of lowercasing every cell per keystroke.
const searchTexts = new WeakMap<Row, string>();

function searchText(row: Row): string {
  let found = searchTexts.get(row);
  if (found === undefined) {
    found = row.cells.join('\u0000').toLowerCase();
    searchTexts.set(row, found);
  }
  return found;
}

function inContext(row: Row, context: string | null): boolean {
  if (context === null) return true;
  // A row that names no context is about the whole mesh: it stays.
  if (row.context === undefined && row.contexts === undefined) return true;
  return row.context === context || (row.contexts?.includes(context) ?? false);
}

function textMatcher(text: string): { inverted: boolean; matches: (row: Row) => boolean } {
  const trimmed = text.trim();
  const inverted = trimmed.startsWith('!');
  const needle = (inverted ? trimmed.slice(1) : trimmed).toLowerCase();
  if (needle === '') return { inverted, matches: () => true };
  const has = (row: Row): boolean => searchText(row).includes(needle);
  return { inverted, matches: inverted ? (row) => !has(row) : has };
}

/** Top-level rows with the indented rows under them. */
function groups(rows: readonly Row[]): { parent: Row; children: Row[] }[] {
  const out: { parent: Row; children: Row[] }[] = [];
  for (const row of rows) {
    const current = out.at(-1);
    if ((row.indent ?? 0) > 0 && current !== undefined) current.children.push(row);
    else out.push({ parent: row, children: [] });
  }
  return out;
}

function compute(model: TableModel, text: string, context: string | null): TableModel {
  const needle = textMatcher(text);
  const matches = (row: Row): boolean => inContext(row, context) && needle.matches(row);
  const rows: Row[] = [];
  for (const { parent, children } of groups(model.rows)) {
    if (needle.inverted) {
      // `!text` hides what mentions it: a parent that does goes with its children; a kept parent loses the children that do.
      if (matches(parent)) rows.push(parent, ...children.filter(matches));
      continue;
    }
    if (matches(parent)) {
      rows.push(parent, ...children);
      continue;
    }
    const kept = children.filter(matches);
    if (kept.length > 0) rows.push(parent, ...kept);
  }
  if (rows.length === model.rows.length) return model;
  const narrowed = [text.trim() !== '' ? `matching "${text.trim()}"` : '', context !== null ? `in ${context}` : ''].filter((s) => s !== '');
  return { ...model, rows, empty: model.rows.length === 0 ? model.empty : `no rows ${narrowed.join(' ')}` };
}

/**
 * The rows of `model` that pass the filter `text` and belong to `context` (null: every context).
 * The same object for the same model, text and context; the model itself when nothing is cut.
 */
export function filterTable(model: TableModel, text: string, context: string | null): TableModel {
  if (text.trim() === '' && context === null) return model;
  const hit = last.get(model);
  if (hit !== undefined && hit.text === text && hit.context === context) return hit.result;
  const result = compute(model, text, context);
  last.set(model, { text, context, result });
  return result;
}
