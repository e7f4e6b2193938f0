// A timeline log burst: N lines of one scenario log event written into the live logs of the
// pods it names, spread evenly over some seconds, as an incident makes a ztunnel suddenly chatty.
// Lines go into the same buffers `kubectl logs -f` and the console's log follows read.
import type { KubeObject } from '../api/types.ts';
import type { SimCluster } from '../cluster.ts';
import type { TimelineAction } from '../scenario/timelineModel.ts';
import type { Undo } from './objectEdits.ts';
import { selectPods, type Later } from './podEdits.ts';

type Burst = Extract<TimelineAction, { kind: 'logBurst' }>;

function containerOf(pod: KubeObject, wanted: string | undefined): string | undefined {
  const containers = (pod.spec as { containers?: { name?: unknown }[] } | undefined)?.containers ?? [];
  const names = containers.map((c) => c.name).filter((n): n is string => typeof n === 'string');
  return wanted !== undefined ? (names.includes(wanted) ? wanted : undefined) : names[0];
}

/**
 * Plays the burst: the first line now, the last `overSeconds` later. `immediately` writes every
 * line at once (a timeline run to its end). Returns how to stop the lines not yet written.
 */
export function playBurst(cluster: SimCluster, burst: Burst, later: Later, immediately: boolean): Undo {
  const targets = selectPods(cluster, burst.pods).flatMap((pod) => {
    const container = containerOf(pod, burst.container);
    if (container === undefined) return [];
    const node = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
    const text = (typeof node === 'string' ? burst.textByNode[node] : undefined) ?? burst.text;
    return [{ namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name, container, text }];
  });
  const writeLine = (): void => {
    for (const t of targets) cluster.appendPodLog(t.namespace, t.pod, t.container, t.text);
  };
  if (immediately || burst.lines === 1 || burst.overSeconds === 0) {
    for (let i = 0; i < burst.lines; i++) writeLine();
    return () => {};
  }
  const gapMs = (burst.overSeconds * 1000) / (burst.lines - 1);
  let written = 0;
  let cancel = (): void => {};
  const next = (): void => {
    writeLine();
    written++;
    if (written < burst.lines) cancel = later(gapMs, next);
  };
  next();
  return () => cancel();
}
