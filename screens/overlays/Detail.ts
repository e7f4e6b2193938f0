// The detail overlay (Enter on a row): the title on top, the model's sections below it, scrolled
// by the ui store's detailScroll (clamped here, so `G` can ask for "the end" with a huge number).
// The title line says which lines are shown when the body is longer than the screen.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { DetailModel } from '../../src/console/types.ts';
import { cut, oneLine, textLength } from '../components/tableLayout.ts';
import { toneColor } from '../components/tones.ts';
import { clampScroll, detailLines } from './detailLayout.ts';

const h = React.createElement;
/** Ink gives an empty Text no height: a blank line is one space. */
const BLANK = ' ';

export interface DetailProps {
  model: DetailModel;
  width: number;
  height: number;
  /** Body lines scrolled past (clamped to what there is). */
  scroll: number;
}

export function Detail({ model, width, height, scroll }: DetailProps): ReactElement {
  const lines = React.useMemo(() => detailLines(model, width), [model, width]);
  const bodyHeight = Math.max(0, height - 1);
  const start = clampScroll(scroll, lines.length, bodyHeight);
  const shown = lines.slice(start, start + bodyHeight);
  const position = lines.length > bodyHeight ? `lines ${start + 1}–${start + shown.length} of ${lines.length} · Esc back` : 'Esc back';
  const titleWidth = Math.max(0, width - textLength(position) - 2);
  const title = cut(oneLine(model.title), titleWidth);
  const gap = ' '.repeat(Math.max(1, width - textLength(title) - textLength(position)));
  return h(
    Box,
    { flexDirection: 'column', width, height, overflow: 'hidden' },
    h(Text, { key: '\0title', wrap: 'truncate' }, h(Text, { bold: true }, title), h(Text, { color: toneColor('muted') }, gap + position)),
    ...shown.map((line, index) => {
      const color = line.tone === undefined ? undefined : toneColor(line.tone);
      return h(
        Text,
        { key: String(start + index), wrap: 'truncate', bold: line.heading === true, ...(color === undefined ? {} : { color }) },
        line.text || BLANK,
      );
    }),
  );
}
