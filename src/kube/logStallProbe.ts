// The no-false-alarm half of stall detection. A log stream has no heartbeat: a quiet pod and a
// dead stream look the same from the reading end. So instead of guessing from silence, ask
// the kubelet with a short non-follow read what it has since our last line. If it holds lines
// the stream never delivered, the stream is stuck; if not, the pod is just quiet.
import type { ContextClient } from './contextClient.ts';
import { splitKubeletTimestamp } from './kubeletTimestamp.ts';
import { DEFAULT_LOG_LINE_BYTES, LineSplitter } from './lineSplitter.ts';
import type { ReplayFilter } from './logResumeWindow.ts';

/** A probe reads at most this much; one unseen line is all it needs. */
const PROBE_LIMIT_BYTES = 1 << 20;

export interface StallProbe {
  client: Pick<ContextClient, 'fetch'>;
  /** The non-follow log path, resuming where the stream is (or the stream's first request). */
  path: string;
  /** Lines the stream already delivered in the resume second; undefined when none yet. */
  replay: ReplayFilter | undefined;
  signal: AbortSignal;
  timeoutMs: number;
}

/** True when the kubelet has a line the stream did not deliver; false when not or unknown. */
export async function probeForUnseenLines(probe: StallProbe): Promise<boolean> {
  const separator = probe.path.includes('?') ? '&' : '?';
  const response = await probe.client.fetch(`${probe.path}${separator}limitBytes=${PROBE_LIMIT_BYTES}`, {
    signal: probe.signal,
    timeoutMs: probe.timeoutMs,
    headers: { Accept: '*/*' },
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) return false;
  const splitter = new LineSplitter({ maxLineBytes: DEFAULT_LOG_LINE_BYTES, overLong: 'truncate' });
  for (const line of splitter.push(body)) {
    if (line.kind !== 'line') continue;
    const { timestamp, text } = splitKubeletTimestamp(line.text);
    if (!timestamp) continue;
    if (probe.replay?.isRepeat(timestamp, text)) continue;
    return true;
  }
  return false;
}
