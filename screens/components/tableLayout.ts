// The Table's arithmetic, without Ink: which rows are in view, how wide each column is, which
// columns a narrow terminal drops, and how a cell is cut. Kept pure so it is tested as plain
// functions and so the app can show the same position (`row 12/340`) the table uses.
import type { ColumnSpec, Row, Tone } from '../../src/console/types.ts';

/** Two columns of gutter before the first cell: `> ` on the selected row, so it reads without colour. */
export const GUTTER = 2;
/** Spaces between columns: one space makes `Running 0` ambiguous when read without colour. */
export const GAP = 2;
/** Spaces per indent level (a symptom under its root cause). */
export const INDENT = 2;
export const ELLIPSIS = '…';

export interface TableWindow {
  /** Index of the first row in view. */
  start: number;
  /** One past the last row in view. */
  end: number;
}

/**
 * The rows in view for `height` body rows. The window stays where it was (`previousStart`) while
 * the selection is inside it, and moves only as far as needed to bring the selection back into
 * view; it never shows blank rows past the end when there are rows above to show instead.
 * `selectedIndex` -1 means nothing is selected.
 */
export function visibleWindow(rowCount: number, selectedIndex: number, height: number, previousStart = 0): TableWindow {
  const size = Math.max(0, height);
  if (rowCount <= size) return { start: 0, end: rowCount };
  let start = Math.max(0, Math.min(previousStart, rowCount - size));
  if (selectedIndex >= 0 && selectedIndex < rowCount) {
    if (selectedIndex < start) start = selectedIndex;
    else if (selectedIndex >= start + size) start = selectedIndex - size + 1;
  }
  return { start, end: start + size };
}

/** Where the window was, and on which row the selection sat. */
export interface WindowMemory {
  start: number;
  selectedKey: string | undefined;
  selectedIndex: number;
}

/**
 * The start to carry into `visibleWindow` after an update. When the selected object is the same
 * but rows came or went above it, the window shifts with it, so the selected row stays on the
 * same screen line instead of being pushed down (or out of view) by rows it has nothing to do with.
 */
export function carriedStart(memory: WindowMemory | undefined, selectedKey: string | undefined, selectedIndex: number): number {
  if (!memory) return 0;
  if (selectedKey !== undefined && selectedKey === memory.selectedKey && selectedIndex >= 0 && memory.selectedIndex >= 0) {
    return Math.max(0, memory.start + (selectedIndex - memory.selectedIndex));
  }
  return memory.start;
}

/** Length in code points: our cells are ASCII or narrow symbols, wide characters are rare. */
export function textLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

/** Cuts `text` to `width` code points, marking a cut with `…`. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  const points = Array.from(text);
  if (points.length <= width) return text;
  return points.slice(0, width - 1).join('') + ELLIPSIS;
}

/** Cuts or pads `text` to exactly `width` code points. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cutText = cut(text, width);
  const padding = ' '.repeat(Math.max(0, width - textLength(cutText)));
  return align === 'right' ? padding + cutText : cutText + padding;
}

// C0 controls, DEL and C1 controls (ESC among them).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from the cluster (a log line, a condition message) made safe for one terminal line:
 * control characters become spaces, so a newline cannot make a row two lines tall (and the frame
 * taller than the terminal) and an escape sequence in a log line cannot reach the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** A cell's text as shown: the first cell carries the row's indent. */
export function cellText(row: Row, column: number): string {
  const text = oneLine(row.cells[column] ?? '');
  return column === 0 && row.indent ? ' '.repeat(INDENT * row.indent) + text : text;
}

export interface ColumnLayout {
  /** Index into the model's columns and each row's cells. */
  index: number;
  width: number;
  align: 'left' | 'right';
}

/**
 * Each column's natural width: as wide as its title and its widest cell in `rows`, within
 * [min, max]. `floor` (the widths used last time, same columns) keeps a column from narrowing
 * while the pane stays the same, so a cell that shrinks does not shift every row on screen.
 */
export function naturalWidths(columns: readonly ColumnSpec[], rows: readonly Row[], floor?: readonly number[]): number[] {
  return columns.map((spec, index) => {
    let widest = textLength(spec.title);
    for (const row of rows) widest = Math.max(widest, textLength(cellText(row, index)));
    widest = Math.max(widest, floor?.[index] ?? 0);
    const capped = spec.max === undefined ? widest : Math.min(widest, spec.max);
    return Math.max(spec.min, capped);
  });
}

/**
 * Fits the columns into `width` terminal columns (gutter included): drops the columns with the
 * highest `drop` first while their natural widths do not fit, narrows the widest columns
 * toward their minimum when the natural widths do not fit, and hands spare width to the columns
 * that `grow`. The result always fits `width` unless the never-dropped columns alone are wider.
 */
export function layoutColumns(columns: readonly ColumnSpec[], natural: readonly number[], width: number): ColumnLayout[] {
  const available = Math.max(0, width - GUTTER);
  let kept = columns.map((_, index) => index);
  const total = (indices: readonly number[], widthOf: (index: number) => number): number =>
    indices.reduce((sum, index) => sum + widthOf(index), 0) + GAP * Math.max(0, indices.length - 1);
  const minOf = (index: number): number => Math.min(columns[index]?.min ?? 0, natural[index] ?? 0);
  // Dropping a whole column reads better than cutting every column to a stub, so droppable
  // columns go while the natural widths do not fit; the rest are then narrowed. A free-text
  // column (`rest`: a message, a log line) counts at its minimum here: its natural width is the
  // longest message, which would otherwise push out every other column, CONTEXT included.
  const dropWidthOf = (index: number): number =>
    columns[index]?.rest === true ? Math.min(columns[index]?.min ?? 0, natural[index] ?? 0) : (natural[index] ?? 0);
  while (total(kept, dropWidthOf) > available) {
    // The droppable column with the highest `drop`; among equals, the rightmost.
    let victim = -1;
    for (const index of kept) {
      const drop = columns[index]?.drop ?? 0;
      if (drop > 0 && (victim === -1 || drop >= (columns[victim]?.drop ?? 0))) victim = index;
    }
    if (victim === -1) break;
    kept = kept.filter((index) => index !== victim);
  }

  const widths = new Map(kept.map((index) => [index, natural[index] ?? 0]));
  let excess = total(kept, (index) => widths.get(index) ?? 0) - available;
  while (excess > 0) {
    // Narrow the widest column that can still give, one cell at a time: long names share the cut.
    let widest = -1;
    for (const index of kept) {
      const current = widths.get(index) ?? 0;
      if (current > minOf(index) && (widest === -1 || current > (widths.get(widest) ?? 0))) widest = index;
    }
    if (widest === -1) break;
    widths.set(widest, (widths.get(widest) ?? 0) - 1);
    excess -= 1;
  }

  if (excess < 0) {
    const growers = kept.filter((index) => (columns[index]?.grow ?? 0) > 0);
    const shares = growers.reduce((sum, index) => sum + (columns[index]?.grow ?? 0), 0);
    let spare = -excess;
    for (const index of growers) {
      const spec = columns[index] as ColumnSpec;
      const room = spec.max === undefined ? Infinity : Math.max(0, spec.max - (widths.get(index) ?? 0));
      const share = Math.min(room, Math.floor((-excess * (spec.grow ?? 0)) / shares));
      widths.set(index, (widths.get(index) ?? 0) + share);
      spare -= share;
    }
    // What floor() left over goes to the first growers that still have room.
    for (const index of growers) {
      if (spare <= 0) break;
      const spec = columns[index] as ColumnSpec;
      if (spec.max !== undefined && (widths.get(index) ?? 0) >= spec.max) continue;
      widths.set(index, (widths.get(index) ?? 0) + 1);
      spare -= 1;
    }
  }

  return kept.map((index) => ({ index, width: widths.get(index) ?? 0, align: columns[index]?.align ?? 'left' }));
}

/** A run of text in one tone: a line is drawn as a list of these. */
export interface Segment {
  text: string;
  tone?: Tone;
}

/**
 * One table line as segments: gutter (`> ` when selected), then each laid-out cell cut or padded
 * to its width, separated by GAP. `padToWidth` pads the line to the full table width (the
 * selected row is drawn inverse across the table); otherwise trailing spaces are left off.
 */
export function lineSegments(
  cells: (column: number) => string,
  tones: (column: number) => Tone | undefined,
  layout: readonly ColumnLayout[],
  options: { selected: boolean; width: number; padToWidth: boolean },
): Segment[] {
  const segments: Segment[] = [{ text: options.selected ? '> ' : '  ' }];
  layout.forEach((column, position) => {
    if (position > 0) segments.push({ text: ' '.repeat(GAP) });
    const tone = tones(column.index);
    segments.push(
      tone === undefined
        ? { text: fit(cells(column.index), column.width, column.align) }
        : { text: fit(cells(column.index), column.width, column.align), tone },
    );
  });
  const used = segments.reduce((sum, segment) => sum + textLength(segment.text), 0);
  if (options.padToWidth) {
    if (used < options.width) segments.push({ text: ' '.repeat(options.width - used) });
    return segments;
  }
  // Trim trailing spaces: fewer bytes, and nothing to see there.
  while (segments.length > 0) {
    const last = segments.at(-1) as Segment;
    const trimmed = last.text.trimEnd();
    if (trimmed.length > 0) {
      segments[segments.length - 1] = { ...last, text: trimmed };
      break;
    }
    segments.pop();
  }
  return segments;
}
