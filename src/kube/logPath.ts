// The pods/{name}/log request, one place for the follower, its stall probe and the one-shot
// history read: which container, with the kubelet's timestamps, and how much history.
import { sinceTimeOf } from './kubeletTimestamp.ts';

export interface LogQuery {
  namespace: string;
  pod: string;
  container?: string | undefined;
  follow: boolean;
  /** Resume from this whole second (sinceTime); tailLines and sinceSeconds are then left out. */
  resumeSecond?: number | undefined;
  /** Only the last N lines. */
  tailLines?: number | undefined;
  /** Only lines newer than this many seconds; combines with tailLines like kubectl's. */
  sinceSeconds?: number | undefined;
}

export function logPath(q: LogQuery): string {
  const query = new URLSearchParams();
  if (q.follow) query.set('follow', 'true');
  query.set('timestamps', 'true');
  if (q.container !== undefined) query.set('container', q.container);
  if (q.resumeSecond !== undefined) query.set('sinceTime', sinceTimeOf(q.resumeSecond));
  else {
    if (q.tailLines !== undefined) query.set('tailLines', String(q.tailLines));
    if (q.sinceSeconds !== undefined) query.set('sinceSeconds', String(q.sinceSeconds));
  }
  return `/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods/${encodeURIComponent(q.pod)}/log?${query.toString()}`;
}

/** `namespace/pod[/container]`: how a log source is named in states, errors and stop reasons. */
export function podLogLabel(q: Pick<LogQuery, 'namespace' | 'pod' | 'container'>): string {
  return `${q.namespace}/${q.pod}${q.container !== undefined ? `/${q.container}` : ''}`;
}
