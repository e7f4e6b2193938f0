// Word wrapping by code points for the overlays: long messages (a condition's message, a log
// line) wrap at spaces, and a word longer than the line (a URL, a SPIFFE id) is broken hard.
import { oneLine, textLength } from './tableLayout.ts';

/** Splits `text` into lines of at most `width` code points; newlines are kept, other control characters become spaces. */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of text.split('\n').map(oneLine)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      // A word that does not fit even on a line of its own is broken hard.
      while (textLength(rest) > width) {
        if (line !== '') {
          lines.push(line);
          line = '';
        }
        const points = Array.from(rest);
        lines.push(points.slice(0, width).join(''));
        rest = points.slice(width).join('');
      }
      if (line === '') line = rest;
      else if (textLength(line) + 1 + textLength(rest) <= width) line += ' ' + rest;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
