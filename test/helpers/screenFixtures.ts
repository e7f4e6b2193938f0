// Set-up shared by the screen tests and the table bench: a pod-like column layout, an element
// rendered into a fake terminal for one test body, and the whole console opened on a
// TestConsole and closed again after each test.
import type { ReactElement } from 'react';
import React from 'react';
import { App } from '../../screens/App.ts';
import type { ColumnSpec } from '../../src/console/types.ts';
import type { TestConsole } from './consoleServices.ts';
import { renderTerminal } from './inkHarness.ts';
import type { Terminal } from './inkHarness.ts';

/** kubectl's pod columns, with drop priorities that exercise every narrowing step of the Table. */
export const POD_COLUMNS: readonly ColumnSpec[] = [
  { title: 'CONTEXT', min: 8, max: 24 },
  { title: 'NAMESPACE', min: 9, max: 20, drop: 2 },
  { title: 'NAME', min: 12, grow: 1 },
  { title: 'READY', min: 5, align: 'right' },
  { title: 'STATUS', min: 7, max: 18 },
  { title: 'RESTARTS', min: 8, align: 'right', drop: 1 },
  { title: 'AGE', min: 4, align: 'right' },
  { title: 'NODE', min: 8, max: 30, drop: 3 },
];

/** Renders `element` into a fake terminal, runs `body`, and unmounts even when `body` fails. */
export async function withTerminal(
  element: ReactElement,
  size: { columns: number; rows: number },
  body: (t: Terminal) => Promise<void>,
): Promise<void> {
  const terminal = renderTerminal(element, size);
  try {
    await body(terminal);
  } finally {
    await terminal.unmount();
  }
}

export interface OpenConsole {
  term: Terminal;
  console: TestConsole;
}

export interface ConsoleScreen {
  /** Renders the App on `console`'s services (80×24 unless told), to be closed by `close()`. */
  open(console: TestConsole, size?: { columns: number; rows: number }): OpenConsole;
  /** Unmounts the console opened last and disposes its store; for `afterEach`. */
  close(): Promise<void>;
}

export function consoleScreen(): ConsoleScreen {
  let current: OpenConsole | undefined;
  return {
    open(console, size = { columns: 80, rows: 24 }) {
      const term = renderTerminal(React.createElement(App, { services: console.services }), size);
      current = { term, console };
      return current;
    },
    async close() {
      if (!current) return;
      const { term, console } = current;
      current = undefined;
      await term.unmount();
      console.dispose();
    },
  };
}

/** The line marked `>`: the selected row, which reads without colour. */
export function selectedLine(term: Terminal): string {
  return term.lines().find((l) => l.startsWith('>')) ?? '';
}
