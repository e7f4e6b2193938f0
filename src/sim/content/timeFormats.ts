// The time formats the simulated mesh components print. Each one is what the real program's
// formatter produces, so parsers in the product see exactly what a real cluster would show.

/**
 * ztunnel (tracing-subscriber SystemTime) and istiod (pkg/log formatDate) both print UTC with
 * exactly six fractional digits: 2024-07-26T17:18:00.953004Z. A JS Date has millisecond
 * resolution, so the last three digits are always 000.
 */
export function rfc3339Micros(at: Date): string {
  const iso = at.toISOString(); // 2024-07-26T17:18:00.953Z
  return `${iso.slice(0, 23)}000Z`;
}

/**
 * Go's time.Time JSON encoding (RFC 3339 with nanoseconds, trailing zeros trimmed), as istiod's
 * HTTP /debug/syncz prints `sentTime`: 2026-01-10T12:00:01.2Z, or 0001-01-01T00:00:00Z for "never".
 */
export function goJsonTime(at: Date | undefined): string {
  if (!at) return '0001-01-01T00:00:00Z';
  const iso = at.toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/**
 * protojson's google.protobuf.Timestamp: 0, 3, 6 or 9 fractional digits, always UTC 'Z'.
 * The zero Go time (never sent) encodes as 0001-01-01T00:00:00Z.
 */
export function protoJsonTimestamp(at: Date | undefined): string {
  if (!at) return '0001-01-01T00:00:00Z';
  const iso = at.toISOString();
  const millis = iso.slice(20, 23);
  return millis === '000' ? `${iso.slice(0, 19)}Z` : iso;
}

/** Go's RFC 3339 at second resolution (time.RFC3339), used in istiod push versions. */
export function goRfc3339Seconds(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** Go's time.Duration String(): 5s, 1.6s, 320ms, 2m0s. Enough of it for backoffs and retries. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(3))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = trimZeros(((ms % 60_000) / 1000).toFixed(3));
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds}s` : `${minutes}m${seconds}s`;
}

function trimZeros(fixed: string): string {
  return fixed.replace(/\.?0+$/, '');
}
