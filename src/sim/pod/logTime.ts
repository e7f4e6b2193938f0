// The kubelet's timestamp format for `?timestamps=true`.

/** RFC3339 with exactly nine fractional digits (kubelet's RFC3339NanoFixed), UTC. */
export function kubeletTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
