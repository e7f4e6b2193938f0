// Findings quote what clusters hold: log lines, labels, messages. Any of them can carry terminal
// escapes or newlines that would repaint an on-call engineer's terminal or break a pasted table.
// Text and Markdown print every such value through this: one line, control characters shown.

// C0 controls (tab and newline included: a value prints on one line), DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(value: string): string {
  return value.replace(CONTROL, (c) => {
    if (c === '\n') return '⏎';
    if (c === '\t') return ' ';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
