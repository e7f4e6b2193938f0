import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version in package.json: the one thing that says which build wrote a report. */
export function toolVersion(): string {
  if (cached === undefined) {
    const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    cached = typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string' ? raw.version : 'unknown';
  }
  return cached;
}
