// Readers for what a cluster gives verbatim instead of having it generated: pod logs line by
// line and istiod's debug answers as JSON. A captured incident (`--output scenario`) is made of
// these, so they take what a real cluster said without interpreting it.
import type { JsonValue } from '../api/types.ts';
import { SpecProblem } from './scenarioError.ts';
import type { VerbatimIstiodDebug, VerbatimPodLog } from './spec.ts';
import { child, describe, optional, readList, readMapping, readName, required } from './specReader.ts';

/** Any JSON value. YAML timestamps (unquoted dates) are refused: they would not come back as written. */
export function readJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SpecProblem(path, `expected a JSON number; got ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => readJson(item, child(path, i)));
  if (value instanceof Date) throw new SpecProblem(path, 'expected JSON; got a YAML timestamp (quote it to keep it as written)');
  if (typeof value === 'object') {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) result[key] = readJson(v, child(path, key));
    return result;
  }
  throw new SpecProblem(path, `expected JSON; got ${describe(value)}`);
}

/** A log line may be anything, even empty; only its type is checked. */
function readLine(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new SpecProblem(path, `expected a log line (a string); got ${describe(value)}`);
  return value;
}

export function readPodLog(value: unknown, path: string): VerbatimPodLog {
  const m = readMapping(value, path, ['namespace', 'pod', 'container', 'lines', 'previous']);
  const log: VerbatimPodLog = {
    namespace: required(m, 'namespace', path, readName),
    pod: required(m, 'pod', path, readName),
    container: required(m, 'container', path, readName),
    lines: optional(m, 'lines', path, (v, p) => readList(v, p, readLine), []),
  };
  const previous = optional(m, 'previous', path, (v, p) => readList(v, p, readLine), undefined);
  if (previous !== undefined) log.previous = previous;
  if (log.lines.length === 0 && log.previous === undefined)
    throw new SpecProblem(child(path, 'lines'), 'expected at least one line (or previous)');
  return log;
}

export function readIstiodDebug(value: unknown, path: string): VerbatimIstiodDebug {
  const m = readMapping(value, path, ['pod', 'syncz', 'license', 'clusterz']);
  const debug: VerbatimIstiodDebug = { pod: required(m, 'pod', path, readName) };
  if ('syncz' in m) debug.syncz = readJson(m.syncz, child(path, 'syncz'));
  if ('license' in m) debug.license = readJson(m.license, child(path, 'license'));
  if ('clusterz' in m) debug.clusterz = readJson(m.clusterz, child(path, 'clusterz'));
  return debug;
}

/** The same container (or istiod pod) twice would make one entry silently win. */
export function checkUniqueVerbatim(podLogs: VerbatimPodLog[], istiodDebug: VerbatimIstiodDebug[], path: string): void {
  const logs = new Set<string>();
  podLogs.forEach((log, i) => {
    const key = `${log.namespace}/${log.pod}/${log.container}`;
    if (logs.has(key)) throw new SpecProblem(`${path}.podLogs[${i}]`, `duplicate log for ${key}`);
    logs.add(key);
  });
  const pods = new Set<string>();
  istiodDebug.forEach((debug, i) => {
    if (pods.has(debug.pod)) throw new SpecProblem(`${path}.istiodDebug[${i}].pod`, `duplicate istiod pod ${JSON.stringify(debug.pod)}`);
    pods.add(debug.pod);
  });
}
