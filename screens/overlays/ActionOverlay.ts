// The guided action's screen, in place of the pane body while the flow is open: its title, the
// plan as a per-context diff with the dry run's answers (or the results and undo commands once
// applied), the prompt when a value must be typed, and the keys that act now. Only the lines that
// fit are drawn; j/k scroll. Status is in words (accepted, applied, REFUSED); colour only hints.
import React from 'react';
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { flowHints } from '../../src/console/actionFlow.ts';
import type { Tone } from '../../src/console/types.ts';
import { useActionFlow } from '../../hooks/useActionFlow.ts';
import { cut } from '../components/tableLayout.ts';
import { toneColor } from '../components/tones.ts';

const h = React.createElement;

/** Lines besides the body: title, prompt (or blank), hints. */
export const ACTION_CHROME_LINES = 3;

function toneOf(line: string): Tone {
  if (/\bREFUSED\b|Missing permissions|refused a step|No plan:|Failed:/.test(line)) return 'bad';
  if (/^\s+applied\b|^\s+accepted\b/.test(line)) return 'ok';
  if (/^\s+(~|-) /.test(line)) return 'accent';
  return 'normal';
}

export function ActionOverlay({ width, height }: { width: number; height: number }): ReactElement {
  const phase = useActionFlow((s) => s.phase);
  const title = useActionFlow((s) => s.title);
  const lines = useActionFlow((s) => s.lines);
  const scroll = useActionFlow((s) => s.scroll);
  const prompt = useActionFlow((s) => s.prompt);
  const buffer = useActionFlow((s) => s.buffer);
  const hints = useActionFlow(flowHints);
  const bodyHeight = Math.max(0, height - ACTION_CHROME_LINES);
  const shown = lines.slice(scroll, scroll + bodyHeight);
  const more = lines.length - scroll - shown.length;
  const phaseWord = { closed: '', input: 'input', working: 'working', confirm: 'confirm', blocked: 'cannot apply', done: 'done' }[phase];
  return h(
    Box,
    { flexDirection: 'column', width, height, overflow: 'hidden' },
    h(Text, { bold: true, wrap: 'truncate' }, cut(`Guided action: ${title} [${phaseWord}]`, width)),
    ...shown.map((line, i) => {
      const color = toneColor(toneOf(line));
      return h(Text, { key: `${scroll + i}`, wrap: 'truncate', ...(color !== undefined ? { color } : {}) }, cut(line, width) || ' ');
    }),
    h(Box, { flexGrow: 1 }),
    phase === 'input'
      ? h(Text, { wrap: 'truncate' }, cut(`${prompt ?? ''}${buffer ?? ''}`, width - 1), h(Text, { inverse: true }, ' '))
      : h(Text, { dimColor: true, wrap: 'truncate' }, more > 0 ? cut(`… ${more} more line(s)`, width) : ' '),
    h(Text, { dimColor: true, wrap: 'truncate' }, cut(hints, width)),
  );
}
