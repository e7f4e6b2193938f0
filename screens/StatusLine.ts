// The status line: where the cursor is (`12/340`), what narrows the rows (`/ztunnel`, `ctx: east`),
// `paused, 3 new` for the logs, the latest message, and on the right when the checks last ran and
// how many fail. Each part is a primitive from its own selector, so a commit that changes none of
// them does not redraw the line.
import React from 'react';
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { selectLogSignatures } from '../src/store/selectors.ts';
import type { MeshState } from '../src/store/types.ts';
import { activeFilter } from '../src/console/uiStore.ts';
import type { FindingsState } from '../src/console/services.ts';
import { useViewPosition } from '../hooks/useCurrentView.ts';
import { useFindings, useMesh, useUi } from '../hooks/useSlices.ts';
import { OneLine } from './components/OneLine.ts';
import { cut, textLength } from './components/tableLayout.ts';
import { toneColor } from './components/tones.ts';

const h = React.createElement;

function logLines(state: MeshState): number {
  return selectLogSignatures(state).reduce((n, s) => n + s.count, 0);
}

/** `evaluated 10:42:01, 2 fail` (UTC, like the timestamps in the logs). */
export function checksSummary(state: FindingsState): string {
  if (state.rerunning) return 're-running checks…';
  if (state.evaluation === undefined || state.evaluatedAt === undefined) return 'checks: not run yet';
  const fails = state.evaluation.findings.filter((f) => f.severity === 'fail').length;
  const at = new Date(state.evaluatedAt).toISOString().slice(11, 19);
  return `evaluated ${at}, ${fails === 0 ? 'none fail' : `${fails} fail`}`;
}

export function StatusLine({ width }: { width: number }): ReactElement {
  const position = useViewPosition();
  const filter = useUi((s) => (s.mode === 'filter' ? '' : activeFilter(s)));
  const context = useUi((s) => s.context);
  const frozen = useUi((s) => s.logs.frozen);
  const message = useUi((s) => s.message);
  const newLines = useMesh((s) => (frozen === undefined ? 0 : Math.max(0, logLines(s) - logLines(frozen))));
  const checks = useFindings(checksSummary);
  const fails = useFindings((s) => s.evaluation?.findings.some((f) => f.severity === 'fail') ?? false);

  const parts = [position];
  if (filter !== '') parts.push(`/${filter}`);
  if (context !== null) parts.push(`ctx: ${context}`);
  if (frozen !== undefined) parts.push(`paused, ${newLines} new`);
  const left = parts.join('  ');
  const room = Math.max(0, width - textLength(checks) - 1);
  const leftText = cut(left, room);
  const messageRoom = Math.max(0, room - textLength(leftText) - 2);
  const messageText = message && messageRoom > 3 ? cut(message.text, messageRoom) : '';
  const gap = Math.max(1, width - textLength(leftText) - (messageText ? textLength(messageText) + 2 : 0) - textLength(checks));
  return h(
    OneLine,
    { width },
    leftText,
    messageText ? h(Text, { color: message ? toneColor(message.tone) : undefined }, `  ${messageText}`) : '',
    ' '.repeat(gap),
    h(Text, { color: fails ? toneColor('bad') : undefined }, checks),
  );
}
