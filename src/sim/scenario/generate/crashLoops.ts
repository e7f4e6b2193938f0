// Which replicas of istiod and of the east-west gateway crash-loop, per the scenario's breakage
// (ztunnel's are per node, dataplane.ts). One answer for the pods, their Deployment's ready count,
// their logs and istiod's debug endpoints, so they always agree.
import type { PodCrashLoopSpec } from '../spec.ts';
import type { ClusterPlan } from './plan.ts';
import type { PodHealth } from './podObject.ts';

function crashing(spec: PodCrashLoopSpec | undefined, count: number): Set<number> {
  if (!spec) return new Set();
  return new Set(spec.replicas.length > 0 ? spec.replicas.filter((i) => i < count) : Array.from({ length: count }, (_, i) => i));
}

export function crashingIstiodReplicas(cluster: ClusterPlan): Set<number> {
  return crashing(cluster.spec.breakage.istiodCrashLoop, cluster.istiodPods.length);
}

export function crashingEastWestReplicas(cluster: ClusterPlan): Set<number> {
  return crashing(cluster.spec.breakage.eastWestCrashLoop, cluster.eastWestPods.length);
}

export function replicaHealth(spec: PodCrashLoopSpec | undefined, crashes: boolean, now: Date): PodHealth {
  if (!spec || !crashes) return { state: 'running' };
  return { state: 'crashloop', restarts: spec.restarts, exitCode: 1, reason: 'Error', lastFinished: new Date(now.getTime() - 45_000) };
}
