// The bottom line: the keys that matter where the user is. In read-only mode the action key is
// not offered at all (k9s removes dangerous actions rather than failing them).
import React from 'react';
import type { ReactElement } from 'react';
import type { InputMode } from '../src/console/keymap.ts';
import type { PaneId } from '../src/console/types.ts';
import { useServices } from '../hooks/useServices.ts';
import { useUi } from '../hooks/useSlices.ts';
import { OneLine } from './components/OneLine.ts';
import { cut } from './components/tableLayout.ts';

const h = React.createElement;

interface Hint {
  key: string;
  label: string;
  /** Hints with a higher number give way first when the line is too narrow (0: always shown). */
  drop: number;
}

export function hintsFor(
  mode: InputMode,
  pane: PaneId,
  options: { readOnly: boolean; paused: boolean; drilled: boolean },
): readonly Hint[] {
  if (mode === 'help')
    return [
      { key: 'Esc', label: 'close', drop: 0 },
      { key: '1-6', label: 'panes', drop: 1 },
      { key: 'q', label: 'quit', drop: 0 },
    ];
  if (mode === 'detail')
    return [
      { key: 'Esc', label: 'back', drop: 0 },
      { key: 'j/k', label: 'scroll', drop: 1 },
      { key: '?', label: 'help', drop: 0 },
      { key: 'q', label: 'quit', drop: 0 },
    ];
  const hints: Hint[] = [
    { key: '?', label: 'help', drop: 0 },
    { key: '/', label: 'filter', drop: 2 },
    { key: ':', label: 'command', drop: 4 },
    { key: 'Enter', label: pane === 'logs' && !options.drilled ? 'raw lines' : 'detail', drop: 1 },
  ];
  if (pane === 'logs') hints.push({ key: 'p', label: options.paused ? 'follow' : 'pause', drop: 1 });
  if (pane === 'logs' && options.drilled) hints.push({ key: 'Esc', label: 'back', drop: 1 });
  hints.push({ key: 'r', label: 're-run', drop: 3 });
  if (!options.readOnly) hints.push({ key: 'x', label: 'actions', drop: 2 });
  hints.push({ key: 'q', label: 'quit', drop: 0 });
  return hints;
}

const SEPARATOR = '  ';

/** The hints as one line of `width`: the least needed give way first, the rest keep their order. */
export function hintsText(hints: readonly Hint[], width: number): string {
  let shown = [...hints];
  const text = (): string => shown.map((hint) => `${hint.key} ${hint.label}`).join(SEPARATOR);
  while (text().length > width) {
    const worst = Math.max(...shown.map((hint) => hint.drop));
    if (worst === 0) break;
    const index = shown.map((hint) => hint.drop).lastIndexOf(worst);
    shown = shown.filter((_, i) => i !== index);
  }
  return cut(text(), width);
}

export function HintsLine({ width }: { width: number }): ReactElement {
  const { readOnly } = useServices().options;
  const mode = useUi((s) => s.mode);
  const pane = useUi((s) => s.pane);
  const paused = useUi((s) => s.logs.frozen !== undefined);
  const drilled = useUi((s) => s.logs.drill !== undefined);
  const text = hintsText(hintsFor(mode, pane, { readOnly, paused, drilled }), width);
  return h(OneLine, { width, dimColor: true }, text);
}
