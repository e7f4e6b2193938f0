// A pod's status as `kubectl get pods` words it (READY, STATUS, RESTARTS) and what is wrong with
// it, in one place: the pod check (checks/podHealth.ts) judges from it and the console's pods
// pane shows it, so the pane and the check never disagree about a pod.
import type { KubeObjectJson } from '../store/types.ts';
import { field, records, text } from './jsonFields.ts';

export interface PodStatusSummary {
  /** `1/2`: ready containers of all containers. */
  ready: string;
  /** `Running`, `CrashLoopBackOff`, `Pending`, `Terminating`…: the waiting reason wins over the phase, like kubectl. */
  status: string;
  restarts: number;
  /** Why the pod is not healthy (`is in CrashLoopBackOff (5 restarts, last exit code 1 (Error))`), absent when it is. */
  problem?: string;
  /** `exit code 1 (Error)`: how the previous container instance ended. */
  lastExit?: string;
}

export function podStatusOf(pod: KubeObjectJson): PodStatusSummary {
  const phase = text(field(pod, 'status', 'phase')) ?? 'Unknown';
  const statuses = records(field(pod, 'status', 'containerStatuses'));
  const readyCount = statuses.filter((s) => s['ready'] === true).length;
  const restarts = statuses.reduce((sum, s) => sum + (typeof s['restartCount'] === 'number' ? s['restartCount'] : 0), 0);
  const waiting = statuses.map((s) => text(field(s, 'state', 'waiting', 'reason'))).find((r) => r !== undefined);
  const terminated = statuses.map((s) => field(s, 'lastState', 'terminated')).find((t) => t !== undefined);
  const exitCode = field(terminated, 'exitCode');
  const lastExit =
    terminated !== undefined
      ? `exit code ${typeof exitCode === 'number' ? exitCode : '?'}${text(field(terminated, 'reason')) ? ` (${text(field(terminated, 'reason')) ?? ''})` : ''}`
      : undefined;
  const deleting = pod.metadata['deletionTimestamp'] !== undefined;
  const status = deleting ? 'Terminating' : (waiting ?? phase);
  const health: PodStatusSummary = {
    ready: `${readyCount}/${statuses.length}`,
    status,
    restarts,
    ...(lastExit !== undefined && { lastExit }),
  };
  if (deleting) return { ...health, problem: 'is terminating' };
  if (waiting === 'CrashLoopBackOff')
    return { ...health, problem: `is in CrashLoopBackOff (${restarts} restarts${lastExit ? `, last ${lastExit}` : ''})` };
  if (phase !== 'Running') return { ...health, problem: `is ${status}, not Running` };
  if (statuses.length === 0 || readyCount < statuses.length)
    return { ...health, problem: `is not ready (${health.ready} containers ready${waiting ? `, ${waiting}` : ''})` };
  return health;
}

/** Restarts of a pod that is Running and ready now: worth a warning, not a failure. */
export const RESTART_WARN = 3;
