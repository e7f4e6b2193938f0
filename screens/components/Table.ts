// The console's table: a header and only the rows that fit, the selected row kept in view.
//
// Why our own: ink-table 3.1.0 cannot load under Ink 8 (CommonJS requiring an ES module with
// top-level await: ERR_REQUIRE_ASYNC_MODULE), and its ES-module fork @alcalzone/ink-table renders
// every row, so a 1,000-row pane makes a frame far taller than the terminal, and Ink then erases
// and redraws the whole screen on every update (tui-anchors §3.3). Measured by
// test/bench/table.bench.ts (1,000 rows, one status flips per update, 50 updates, 100×30):
//
//                              ours (windowed)   @alcalzone/ink-table
//   frame height (30 rows)     30 lines          2,003 lines
//   full-screen redraws        0 of 50           50 of 50
//   bytes written per update   157               419,745
//   CPU per update (median)    12 ms             1,760 ms
//
// (NODE_ENV=production, 2 shared cores under load average ~13, 2026-12-02; wall-clock medians
// 30 ms vs 2,047 ms. Rerun with `NODE_ENV=production npm run bench -- table`.)
//
// Layout arithmetic lives in tableLayout.ts. Rows that did not change produce identical text, so
// Ink's incremental renderer skips them; the selected row is inverse AND marked `>`.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReactElement, ReactNode } from 'react';
import type { TableModel, Tone } from '../../src/console/types.ts';
import {
  cellText,
  carriedStart,
  cut,
  layoutColumns,
  oneLine,
  lineSegments,
  naturalWidths,
  visibleWindow,
  type Segment,
  type WindowMemory,
} from './tableLayout.ts';
import { toneColor } from './tones.ts';

const h = React.createElement;

export interface TableProps {
  model: TableModel;
  /** Terminal columns the table may use. */
  width: number;
  /** Lines the table may use, header included: at most `height - 1` rows are drawn. */
  height: number;
  /** Row.key of the selected row; the window follows it. */
  selectedKey?: string | undefined;
  /** The pane has the keyboard: the selected row is drawn inverse (it is marked `>` either way). */
  active?: boolean;
}

/** Column widths used last time, kept while the same columns are shown at the same width. */
interface WidthMemory {
  signature: string;
  widths: number[];
}

export function Table({ model, width, height, selectedKey, active = true }: TableProps): ReactElement {
  const windowMemory = React.useRef<WindowMemory | undefined>(undefined);
  const widthMemory = React.useRef<WidthMemory | undefined>(undefined);

  const bodyHeight = Math.max(0, height - 1);
  const rows = model.rows;
  const selectedIndex = selectedKey === undefined ? -1 : rows.findIndex((row) => row.key === selectedKey);
  const window = visibleWindow(rows.length, selectedIndex, bodyHeight, carriedStart(windowMemory.current, selectedKey, selectedIndex));
  windowMemory.current = { start: window.start, selectedKey, selectedIndex };
  const visible = rows.slice(window.start, window.end);

  const signature = `${width}|${model.columns.map((column) => column.title).join('|')}`;
  const floor = widthMemory.current?.signature === signature ? widthMemory.current.widths : undefined;
  const natural = naturalWidths(model.columns, visible, floor);
  widthMemory.current = { signature, widths: natural };
  const layout = layoutColumns(model.columns, natural, width);

  const header = lineSegments(
    (column) => model.columns[column]?.title ?? '',
    () => undefined,
    layout,
    { selected: false, width, padToWidth: false },
  );
  const lines: ReactNode[] = [h(Text, { key: '\0header', bold: true, wrap: 'truncate' }, segmentsText(header))];

  if (rows.length === 0) {
    lines.push(
      h(Text, { key: '\0empty', color: toneColor('muted'), wrap: 'truncate' }, '  ' + cut(oneLine(model.empty), Math.max(0, width - 2))),
    );
  }
  visible.forEach((row, offset) => {
    const selected = window.start + offset === selectedIndex;
    const segments = lineSegments(
      (column) => cellText(row, column),
      (column): Tone | undefined => row.cellTones?.[column] ?? row.tone,
      layout,
      { selected, width, padToWidth: selected && active },
    );
    lines.push(h(Text, { key: row.key, wrap: 'truncate', inverse: selected && active }, ...segments.map(segmentNode)));
  });

  return h(Box, { flexDirection: 'column', width, height, overflow: 'hidden' }, ...lines);
}

function segmentsText(segments: readonly Segment[]): string {
  return segments.map((segment) => segment.text).join('');
}

function segmentNode(segment: Segment): ReactNode {
  const color = segment.tone === undefined ? undefined : toneColor(segment.tone);
  return color === undefined ? segment.text : h(Text, { color }, segment.text);
}
