// The console's root. Its box is exactly the terminal's size, never taller: a frame taller than
// the terminal makes Ink erase and redraw everything on every update (tui-anchors §3.3). Top to
// bottom: the header (context badges), the pane tabs, the pane body (or an overlay), the status
// line, and the hints line (the `/` or `:` prompt while typing). All keys go through the one
// useInput of useKeyCommands; Ink's focus manager is not used.
import React from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Box } from 'ink';
import type { ConsoleServices } from '../src/console/services.ts';
import { CurrentViewContext, createCurrentViewStore, useCurrentViewReader } from '../hooks/useCurrentView.ts';
import { useKeyCommands } from '../hooks/useKeyCommands.ts';
import { ServicesContext } from '../hooks/useServices.ts';
import { useUi } from '../hooks/useSlices.ts';
import { useTerminalSize } from '../hooks/useTerminalSize.ts';
import { Body } from './Body.ts';
import { HeaderArea, headerHeight, useBadges } from './HeaderArea.ts';
import { HintsLine } from './HintsLine.ts';
import { CommandLine } from './overlays/CommandLine.ts';
import { PaneTabs } from './PaneTabs.ts';
import { StatusLine } from './StatusLine.ts';

const h = React.createElement;

/** Lines besides the header and the body: tabs, status, hints. */
const CHROME_LINES = 3;

/** At most 3 header lines at 24 rows, a few more on tall terminals, never so many that no body is left. */
export function headerLinesFor(rows: number): number {
  const wanted = rows <= 24 ? 3 : Math.min(8, Math.floor(rows / 6));
  return Math.max(0, Math.min(wanted, rows - CHROME_LINES - 2));
}

// Memoized: the root re-renders when the size, the mode or the badges change; the pane body and
// the lines below redraw only for their own slices.
const MemoBody = React.memo(Body);
const MemoTabs = React.memo(PaneTabs);
const MemoStatus = React.memo(StatusLine);
const MemoHints = React.memo(HintsLine);
const MemoCommandLine = React.memo(CommandLine);

function Console(): ReactElement {
  const { columns, rows } = useTerminalSize();
  useKeyCommands(useCurrentViewReader());
  const typing = useUi((s) => s.mode === 'filter' || s.mode === 'command');
  const badges = useBadges();
  const headerLines = headerHeight(badges, columns, headerLinesFor(rows));
  const bodyHeight = Math.max(0, rows - headerLines - CHROME_LINES);
  return h(
    Box,
    { flexDirection: 'column', width: columns, height: rows, overflow: 'hidden' },
    h(
      Box,
      { height: headerLines, width: columns, overflow: 'hidden', flexShrink: 0 },
      h(HeaderArea, { badges, width: columns, maxLines: headerLines }),
    ),
    h(MemoTabs, { width: columns }),
    h(Box, { height: bodyHeight, width: columns, overflow: 'hidden', flexShrink: 0 }, h(MemoBody, { width: columns, height: bodyHeight })),
    h(MemoStatus, { width: columns }),
    typing ? h(MemoCommandLine, { width: columns }) : h(MemoHints, { width: columns }),
  );
}

/** The contexts every console component reads: the services, and what the pane on screen shows. */
export function ConsoleProviders({ services, children }: { services: ConsoleServices; children?: ReactNode }): ReactElement {
  const [currentView] = React.useState(createCurrentViewStore);
  return h(ServicesContext.Provider, { value: services }, h(CurrentViewContext.Provider, { value: currentView }, children));
}

export function App({ services }: { services: ConsoleServices }): ReactElement {
  return h(ConsoleProviders, { services }, h(Console));
}
