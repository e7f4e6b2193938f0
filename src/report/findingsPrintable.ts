// Findings quote what clusters hold: log lines, labels, messages. Any of them can carry terminal
// escapes or newlines that would repaint an on-call engineer's terminal or break a pasted table,
// and Unicode format characters (U+202E and the other bidirectional overrides, zero-width
// characters) that make a terminal draw something other than what is there.
// Text and Markdown print every such value through this: one line, nothing invisible obeyed.

// C0 controls (tab and newline included: a value prints on one line), DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Format characters, and the line and paragraph separators some terminals break lines on.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/gu;

export function printable(value: string): string {
  return value
    .replace(CONTROL, (c) => {
      if (c === '\n') return '⏎';
      if (c === '\t') return ' ';
      return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    })
    .replace(INVISIBLE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}
