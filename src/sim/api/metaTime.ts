// Timestamps as the real server writes them into metadata and managedFields.

let cachedSecond = -1;
let cachedTimestamp = '';
/** RFC 3339 without fractions, as metav1.Time serialises; cached per second (bulk loads call it a lot). */
export function now(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTimestamp = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return cachedTimestamp;
}
