// The header: one badge per context (or per cluster, when several contexts reach it), status in
// words so it reads without colour, the ones in trouble first and coloured, packed into at most
// `maxLines` lines with the rest summed up (`+12 more ready`). Wording and packing: headerLayout.ts.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReactElement, ReactNode } from 'react';
import type { ContextBadge } from '../../src/console/types.ts';
import { BADGE_SEPARATOR, badgeEntries, entryText, headerLines, type BadgeEntry } from './headerLayout.ts';
import { cut, textLength } from './tableLayout.ts';
import { toneColor } from './tones.ts';

const h = React.createElement;

export interface HeaderProps {
  badges: readonly ContextBadge[];
  width: number;
  maxLines: number;
}

/** An entry's parts, cut as a whole to `width` when the entry alone is wider than the line. */
function entryNodes(entry: BadgeEntry, width: number): ReactNode[] {
  const nodes: ReactNode[] = [];
  let room = width;
  const whole = textLength(entryText(entry));
  for (const part of entry.parts) {
    if (room <= 0) break;
    const text = whole > width ? cut(part.text, room) : part.text;
    // A part cut short ends the entry: `cut` already put the `…` there.
    const isLast = text !== part.text;
    room -= textLength(text);
    const color = part.tone === undefined ? undefined : toneColor(part.tone);
    nodes.push(color === undefined ? text : h(Text, { color }, text));
    if (isLast) break;
  }
  return nodes;
}

export function Header({ badges, width, maxLines }: HeaderProps): ReactElement {
  const entries = React.useMemo(() => badgeEntries(badges), [badges]);
  const lines = headerLines(entries, width, maxLines);
  return h(
    Box,
    { flexDirection: 'column', width },
    ...lines.map((line, index) => {
      const nodes: ReactNode[] = [];
      line.entries.forEach((entry, position) => {
        if (position > 0) nodes.push(BADGE_SEPARATOR);
        nodes.push(...entryNodes(entry, width));
      });
      if (line.summary !== undefined) {
        if (line.entries.length > 0) nodes.push(BADGE_SEPARATOR);
        nodes.push(h(Text, { color: toneColor('muted') }, line.summary));
      }
      return h(Text, { key: String(index), wrap: 'truncate' }, ...nodes);
    }),
  );
}
