// What the header says about each context, and how the badges pack into a few lines. Pure, so
// the wording and the packing are tested without Ink. Contexts that reach the same cluster are
// one entry (`admin@west = cluster-west ready …`); contexts in trouble come first; what does not
// fit in the lines given is summed up at the end (`+12 more ready`).
import type { ContextBadge, Tone } from '../../src/console/types.ts';
import { cut, oneLine, textLength } from './tableLayout.ts';

/** Between two badges on a line. */
export const BADGE_SEPARATOR = ' │ ';

export interface BadgePart {
  text: string;
  tone?: Tone;
}

export interface BadgeEntry {
  /** The contexts of this entry: one, or several reaching the same cluster. */
  contexts: readonly string[];
  /** The entry's status when its contexts agree, else each context's status is in the text. */
  status: string;
  tone: Tone;
  parts: readonly BadgePart[];
}

const TONE_RANK: Readonly<Record<Tone, number>> = { bad: 0, warn: 1, muted: 2, accent: 3, normal: 3, ok: 4 };

/** The worse of two tones, for an entry whose contexts disagree. */
function worse(a: Tone, b: Tone): Tone {
  return TONE_RANK[a] <= TONE_RANK[b] ? a : b;
}

/** Groups contexts that reach the same cluster: each group is listed once, in badge order. */
function groups(badges: readonly ContextBadge[]): ContextBadge[][] {
  const byContext = new Map(badges.map((badge) => [badge.context, badge]));
  const placed = new Set<string>();
  const result: ContextBadge[][] = [];
  for (const badge of badges) {
    if (placed.has(badge.context)) continue;
    const members = [badge];
    placed.add(badge.context);
    for (const other of badge.sameClusterAs) {
      const member = byContext.get(other);
      if (!member || placed.has(other)) continue;
      members.push(member);
      placed.add(other);
    }
    result.push(members);
  }
  return result;
}

function entryOf(members: readonly ContextBadge[]): BadgeEntry {
  const first = members[0] as ContextBadge;
  const tone = members.reduce<Tone>((acc, member) => worse(acc, member.tone), first.tone);
  const agree = members.every((member) => member.status === first.status);
  // An entry in trouble is coloured whole; a healthy one only in its status word.
  const troubled = TONE_RANK[tone] <= TONE_RANK.muted;
  const parts: BadgePart[] = [];
  const push = (text: string, statusTone?: Tone): void => {
    const shown = troubled ? tone : statusTone === 'normal' ? undefined : statusTone;
    const safe = oneLine(text);
    parts.push(shown === undefined ? { text: safe } : { text: safe, tone: shown });
  };
  members.forEach((member, index) => {
    if (index > 0) push(' = ');
    push(member.context);
    if (!agree) {
      push(' ');
      push(member.status, member.tone);
    }
  });
  if (agree) {
    push(' ');
    push(first.status, first.tone);
  }
  const withCluster = members.find((member) => member.clusterId !== undefined || member.network !== undefined);
  if (withCluster) push(` ${withCluster.clusterId ?? '?'}/${withCluster.network ?? '?'}`);
  const failing = Math.max(...members.map((member) => member.failing));
  // A count of failing checks means something only where checks could read the cluster.
  if (failing > 0 || tone === 'ok' || tone === 'warn') push(` ${failing} failing`);
  return { contexts: members.map((member) => member.context), status: agree ? first.status : 'mixed', tone, parts };
}

/** One entry per cluster reached (or per context), the ones in trouble first, otherwise in badge order. */
export function badgeEntries(badges: readonly ContextBadge[]): BadgeEntry[] {
  const entries = groups(badges).map(entryOf);
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => TONE_RANK[a.entry.tone] - TONE_RANK[b.entry.tone] || a.index - b.index)
    .map(({ entry }) => entry);
}

export function entryText(entry: BadgeEntry): string {
  return entry.parts.map((part) => part.text).join('');
}

/** `+12 more ready`, or `+14 more: 12 ready, 2 connecting` when the hidden contexts differ. */
export function summary(hidden: readonly BadgeEntry[]): string {
  const counts = new Map<string, number>();
  let total = 0;
  for (const entry of hidden) {
    counts.set(entry.status, (counts.get(entry.status) ?? 0) + entry.contexts.length);
    total += entry.contexts.length;
  }
  if (counts.size === 1) return `+${total} more ${[...counts.keys()][0] ?? ''}`;
  return `+${total} more: ${[...counts].map(([status, count]) => `${count} ${status}`).join(', ')}`;
}

/** A header line: entries (each cut to the width if it alone is wider) and maybe the summary at its end. */
export interface HeaderLine {
  entries: BadgeEntry[];
  summary?: string;
}

function pack(entries: readonly BadgeEntry[], width: number, tail: string | undefined): HeaderLine[] {
  const lines: HeaderLine[] = [];
  let current: HeaderLine = { entries: [] };
  let used = 0;
  const items: ({ entry: BadgeEntry } | { summary: string })[] = entries.map((entry) => ({ entry }));
  if (tail !== undefined) items.push({ summary: tail });
  for (const item of items) {
    const length = Math.min(width, textLength('entry' in item ? entryText(item.entry) : item.summary));
    const needed = current.entries.length === 0 && current.summary === undefined ? length : used + textLength(BADGE_SEPARATOR) + length;
    if (needed > width && (current.entries.length > 0 || current.summary !== undefined)) {
      lines.push(current);
      current = { entries: [] };
      used = 0;
    }
    used = current.entries.length === 0 ? length : used + textLength(BADGE_SEPARATOR) + length;
    if ('entry' in item) current.entries.push(item.entry);
    else current.summary = item.summary;
  }
  if (current.entries.length > 0 || current.summary !== undefined) lines.push(current);
  return lines;
}

/**
 * Packs the entries into at most `maxLines` lines of `width`: as many entries as fit, in order,
 * and when some do not, a summary of the rest at the end of the last line.
 */
export function headerLines(entries: readonly BadgeEntry[], width: number, maxLines: number): HeaderLine[] {
  if (maxLines <= 0 || width <= 0) return [];
  const all = pack(entries, width, undefined);
  if (all.length <= maxLines) return all;
  for (let shown = entries.length - 1; shown >= 0; shown -= 1) {
    const lines = pack(entries.slice(0, shown), width, summary(entries.slice(shown)));
    if (lines.length <= maxLines) return lines;
  }
  return [{ entries: [], summary: cut(summary(entries), width) }];
}
