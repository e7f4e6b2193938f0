// A scenario's timeline as the simulator plays it: every name resolved against what the cluster
// holds at start (an object's apiVersion, the Gateway to a peer), and every log line rendered
// (per node, since a ztunnel's lines name a client on its own node). Nothing here knows YAML.

/** An object the event acts on. */
export interface TimelineObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Pods chosen when the event happens (a pod replaced since start is found by its labels). */
export interface TimelinePodSelection {
  namespace?: string;
  name?: string;
  labels?: Record<string, string>;
  node?: string;
}

export interface TimelineCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export type TimelineAction =
  | { kind: 'setLabel'; target: TimelineObjectRef; key: string; value: string }
  | { kind: 'removeLabel'; target: TimelineObjectRef; key: string }
  | { kind: 'setCondition'; target: TimelineObjectRef; condition: TimelineCondition }
  | { kind: 'crashPod'; pods: TimelinePodSelection; restarts: number; everySeconds: number; exitCode: number; lastLogLine: string }
  | { kind: 'restartPod'; pods: TimelinePodSelection }
  | { kind: 'deletePod'; pods: TimelinePodSelection; replaceAfterSeconds: number | null }
  | {
      kind: 'logBurst';
      pods: TimelinePodSelection;
      container?: string;
      /** The line for a pod on each node; `{{timestamp}}` is each line's own time. */
      textByNode: Record<string, string>;
      /** For a pod on a node not listed. */
      text: string;
      lines: number;
      overSeconds: number;
    }
  | { kind: 'cutOff' }
  | { kind: 'heal'; event: string };

export interface TimelineEvent {
  /** Seconds after start. */
  at: number;
  id?: string;
  context: string;
  action: TimelineAction;
  /** One line for the simulator's log and the tests: what happens, in words. */
  description: string;
}
