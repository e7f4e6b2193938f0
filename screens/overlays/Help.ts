// The help overlay (`?`): every key the console answers to, generated from the key table, so
// help cannot drift from what the keys do; with `--read-only` the action keys are not there.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { KeyBinding } from '../../src/console/keymap.ts';
import { cut, fit } from '../components/tableLayout.ts';
import { toneColor } from '../components/tones.ts';
import { COLUMN_GAP, helpColumns, type HelpLine } from './helpLayout.ts';

const h = React.createElement;

export interface HelpProps {
  bindings: readonly KeyBinding[];
  width: number;
  height: number;
  readOnly: boolean;
}

export function Help({ bindings, width, height, readOnly }: HelpProps): ReactElement {
  const bodyHeight = Math.max(0, height - 1);
  const { columns, columnWidth, hidden } = React.useMemo(
    () => helpColumns(bindings, readOnly, width, bodyHeight),
    [bindings, readOnly, width, bodyHeight],
  );
  const mode = readOnly ? ' · read-only: action keys are off' : '';
  const more = hidden > 0 ? ` · ${hidden} lines hidden: enlarge the terminal` : '';
  const rows = Array.from({ length: Math.max(0, ...columns.map((column) => column.length)) }, (_, row) => row);
  const cell = (line: HelpLine | undefined, last: boolean): string => {
    const text = cut(line?.text ?? '', columnWidth);
    // Ink gives an empty Text no height: a blank line is one space.
    return last ? text || ' ' : fit(text, columnWidth) + ' '.repeat(COLUMN_GAP);
  };
  return h(
    Box,
    { flexDirection: 'column', width, height, overflow: 'hidden' },
    h(
      Text,
      { key: '\0title', wrap: 'truncate' },
      h(Text, { bold: true }, 'Keys'),
      h(Text, { color: toneColor('muted') }, `  Esc closes${more}${mode}`),
    ),
    ...rows.map((row) =>
      h(
        Text,
        { key: String(row), wrap: 'truncate' },
        ...columns.map((column, index) => {
          const line = column[row];
          const text = cell(line, index === columns.length - 1);
          return line?.heading === true ? h(Text, { bold: true }, text) : text;
        }),
      ),
    ),
  );
}
