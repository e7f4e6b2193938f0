// Small builders for detail sections, so every detail reads alike: `label  value` lines, and a
// placeholder line instead of an empty section.
import type { DetailLine, DetailSection, Tone } from '../types.ts';

export function line(label: string, text: string | undefined, tone?: Tone): DetailLine {
  return { label, text: text === undefined || text === '' ? '-' : text, ...(tone !== undefined && { tone }) };
}

export function note(text: string, tone?: Tone): DetailLine {
  return { text, ...(tone !== undefined && { tone }) };
}

export function section(title: string, lines: readonly DetailLine[], whenEmpty = 'none'): DetailSection {
  return { title, lines: lines.length > 0 ? lines : [note(whenEmpty, 'muted')] };
}
