// The terminal's size, re-read on every resize (Ink's useWindowSize listens to stdout's resize).
// The App sizes its root box from this: a frame taller than `rows` makes Ink redraw everything.
//
// Known limit: on a shrink, Ink's own resize handler runs before this hook's listener and redraws
// the tree at its old height once (the terminal scrolls); React's update then redraws it at the
// new size, and from there on frames fit again (test/screens/app.test.ts checks that).
import { useWindowSize } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(): TerminalSize {
  const { columns, rows } = useWindowSize();
  return { columns, rows };
}
