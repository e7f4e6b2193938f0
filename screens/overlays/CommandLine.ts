// The `/` and `:` prompt, in place of the hints line while typing. The rows narrow as the filter is
// typed; Enter keeps it (or runs the command), Esc cancels.
import React from 'react';
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { COMMAND_LINE_NAMES } from '../../src/console/keymap.ts';
import { useUi } from '../../hooks/useSlices.ts';
import { OneLine } from '../components/OneLine.ts';
import { cut, textLength } from '../components/tableLayout.ts';

const h = React.createElement;

export function CommandLine({ width }: { width: number }): ReactElement {
  const mode = useUi((s) => s.mode);
  const buffer = useUi((s) => s.buffer);
  const prompt = mode === 'command' ? ':' : '/';
  const hint = mode === 'command' ? `Enter run  Esc cancel  (${COMMAND_LINE_NAMES})` : 'Enter keep  Esc cancel  (!text excludes)';
  // The end of what is typed stays visible when it is longer than the line.
  const typedRoom = Math.max(1, width - 2);
  const typed = textLength(buffer) > typedRoom - 1 ? [...buffer].slice(-(typedRoom - 1)).join('') : buffer;
  const hintRoom = width - 1 - textLength(typed) - 1 - 2;
  return h(
    OneLine,
    { width },
    prompt,
    typed,
    h(Text, { inverse: true }, ' '),
    hintRoom > 8 ? h(Text, { dimColor: true }, `  ${cut(hint, hintRoom)}`) : '',
  );
}
