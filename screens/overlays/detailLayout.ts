// The detail view as lines: the model's sections, each under its title, label/value lines with
// the labels in a column and the values wrapped beside them. Pure, so the app can know how far
// a detail scrolls and the wrapping is tested without Ink.
import type { DetailModel, Tone } from '../../src/console/types.ts';
import { fit, oneLine, textLength } from '../components/tableLayout.ts';
import { wrapText } from '../components/wrapText.ts';

/**
 * Labels wider than this are cut: the value matters more than a long label. Wide enough for the
 * longest condition type a reader must tell apart (`gloo.solo.io/PeerDataPlaneProgrammed`, 36),
 * but never more than 40 % of the width.
 */
const MAX_LABEL = 36;
const MAX_LABEL_SHARE = 0.4;
/** Values and free text start this far in under their section's title. */
const INDENT = 2;

export interface DetailLine {
  text: string;
  tone?: Tone;
  /** A section title (drawn bold). */
  heading?: boolean;
}

/** Every line of the detail's body (the title is not part of it: it stays on top while the body scrolls). */
export function detailLines(model: DetailModel, width: number): DetailLine[] {
  const lines: DetailLine[] = [];
  model.sections.forEach((section, index) => {
    if (index > 0) lines.push({ text: '' });
    lines.push({ text: oneLine(section.title), heading: true });
    const labelWidth = Math.min(
      MAX_LABEL,
      Math.floor(width * MAX_LABEL_SHARE),
      Math.max(0, ...section.lines.map((line) => (line.label === undefined ? 0 : textLength(line.label)))),
    );
    for (const line of section.lines) {
      const tone = line.tone === undefined ? {} : { tone: line.tone };
      const prefix = line.label === undefined ? ' '.repeat(INDENT) : ' '.repeat(INDENT) + fit(oneLine(line.label), labelWidth) + '  ';
      const valueWidth = Math.max(1, width - textLength(prefix));
      const wrapped = wrapText(line.text, valueWidth);
      wrapped.forEach((part, n) => {
        const lead = n === 0 ? prefix : ' '.repeat(textLength(prefix));
        lines.push({ text: (lead + part).trimEnd(), ...tone });
      });
    }
    if (section.lines.length === 0) lines.push({ text: ' '.repeat(INDENT) + '(none)', tone: 'muted' });
  });
  return lines;
}

/** The first body line shown for a requested `scroll`: never past the point where the last line reaches the bottom. */
export function clampScroll(scroll: number, lineCount: number, bodyHeight: number): number {
  return Math.max(0, Math.min(scroll, lineCount - bodyHeight));
}
