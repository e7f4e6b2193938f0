// The help overlay as lines, from the one key table (src/console/keymap.ts KEY_BINDINGS): keys
// in a column, what they do beside them, grouped by section; action keys are left out with
// `--read-only`. When the lines do not fit the height, they flow into side-by-side columns.
import type { KeyBinding, KeySection } from '../../src/console/keymap.ts';
import { PANE_TITLES } from '../../src/console/keymap.ts';
import { fit, textLength } from '../components/tableLayout.ts';
import { wrapText } from '../components/wrapText.ts';

export const SECTIONS: readonly KeySection[] = ['Move', 'Panes', 'Logs', 'Checks and actions', 'General'];
/** Keys wider than this wrap their help under them rather than push it off the line. */
const MAX_KEYS = 18;
/** Between two columns of help. */
export const COLUMN_GAP = 3;
/** A column narrower than this is not worth it: fewer, cut columns read better. */
const MIN_COLUMN = 34;

export interface HelpEntry {
  keys: string;
  help: string;
}

export interface HelpLine {
  text: string;
  heading?: boolean;
}

/** The entries of one section; the number keys of the panes read as one line (`1–6`). */
export function sectionEntries(bindings: readonly KeyBinding[], section: KeySection, readOnly: boolean): HelpEntry[] {
  const inSection = bindings.filter((binding) => binding.section === section && !(readOnly && binding.action === true));
  const entries: HelpEntry[] = [];
  const digits = inSection.filter(
    (binding) => binding.command === 'pane' && binding.pane !== undefined && /^\d$/.test(binding.keys[0] ?? ''),
  );
  for (const binding of inSection) {
    if (digits.includes(binding)) {
      if (binding !== digits[0]) continue;
      const first = digits[0]?.keys[0] ?? '';
      const last = digits.at(-1)?.keys[0] ?? '';
      const names = digits.map((b) => (b.pane === undefined ? b.help : PANE_TITLES[b.pane])).join(', ');
      entries.push({ keys: digits.length > 1 ? `${first}–${last}` : first, help: `panes: ${names}` });
      continue;
    }
    entries.push({ keys: binding.keys.join(' '), help: binding.help });
  }
  return entries;
}

/**
 * All help lines for a column of `width`: section titles, then keys and wrapped help; `spaced`
 * puts a blank line between sections (left out when space is short). Keys wider than a third of
 * the column get a line of their own, so one long key list does not push every help text right.
 */
export function helpLines(bindings: readonly KeyBinding[], readOnly: boolean, width: number, spaced = true): HelpLine[] {
  const sections = SECTIONS.map((section) => ({ section, entries: sectionEntries(bindings, section, readOnly) })).filter(
    (s) => s.entries.length > 0,
  );
  const cap = Math.min(MAX_KEYS, Math.floor(width / 3));
  const keysWidth = Math.max(0, ...sections.flatMap((s) => s.entries.map((e) => textLength(e.keys))).filter((w) => w <= cap));
  const lines: HelpLine[] = [];
  sections.forEach(({ section, entries }, index) => {
    if (index > 0 && spaced) lines.push({ text: '' });
    lines.push({ text: section, heading: true });
    for (const entry of entries) {
      const keysFit = textLength(entry.keys) <= keysWidth;
      const lead = '  ' + (keysFit ? fit(entry.keys, keysWidth) : entry.keys) + '  ';
      if (!keysFit) lines.push({ text: lead.trimEnd() });
      const indent = '  ' + ' '.repeat(keysWidth) + '  ';
      wrapText(entry.help, Math.max(1, width - textLength(indent))).forEach((part, n) => {
        lines.push({ text: (n === 0 && keysFit ? lead : indent) + part });
      });
    }
  });
  return lines;
}

export interface HelpColumns {
  columns: HelpLine[][];
  columnWidth: number;
  /** Lines that fit nowhere (the terminal is too small for all of help). */
  hidden: number;
}

/**
 * Flows help into as few columns as make it fit `height`, dropping the blank lines between
 * sections before adding a column; a blank line never starts a column.
 */
export function helpColumns(bindings: readonly KeyBinding[], readOnly: boolean, width: number, height: number): HelpColumns {
  const maxColumns = Math.max(1, Math.floor((width + COLUMN_GAP) / (MIN_COLUMN + COLUMN_GAP)));
  let best: HelpColumns | undefined;
  for (let count = 1; count <= maxColumns; count += 1) {
    for (const spaced of [true, false]) {
      const columnWidth = Math.floor((width - COLUMN_GAP * (count - 1)) / count);
      let rest = helpLines(bindings, readOnly, columnWidth, spaced);
      const columns: HelpLine[][] = [];
      while (rest.length > 0 && columns.length < count) {
        while (rest[0]?.text === '') rest = rest.slice(1);
        let take = Math.min(height, rest.length);
        // Do not leave a section title alone at the bottom of a column.
        if (take < rest.length && take > 1 && rest[take - 1]?.heading === true) take -= 1;
        columns.push(rest.slice(0, take));
        rest = rest.slice(take);
      }
      best = { columns, columnWidth, hidden: rest.filter((line) => line.text !== '').length };
      if (best.hidden === 0) return best;
    }
  }
  return best as HelpColumns;
}
