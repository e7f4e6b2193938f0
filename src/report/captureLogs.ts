// A context's log signatures, turned back into pod log lines for a captured scenario's
// `podLogs`. A signature keeps its count, the pods it came from and its last few distinct lines,
// not the stream; replaying `count` lines cycled from those examples, spread over those pods,
// gives the console the same signatures (same ids, counts, sources and examples) again.
import { classifyRecord, type SignatureAggregate, type SignatureTable } from '../mesh/logSignatures.ts';
import { parseLogLine, type LogSource } from '../mesh/ztunnelLog.ts';
import type { ContextState, KubeObjectJson } from '../store/types.ts';

export interface CapturedPodLog {
  namespace: string;
  pod: string;
  container: string;
  lines: string[];
}

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

/** Pods whose parser reads `line` as this signature: an istiod line put in a ztunnel log might not be. */
function podsFor(line: string, aggregate: SignatureAggregate, pods: Map<string, LoggedPod>): LoggedPod[] {
  const reads = (p: LoggedPod): boolean => classifyRecord(parseLogLine(line, p.kind)) === aggregate.id;
  const named = aggregate.sources.flatMap((s) => {
    const pod = pods.get(s);
    return pod && reads(pod) ? [pod] : [];
  });
  return named.length > 0 ? named : [...pods.values()].filter(reads);
}

export function captureLogs(state: ContextState | undefined, table: SignatureTable | undefined, scrub: (line: string) => string): CapturedPodLog[] {
  if (!state || !table) return [];
  const pods = loggedPods(state);
  const lines = new Map<string, string[]>();
  for (const aggregate of Object.values(table)) {
    if (!aggregate || aggregate.examples.length === 0) continue;
    const examples = aggregate.examples.map(scrub);
    const targets = examples.map((line) => podsFor(line, aggregate, pods));
    const n = aggregate.count;
    for (let i = 0; i < n; i++) {
      // Chosen so the last lines written are the examples in their order (newest last).
      const e = (((i - n) % examples.length) + examples.length) % examples.length;
      const candidates = targets[e]!;
      if (candidates.length === 0) continue;
      const pod = candidates[i % candidates.length]!;
      const key = `${pod.source}/${pod.container}`;
      const list = lines.get(key) ?? [];
      list.push(examples[e]!);
      lines.set(key, list);
    }
  }
  const result: CapturedPodLog[] = [];
  for (const [key, list] of [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [namespace, pod, container] = key.split('/') as [string, string, string];
    result.push({ namespace, pod, container, lines: list.slice(-MAX_LINES_PER_CONTAINER) });
  }
  return result;
}
