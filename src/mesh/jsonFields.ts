// Reading Kubernetes object JSON without a cast at every step: the objects come off the network
// and any field may be missing or of another type.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj.a.b.c`; undefined when any step is missing. */
export function field(obj: unknown, ...path: string[]): unknown {
  let current: unknown = obj;
  for (const step of path) {
    if (!isRecord(current)) return undefined;
    current = current[step];
  }
  return current;
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
