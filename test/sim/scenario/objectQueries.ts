// Small lookups over a generated cluster's objects, for tests that assert what a client would list.
import type { KubeObject } from '../../../src/sim/api/types.ts';
import type { ClusterView, GeneratedCluster, Scenario } from '../../../src/sim/scenario/model.ts';

export function cluster(scenario: Scenario, context: string): GeneratedCluster {
  const found = scenario.clusters.find((c) => c.context === context);
  if (!found) throw new Error(`no cluster ${context}`);
  return found;
}

export function find(c: GeneratedCluster, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return c.objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);
}

export function get(c: GeneratedCluster, kind: string, namespace: string | undefined, name: string): KubeObject {
  const o = find(c, kind, namespace, name);
  if (!o) throw new Error(`${c.context}: no ${kind} ${namespace ?? ''}/${name}`);
  return o;
}

export function all(c: GeneratedCluster, kind: string, labels: Record<string, string> = {}): KubeObject[] {
  return c.objects.filter((o) => o.kind === kind && Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v));
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function conditions(o: KubeObject): Condition[] {
  return ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
  }));
}

export function condition(o: KubeObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export function containerEnv(o: KubeObject, container: string): EnvVar[] {
  const spec = (o.kind === 'Pod' ? o.spec : (o.spec as { template: { spec: unknown } }).template.spec) as {
    containers: { name: string; env?: EnvVar[] }[];
  };
  const c = spec.containers.find((x) => x.name === container);
  if (!c) throw new Error(`no container ${container} in ${o.metadata.name}`);
  return c.env ?? [];
}

export function envValue(o: KubeObject, container: string, name: string): string | undefined {
  return containerEnv(o, container).find((e) => e.name === name)?.value;
}

/** A ClusterView over the generated (not yet served) objects of every cluster of a scenario. */
export function staticViews(scenario: Scenario): Map<string, ClusterView> {
  const views = new Map<string, ClusterView>();
  for (const c of scenario.clusters) {
    views.set(c.context, {
      context: c.context,
      list: (apiVersion, kind, namespace) =>
        c.objects.filter(
          (o) => o.apiVersion === apiVersion && o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
        ),
      peer: (context) => views.get(context),
    });
  }
  return views;
}
