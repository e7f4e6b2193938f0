// A scenario's `timeline:` as written, validated: things that happen to the running clusters at
// given seconds after start (a label changed, a condition flipped, a pod crashing, a log burst, a
// cluster cut off, and healing each of those). The generator resolves names against what each
// cluster holds (generate/timelineEvents.ts); the simulator plays the result (sim/timeline/).
import type { LogEventSpec } from './spec.ts';

/** An object of the cluster, named as `kubectl get KIND [-n NAMESPACE] NAME` would. */
export interface ObjectRefSpec {
  kind: string;
  namespace?: string;
  name: string;
}

/** Which pods an event acts on: one by name, or all that match a label selector (on one node). */
export interface PodTargetSpec {
  namespace?: string;
  /** One pod by name. */
  pod?: string;
  /** Label selector `key=value[,key=value]`. */
  selector?: Record<string, string>;
  /** Only the pods on this node. */
  node?: string;
}

export type TimelineActionSpec =
  | { action: 'setLabel'; target: ObjectRefSpec; key: string; value: string }
  | { action: 'removeLabel'; target: ObjectRefSpec; key: string }
  | {
      action: 'setCondition';
      /** The Gateway: by name, or the istio-remote Gateway to a peer context. */
      gateway: { name: string; namespace?: string } | { peer: string };
      type: string;
      status: 'True' | 'False' | 'Unknown';
      reason: string;
      message: string;
    }
  | {
      action: 'crashPod';
      pods: PodTargetSpec;
      /** Restarts counted at once (the crash that started the loop). */
      restarts: number;
      /** The back-off: one more restart (and one more failed run in `--previous`) this often. */
      everySeconds: number;
      exitCode: number;
      lastLogLine: string;
    }
  | { action: 'restartPod'; pods: PodTargetSpec }
  | {
      action: 'deletePod';
      pods: PodTargetSpec;
      /** When its controller's replacement (a new name) is Running; null: no replacement. */
      replaceAfterSeconds: number | null;
    }
  | { action: 'logBurst'; pods: PodTargetSpec; container?: string; event: LogEventSpec; lines: number; overSeconds: number }
  | { action: 'cutOff' }
  | { action: 'heal'; event: string };

export type TimelineActionName = TimelineActionSpec['action'];

export interface TimelineEventSpec {
  /** Seconds after the simulator started. */
  at: number;
  /** Names the event so a later `heal` can undo it. */
  id?: string;
  /** The cluster it happens to; for `heal`, the healed event's. */
  context: string;
  action: TimelineActionSpec;
}
