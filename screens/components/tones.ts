// A Tone's colour. Colour is a hint only: every tone also has words in the text it colours, so
// the console reads the same with NO_COLOR.
import type { Tone } from '../../src/console/types.ts';

const COLORS: Readonly<Record<Tone, string | undefined>> = {
  bad: 'red',
  warn: 'yellow',
  ok: 'green',
  muted: 'gray',
  accent: 'cyan',
  normal: undefined,
};

/** The Ink colour name for a tone; undefined draws in the terminal's default colour. */
export function toneColor(tone: Tone): string | undefined {
  return COLORS[tone];
}
