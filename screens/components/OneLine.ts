// One line of the frame's chrome (status, hints, prompt): exactly `width` wide and one row tall,
// its text cut at the edge. A line that wrapped would make the frame taller than the terminal.
import React from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Box, Text } from 'ink';

const h = React.createElement;

export interface OneLineProps {
  width: number;
  /** Dimmed as a whole (the hints); parts of the line can still set their own colour. */
  dimColor?: boolean;
  children?: ReactNode;
}

export function OneLine({ width, dimColor, children }: OneLineProps): ReactElement {
  return h(Box, { width, height: 1, overflow: 'hidden' }, h(Text, { wrap: 'truncate', dimColor }, children));
}
