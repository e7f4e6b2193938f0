// A context's log signatures, turned back into pod log lines for a captured scenario's
// `podLogs`. A signature keeps its count, the pods it came from and its last few distinct lines,
// not the stream; replaying `count` lines made from those examples, spread over those pods,
// gives the console the same signatures (ids, counts, first and last times, sources, examples).
import {
  classifyRecord,
  MAX_EXAMPLE_CHARS,
  MAX_EXAMPLES,
  type SignatureAggregate,
  type SignatureId,
  type SignatureTable,
} from '../mesh/logSignatures.ts';
import { parseLogLine, type LogSource } from '../mesh/ztunnelLog.ts';
import type { ContextState, KubeObjectJson } from '../store/types.ts';
import type { VerbatimPodLog } from '../sim/scenario/spec.ts';

/** The console reads the last 500 lines of a log (logFeed's tail): more would not be read back. */
export const MAX_LINES_PER_CONTAINER = 500;

interface LoggedPod {
  source: string;
  namespace: string;
  pod: string;
  container: string;
  kind: LogSource;
}

function containerNames(pod: KubeObjectJson): string[] {
  const containers = (pod['spec'] as { containers?: { name?: unknown }[] } | undefined)?.containers;
  return Array.isArray(containers) ? containers.flatMap((c) => (typeof c.name === 'string' ? [c.name] : [])) : [];
}

/** The pods whose logs the console follows (ztunnel and istiod), and the container it reads. */
function loggedPods(state: ContextState): Map<string, LoggedPod> {
  const pods = new Map<string, LoggedPod>();
  for (const resource of Object.values(state.resources)) {
    for (const object of Object.values(resource.objects)) {
      const app = object.metadata.labels?.['app'];
      if (object.kind !== 'Pod' || (app !== 'ztunnel' && app !== 'istiod')) continue;
      const namespace = object.metadata.namespace ?? 'default';
      const preferred = app === 'istiod' ? 'discovery' : 'istio-proxy';
      const names = containerNames(object);
      const container = names.includes(preferred) ? preferred : (names[0] ?? preferred);
      const source = `${namespace}/${object.metadata.name}`;
      pods.set(source, { source, namespace, pod: object.metadata.name, container, kind: app });
    }
  }
  return pods;
}

/** What each signature's own lines say, to give a truncated example its meaning back. */
const SIGNATURE_TEXT: Readonly<Record<SignatureId, string>> = {
  'root-of-trust': 'io error: invalid peer certificate: UnknownIssuer',
  'identity-mismatch': 'identity verification error: peer did not present the expected SAN',
  'policy-rejection': 'connection closed due to policy rejection',
  'no-healthy-upstream': 'no healthy upstream: 240.240.0.1:80',
  'no-healthy-upstream-local': 'no healthy upstream',
  'unknown-network-gateway': 'unknown network gateway',
  'network-identity-mismatch': 'passthrough to 240.240.0.1',
  'hbone-timeout': 'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed',
  'peer-disconnected': 'disconnected, retrying',
  'connection-refused': 'connection refused',
  'dns-failure': 'dns lookup failed',
  'peering-incompatible-env': 'peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false',
  'other-error': 'error',
};

const reads = (line: string, kind: LogSource, id: SignatureId): boolean => classifyRecord(parseLogLine(line, kind)) === id;

/**
 * An example longer than MAX_EXAMPLE_CHARS was cut (ending in …), often before the error that
 * made it a signature. The replayed line keeps the kept part and appends that error after it:
 * the console classifies the whole line but keeps only the same first characters as example.
 */
function replayLine(example: string, kind: LogSource, id: SignatureId): string | undefined {
  if (reads(example, kind, id)) return example;
  if (!example.endsWith('…') || example.length !== MAX_EXAMPLE_CHARS + 1) return undefined;
  const kept = example.slice(0, MAX_EXAMPLE_CHARS);
  const text = SIGNATURE_TEXT[id];
  const tails = [`${text}"`, `" error="${text}"`, ` error="${text}"`, ` ${text}`, `${text}"}`, `", "error": "${text}"}`];
  return tails.map((tail) => kept + tail).find((line) => reads(line, kind, id));
}

/** The example with its own time replaced by `time`: the oldest line, gone from the examples. */
function restamped(example: string, kind: LogSource, time: string): string | undefined {
  const own = parseLogLine(example, kind).time;
  return own !== undefined && own !== time && example.includes(own) ? example.replace(own, time) : undefined;
}

interface Plan {
  pod: LoggedPod;
  lines: string[];
}

/**
 * One signature's lines. The first source pod gets (lines for firstSeen and lastSeen, then) every
 * example in order, so the console keeps the same examples in the same order; the other source
 * pods get copies of the newest example, which changes neither; what is left of `count` goes to
 * the first pod as more copies of the newest example.
 */
function planSignature(aggregate: SignatureAggregate, pods: Map<string, LoggedPod>, scrub: (line: string) => string): Plan[] {
  const examples = aggregate.examples.map(scrub);
  const named = aggregate.sources.flatMap((s) => (pods.has(s) ? [pods.get(s)!] : []));
  const candidates = named.length > 0 ? named : [...pods.values()];
  const main = candidates.find((p) => examples.every((e) => replayLine(e, p.kind, aggregate.id) !== undefined));
  if (!main) return [];
  const lines = examples.map((e) => replayLine(e, main.kind, aggregate.id)!);
  const newest = lines[lines.length - 1]!;
  // Lines from several pods arrive in any order, so the first and last times may belong to lines
  // no longer among the examples. Written before the examples, such lines are pushed out of the
  // (full) example list again but still count for firstSeen and lastSeen.
  const times = examples.flatMap((e) => parseLogLine(e, main.kind).time ?? []).map((t) => Date.parse(t));
  const extra = [aggregate.firstSeen, aggregate.lastSeen]
    .filter((time, i) => (i === 0 ? Date.parse(time) < Math.min(...times) : Date.parse(time) > Math.max(...times)))
    .flatMap((time) => restamped(lines[0]!, main.kind, time) ?? []);
  if (examples.length >= MAX_EXAMPLES && times.length > 0 && aggregate.count >= lines.length + extra.length) lines.unshift(...extra);
  const plans: Plan[] = [{ pod: main, lines }];
  let budget = aggregate.count - lines.length;
  for (const pod of named) {
    if (budget <= 0) break;
    if (pod === main) continue;
    const copy = examples.map((e) => replayLine(e, pod.kind, aggregate.id)).at(-1);
    if (copy === undefined) continue;
    plans.push({ pod, lines: [copy] });
    budget--;
  }
  for (; budget > 0; budget--) lines.push(newest);
  return plans;
}

export function captureLogs(
  state: ContextState | undefined,
  table: SignatureTable | undefined,
  scrub: (line: string) => string,
): VerbatimPodLog[] {
  if (!state || !table) return [];
  const pods = loggedPods(state);
  const lines = new Map<string, string[]>();
  for (const aggregate of Object.values(table)) {
    if (!aggregate || aggregate.examples.length === 0) continue;
    for (const plan of planSignature(aggregate, pods, scrub)) {
      const key = `${plan.pod.source}/${plan.pod.container}`;
      lines.set(key, [...(lines.get(key) ?? []), ...plan.lines]);
    }
  }
  const result: VerbatimPodLog[] = [];
  for (const [key, list] of [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [namespace, pod, container] = key.split('/') as [string, string, string];
    result.push({ namespace, pod, container, lines: list.slice(-MAX_LINES_PER_CONTAINER) });
  }
  return result;
}
