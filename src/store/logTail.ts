// The raw failure lines behind the log signatures, newest last, so the logs pane can drill down
// from "HBONE 15008 timeout ×312" to the lines themselves. Only lines that classify as a failure
// signature are kept (the same classification as the signature table), a bounded number per
// context: a chatty ztunnel cannot grow the store without limit, and info lines never make a
// new state (the no-op rule of applyUpdates.ts).
import { classifyRecord, MAX_EXAMPLE_CHARS } from '../mesh/logSignatures.ts';
import type { LogRecord } from '../mesh/ztunnelLog.ts';
import type { LogTailLine } from './types.ts';

/** The newest lines kept per context. */
export const MAX_TAIL_LINES = 500;

export interface TailOrigin {
  context: string;
  /** `namespace/pod`, when known. */
  source?: string;
  /** Fallback time for records without a timestamp. */
  seenAt: string;
}

/** The line as shown: bounded like a signature's examples. */
function boundedText(raw: string): string {
  return raw.length > MAX_EXAMPLE_CHARS ? `${raw.slice(0, MAX_EXAMPLE_CHARS)}…` : raw;
}

/**
 * `tail` with the failure records appended and the oldest dropped beyond MAX_TAIL_LINES; the
 * same array when no record was a failure. Keys count up per context from the last line kept,
 * so a line keeps its key for as long as it is in the tail and no two lines share one.
 */
export function appendToTail(tail: readonly LogTailLine[], records: readonly LogRecord[], origin: TailOrigin): readonly LogTailLine[] {
  let added: LogTailLine[] | undefined;
  let seq = tail.length > 0 ? (tail[tail.length - 1] as LogTailLine).seq : 0;
  for (const rec of records) {
    const signature = classifyRecord(rec);
    if (signature === undefined) continue;
    seq += 1;
    added ??= [];
    added.push({
      key: `${origin.context}#${seq}`,
      seq,
      at: rec.time !== undefined && !Number.isNaN(Date.parse(rec.time)) ? rec.time : origin.seenAt,
      context: origin.context,
      source: origin.source ?? '',
      signature,
      level: rec.level ?? '',
      text: boundedText(rec.raw),
    });
  }
  if (added === undefined) return tail;
  const keepOld = Math.max(0, MAX_TAIL_LINES - added.length);
  const old = keepOld === 0 ? [] : tail.slice(Math.max(0, tail.length - keepOld));
  const next = old.length === 0 ? added : [...old, ...added];
  return next.length > MAX_TAIL_LINES ? next.slice(next.length - MAX_TAIL_LINES) : next;
}

/** Lines of several contexts in one list, oldest first (by time, then by context and sequence). */
export function mergeTails(tails: readonly (readonly LogTailLine[])[]): readonly LogTailLine[] {
  const all = tails.flat();
  return all.sort((a, b) => {
    const ta = Date.parse(a.at);
    const tb = Date.parse(b.at);
    if (ta !== tb) return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
    if (a.context !== b.context) return a.context < b.context ? -1 : 1;
    return a.seq - b.seq;
  });
}
