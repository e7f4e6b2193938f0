// Ages as kubectl prints them (`45s`, `3m20s`, `5h`, `3d4h`). Ages move every second, but a model
// must stay the same object between data changes, so callers pass a clock rounded to a coarse
// cadence (ageClock): the table is rebuilt once per cadence step, like k9s refreshing its ages.

/** How often ages move: the pane's clock ticks in these steps. */
export const AGE_CADENCE_MS = 10_000;

/** `now` rounded down to the age cadence: pass this to a model so ages change in steps. */
export function ageClock(nowMs: number): number {
  return Math.floor(nowMs / AGE_CADENCE_MS) * AGE_CADENCE_MS;
}

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The age of a timestamp at `nowMs`; `<unknown>` when there is none or it does not parse. A clock behind the timestamp reads `0s`. */
export function ageOf(iso: string | undefined, nowMs: number): string {
  return ageOfMs(iso === undefined ? Number.NaN : Date.parse(iso), nowMs);
}

/** ageOf for a time already parsed (NaN: unknown). */
export function ageOfMs(atMs: number, nowMs: number): string {
  if (Number.isNaN(atMs)) return '<unknown>';
  return humanDuration(Math.max(0, nowMs - atMs));
}
