// Times in tables: `12-02 15:02:08` (UTC), short enough for a column and still unambiguous over
// a day boundary; the detail view shows the full RFC 3339 time.

export function shortTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const d = new Date(at).toISOString();
  return `${d.slice(5, 10)} ${d.slice(11, 19)}`;
}
