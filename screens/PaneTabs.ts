// The pane tab line: `1 Overview  [2 Pods]  3 Gateways …`. The current pane is bracketed as well
// as inverse, so it reads without colour; every label keeps its width, so switching panes
// rewrites only the few characters that changed.
import React from 'react';
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { PANE_TITLES } from '../src/console/keymap.ts';
import { PANES } from '../src/console/types.ts';
import { useServices } from '../hooks/useServices.ts';
import { useUi } from '../hooks/useSlices.ts';
import { cut } from './components/tableLayout.ts';

const h = React.createElement;

export function PaneTabs({ width }: { width: number }): ReactElement {
  const pane = useUi((s) => s.pane);
  const { source } = useServices().options;
  const tabs = PANES.map((id, i) => {
    const label = `${i + 1} ${PANE_TITLES[id]}`;
    return id === pane ? h(Text, { key: id, inverse: true, bold: true }, `[${label}]`) : h(Text, { key: id }, ` ${label} `);
  });
  const used = PANES.reduce((n, id, i) => n + `${i + 1} ${PANE_TITLES[id]}`.length + 2, 0) + PANES.length - 1;
  const room = width - used - 2;
  return h(
    Box,
    { width, height: 1, overflow: 'hidden' },
    h(Box, { gap: 1, flexShrink: 0 }, ...tabs),
    room > 4 ? h(Box, { flexGrow: 1, justifyContent: 'flex-end' }, h(Text, { dimColor: true, wrap: 'truncate' }, cut(source, room))) : null,
  );
}
