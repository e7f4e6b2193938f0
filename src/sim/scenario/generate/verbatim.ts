// What a cluster serves verbatim: pod log lines and istiod debug answers written in the
// scenario, and the whole content of a `mode: manifests-only` cluster, which generates nothing
// (a captured incident replays exactly what was observed, not what a healthy install implies).
import { apiVersionOf, crdName, RESOURCE_TYPES } from '../../api/resources.ts';
import type { JsonValue, KubeObject } from '../../api/types.ts';
import type { GeneratedCluster, IstiodDebugSource, PodLogScript } from '../model.ts';
import type { ClusterSpec, VerbatimIstiodDebug, VerbatimPodLog } from '../spec.ts';
import { usersFor } from './users.ts';

/** Verbatim lines are the newest in their container's log, one second apart, in the order written. */
function historyOf(lines: string[]): PodLogScript['history'] {
  return lines.map((text, i) => ({ ageSeconds: lines.length - i, text }));
}

/** Adds each verbatim log to the generated script of the same container, or as a script of its own. */
export function withVerbatimLogs(scripts: PodLogScript[], podLogs: VerbatimPodLog[]): PodLogScript[] {
  const result = scripts.map((s) => ({
    ...s,
    history: [...s.history],
    live: [...s.live],
    ...(s.previous ? { previous: [...s.previous] } : {}),
  }));
  for (const log of podLogs) {
    const existing = result.find((s) => s.namespace === log.namespace && s.pod === log.pod && s.container === log.container);
    const script = existing ?? { namespace: log.namespace, pod: log.pod, container: log.container, history: [], live: [] };
    script.history.push(...historyOf(log.lines));
    script.history.sort((a, b) => b.ageSeconds - a.ageSeconds);
    if (log.previous !== undefined) script.previous = [...(script.previous ?? []), ...log.previous];
    if (!existing) result.push(script);
  }
  return result;
}

/** Thrown inside a debug handler: the simulator answers it as istiod's 500, so the fact stays unknown. */
function notCaptured(endpoint: string, pod: string): never {
  throw new Error(`${endpoint} of ${pod} is not part of this scenario`);
}

/**
 * The debug source a cluster serves: verbatim answers for the pods the scenario lists, the
 * computed ones (`computed`, absent for manifests-only clusters) for every other pod.
 */
export function withVerbatimDebug(computed: IstiodDebugSource | undefined, entries: VerbatimIstiodDebug[]): IstiodDebugSource {
  const byPod = new Map(entries.map((e) => [e.pod, e]));
  const answer = (pod: string, field: 'syncz' | 'clusterz', compute: (() => JsonValue) | undefined): JsonValue => {
    const entry = byPod.get(pod);
    if (entry?.[field] !== undefined) return entry[field];
    if (computed && !entry) return compute!();
    return notCaptured(`/debug/${field}`, pod);
  };
  return {
    syncz: (view, pod) => answer(pod, 'syncz', computed && (() => computed.syncz(view, pod))),
    clusterz: (view, pod) => answer(pod, 'clusterz', computed && (() => computed.clusterz(view, pod))),
    license(view, pod) {
      const entry = byPod.get(pod);
      // null in the scenario means "no such endpoint": istiod before 1.27 answers 404.
      if (entry && 'license' in entry) return entry.license === null ? undefined : entry.license;
      if (computed && !entry) return computed.license(view, pod);
      return undefined;
    },
  };
}

function withoutMissingCrds(objects: KubeObject[], crdsMissing: string[]): KubeObject[] {
  const missing = new Set(
    RESOURCE_TYPES.filter((rt) => rt.crd && crdsMissing.includes(crdName(rt))).map((rt) => `${apiVersionOf(rt)}/${rt.kind}`),
  );
  return objects.filter((o) => !missing.has(`${o.apiVersion}/${o.kind}`));
}

/** A cluster that serves its manifests, logs and debug answers and nothing else. */
export function manifestsOnlyCluster(scenarioName: string, spec: ClusterSpec): GeneratedCluster {
  const byKey = new Map<string, KubeObject>();
  for (const o of spec.manifests)
    byKey.set(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, structuredClone(o));
  return {
    context: spec.context,
    clusterId: spec.clusterId,
    network: spec.network,
    objects: withoutMissingCrds([...byKey.values()], spec.crdsMissing),
    crdsMissing: [...spec.crdsMissing],
    users: usersFor(`${scenarioName}/${spec.context}`, spec.users),
    logs: withVerbatimLogs([], spec.podLogs),
    istiodDebug: withVerbatimDebug(undefined, spec.istiodDebug),
    faults: spec.faults.map((f) => ({ ...f })),
    kubeconfigUser: spec.kubeconfigUser,
    extraContexts: spec.extraContexts.map((e) => ({ ...e })),
  };
}
