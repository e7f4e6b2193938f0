// The timestamp the kubelet puts in front of every line of `?timestamps=true` (RFC 3339 with
// nanoseconds, e.g. 2026-11-26T04:49:41.123456789Z). The follower strips it, keeps it to resume
// from, and compares it — as a key that sorts like time, whatever offset or precision was used.

export interface KubeletTimestamp {
  /** As the kubelet printed it. */
  text: string;
  /** `<epoch seconds, 13 digits>.<nanoseconds, 9 digits>`: string order is time order. */
  sortKey: string;
  /** Whole seconds since the epoch (what `sinceTime` resolves to on the apiserver). */
  epochSeconds: number;
}

// Anchored and fixed-width: never scans more than ~36 characters.
const PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) /;

/** Splits `<timestamp> <text>`; a line without a readable timestamp comes back whole. */
export function splitKubeletTimestamp(line: string): { timestamp?: KubeletTimestamp; text: string } {
  const match = PREFIX.exec(line);
  if (!match) return { text: line };
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return { text: line };
  const epochSeconds = Math.floor(ms / 1000);
  const nanos = (match[2] ?? '').padEnd(9, '0');
  const text = match[0].slice(0, -1);
  return {
    timestamp: { text, sortKey: `${String(epochSeconds).padStart(13, '0')}.${nanos}`, epochSeconds },
    text: line.slice(match[0].length),
  };
}

/** `sinceTime` for a resume: the apiserver keeps whole seconds only, so send just those. */
export function sinceTimeOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
