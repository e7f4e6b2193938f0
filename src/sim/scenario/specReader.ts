// Small typed readers for a parsed YAML document. Each takes the value and the path it sits
// at, and throws SpecProblem naming that path when the value is not what the format allows.
// Unknown keys are errors: a typo in a scenario must never pass silently.
import { SpecProblem } from './scenarioError.ts';

export type Mapping = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function readMapping(value: unknown, path: string, allowedKeys: readonly string[]): Mapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecProblem(path || '(document)', `expected a mapping; got ${describe(value)}`);
  }
  const mapping = value as Mapping;
  for (const key of Object.keys(mapping)) {
    if (!allowedKeys.includes(key)) {
      throw new SpecProblem(child(path, key), `unknown key "${key}"; expected one of ${allowedKeys.join(', ')}`);
    }
  }
  return mapping;
}

/** A mapping whose keys are free (names, env vars) but whose values are read one by one. */
export function readDictionary<T>(value: unknown, path: string, readValue: (v: unknown, p: string) => T): Map<string, T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecProblem(path, `expected a mapping; got ${describe(value)}`);
  }
  const result = new Map<string, T>();
  for (const [key, v] of Object.entries(value as Mapping)) result.set(key, readValue(v, child(path, key)));
  return result;
}

export function readList<T>(value: unknown, path: string, readItem: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) throw new SpecProblem(path, `expected a list; got ${describe(value)}`);
  return value.map((item, i) => readItem(item, child(path, i)));
}

export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? ' (quote it: YAML reads 1.30 as the number 1.3)' : '';
    throw new SpecProblem(path, `expected a string; got ${describe(value)}${hint}`);
  }
  if (value.length === 0) throw new SpecProblem(path, 'expected a non-empty string');
  return value;
}

/** A Kubernetes object name: lower-case RFC 1123 label or subdomain. */
export function readName(value: unknown, path: string): string {
  const name = readString(value, path);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw new SpecProblem(path, `expected a lower-case DNS name (a-z, 0-9, '-', '.'); got ${JSON.stringify(name)}`);
  }
  return name;
}

export function readInteger(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SpecProblem(path, `expected an integer; got ${describe(value)}`);
  }
  if (value < min || value > max) throw new SpecProblem(path, `expected an integer from ${min} to ${max}; got ${value}`);
  return value;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new SpecProblem(path, `expected true or false; got ${describe(value)}`);
  return value;
}

export function readOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SpecProblem(path, `expected one of ${allowed.join(', ')}; got ${describe(value)}`);
  }
  return value as T;
}

/** Reads `mapping[key]` with `read` when present, else returns `fallback`. */
export function optional<T, F>(mapping: Mapping, key: string, path: string, read: (v: unknown, p: string) => T, fallback: F): T | F {
  return key in mapping && mapping[key] !== undefined ? read(mapping[key], child(path, key)) : fallback;
}

export function required<T>(mapping: Mapping, key: string, path: string, read: (v: unknown, p: string) => T): T {
  if (!(key in mapping) || mapping[key] === undefined || mapping[key] === null) {
    throw new SpecProblem(child(path, key), 'is required');
  }
  return read(mapping[key], child(path, key));
}
