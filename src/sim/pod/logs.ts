// Pod logs as the kubelet behind a real apiserver serves them: per-container buffers filled
// from the scenario's scripts (history before start, live lines on their schedule), read with
// the query options kubectl and client-node send, and followed until the client goes away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../api/types.ts';
import type { ClusterView, LiveLogLine, PodLogScript } from '../scenario/model.ts';
import { ApiError } from '../api/status.ts';
import type { PodClock } from './clock.ts';
import { LogBuffer, type LogLine } from './logBuffer.ts';
import { readPodLogOptions, type PodLogOptions } from './logQuery.ts';
import { checkContainerReadable, isUnscheduled, resolveContainer } from './podContainers.ts';
import { kubeletTimestamp } from './logTime.ts';
import { rfc3339Micros } from '../content/timeFormats.ts';
import { setApiserverHeaders, writeStatus } from './statusResponse.ts';

/**
 * Script text may carry `{{timestamp}}`, replaced by the line's own time in the format istiod and
 * ztunnel print, so repeated live lines read like fresh log lines rather than one frozen instant.
 */
export const TIMESTAMP_PLACEHOLDER = '{{timestamp}}';

/** Unread output kept for one follower before it is cut off (the kubelet would block instead). */
const MAX_UNREAD_BYTES = 16 << 20;

interface ContainerLog {
  script: PodLogScript;
  current: LogBuffer;
  previous: LogLine[] | undefined;
  cancelTimers: (() => void)[];
}

/** How a container restart (a crash, or a restart in place) leaves its log. */
export interface ContainerRestart {
  /** The dying instance's last line, appended before it becomes `--previous`. */
  lastLine?: string;
  /** The new instance runs (its script's repeating lines resume); false: it will fail again and stays quiet. */
  running: boolean;
}

function keyOf(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}

function render(text: string, time: number): string {
  return text.includes(TIMESTAMP_PLACEHOLDER) ? text.split(TIMESTAMP_PLACEHOLDER).join(rfc3339Micros(new Date(time))) : text;
}

export interface PodLogsOptions {
  scripts: PodLogScript[];
  clock: PodClock;
  /** Lines kept per container; older ones are dropped as the kubelet's log rotation would. */
  capacity?: number;
  /** What the cluster holds now, for live lines that are logged only while a condition holds. */
  view?: ClusterView;
}

export class PodLogs {
  private readonly clock: PodClock;
  private readonly capacity: number | undefined;
  private readonly view: ClusterView | undefined;
  private readonly containers = new Map<string, ContainerLog>();
  private readonly openResponses = new Set<ServerResponse>();
  private closed = false;

  constructor(options: PodLogsOptions) {
    this.clock = options.clock;
    this.capacity = options.capacity;
    this.view = options.view;
    for (const script of options.scripts) this.addScript(script);
  }

  /**
   * Adds (or replaces: a restarted pod of the same name) one container's script; its history is
   * relative to now. Followers of a replaced container's log see their stream end.
   */
  addScript(script: PodLogScript): void {
    if (this.closed) return;
    const key = keyOf(script.namespace, script.pod, script.container);
    this.retire(key);
    const now = this.clock.now();
    const current = new LogBuffer(this.capacity);
    let earliest = now;
    for (const entry of script.history) {
      const time = now - entry.ageSeconds * 1000;
      earliest = Math.min(earliest, time);
      current.append({ time, text: render(entry.text, time) });
    }
    // The previous instance ended just before the current one started: one line a second up to then.
    const previous = script.previous?.map((text, i, all) => {
      const time = earliest - 1000 * (all.length - i);
      return { time, text: render(text, time) };
    });
    const log: ContainerLog = { script, current, previous, cancelTimers: [] };
    this.containers.set(key, log);
    this.scheduleLive(log, now);
  }

  /** The script's repeating lines, counted from `start`. */
  private scheduleLive(log: ContainerLog, start: number): void {
    log.script.live.forEach((entry, index) => {
      const everyMs = Math.max(1, entry.everySeconds * 1000);
      const firstMs = (entry.afterSeconds ?? entry.everySeconds) * 1000;
      let occurrence = 0;
      const scheduleNext = (): void => {
        const due = start + firstMs + occurrence * everyMs;
        log.cancelTimers[index] = this.clock.schedule(Math.max(0, due - this.clock.now()), () => {
          occurrence++;
          if (this.stillDue(entry)) log.current.append({ time: due, text: render(entry.text, due) });
          scheduleNext();
        });
      };
      scheduleNext();
    });
  }

  /** A conditional line is written only while its condition holds; one that throws is written (the breakage is not known to be gone). */
  private stillDue(entry: LiveLogLine): boolean {
    if (entry.while === undefined || this.view === undefined) return true;
    try {
      return entry.while(this.view);
    } catch {
      return true;
    }
  }

  /** The script a container's log was made from (a replacement pod logs like the pod it replaces). */
  script(namespace: string, pod: string, container: string): PodLogScript | undefined {
    return this.containers.get(keyOf(namespace, pod, container))?.script;
  }

  /** Writes one line now, as the running container would; false when the container has no log here. */
  append(namespace: string, pod: string, container: string, text: string): boolean {
    const log = this.containers.get(keyOf(namespace, pod, container));
    if (!log || log.current.isEnded) return false;
    const time = this.clock.now();
    log.current.append({ time, text: render(text, time) });
    return true;
  }

  /**
   * The container restarted, as the kubelet sees it: what it logged becomes `--previous`, its
   * followers' streams end, and the new instance's log starts with its script's first line.
   */
  restart(namespace: string, pod: string, container: string, how: ContainerRestart): boolean {
    const key = keyOf(namespace, pod, container);
    const log = this.containers.get(key);
    if (!log || this.closed) return false;
    const now = this.clock.now();
    const previous = log.current.lines();
    if (how.lastLine !== undefined) previous.push({ time: now, text: render(how.lastLine, now) });
    for (const cancel of log.cancelTimers) cancel();
    log.current.end();
    const current = new LogBuffer(this.capacity);
    const first = log.script.history[0];
    if (first !== undefined) current.append({ time: now, text: render(first.text, now) });
    const next: ContainerLog = { script: log.script, current, previous, cancelTimers: [] };
    this.containers.set(key, next);
    if (how.running) this.scheduleLive(next, now);
    return true;
  }

  /** The current instance's log of one container (tests compare what a follower got with it). */
  buffer(namespace: string, pod: string, container: string): LogBuffer | undefined {
    return this.containers.get(keyOf(namespace, pod, container))?.current;
  }

  /** GET /api/v1/namespaces/{ns}/pods/{name}/log, after the API server authorized it and found the pod. */
  log(_req: IncomingMessage, res: ServerResponse, pod: KubeObject, query: URLSearchParams): void {
    let options: PodLogOptions;
    let container: string;
    try {
      options = readPodLogOptions(query, pod.metadata.name);
      container = resolveContainer(pod, options.container);
      if (isUnscheduled(pod)) {
        // No node, no kubelet to ask: the apiserver's streamer has no stream and answers 204.
        setApiserverHeaders(res);
        res.writeHead(204);
        res.end();
        return;
      }
      const log = this.containers.get(keyOf(pod.metadata.namespace ?? 'default', pod.metadata.name, container));
      checkContainerReadable(pod, container, options.previous, log?.previous !== undefined);
      this.serve(res, log, options);
    } catch (err) {
      if (err instanceof ApiError) {
        writeStatus(res, err.status);
        return;
      }
      throw err;
    }
  }

  private startBody(res: ServerResponse): void {
    res.on('error', () => {}); // a client gone mid-write is not the simulator's problem
    setApiserverHeaders(res);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders();
  }

  private serve(res: ServerResponse, log: ContainerLog | undefined, options: PodLogOptions): void {
    this.startBody(res);
    const now = this.clock.now();
    const since = options.sinceTime ?? (options.sinceSeconds !== undefined ? now - options.sinceSeconds * 1000 : undefined);
    let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;

    /** Writes one line; false once the byte limit is used up (the kubelet then stops reading). */
    const write = (line: LogLine): boolean => {
      if (since !== undefined && line.time < since) return true;
      if (res.destroyed || res.writableEnded) return false;
      let chunk = Buffer.from(`${options.timestamps ? `${kubeletTimestamp(line.time)} ` : ''}${line.text}\n`);
      if (chunk.length > remaining) chunk = chunk.subarray(0, remaining);
      remaining -= chunk.length;
      res.write(chunk);
      // A follower that stopped reading must not grow the simulator without bound.
      if (res.writableLength > MAX_UNREAD_BYTES) {
        res.destroy();
        return false;
      }
      return remaining > 0;
    };

    const source = options.previous ? log?.previous : log?.current.lines();
    // The kubelet finds the tail first, then skips lines older than `since`.
    const lines = source ?? [];
    const tailed = options.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - options.tailLines)) : lines;
    for (const line of tailed) {
      if (!write(line)) {
        res.end();
        return;
      }
    }
    // A previous (terminated) instance has nothing more to say; neither does a finished non-follow read.
    if (!options.follow || options.previous || (log && log.current.isEnded)) {
      res.end();
      return;
    }
    this.openResponses.add(res);
    let unsubscribe = (): void => {};
    const finish = (): void => {
      unsubscribe();
      this.openResponses.delete(res);
      if (!res.writableEnded) res.end();
    };
    if (log) {
      unsubscribe = log.current.subscribe((event) => {
        if (event.kind === 'end' || !write(event.line)) finish();
      });
    }
    res.on('close', finish);
  }

  private retire(key: string): void {
    const existing = this.containers.get(key);
    if (!existing) return;
    for (const cancel of existing.cancelTimers) cancel();
    existing.current.end();
    this.containers.delete(key);
  }

  /** The pod is gone: its containers' schedules stop and their followers' streams end. */
  endPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of [...this.containers.keys()]) if (key.startsWith(prefix)) this.retire(key);
  }

  /** Stops every schedule and ends every open stream, including follows of pods with no script. */
  close(): void {
    this.closed = true;
    for (const key of [...this.containers.keys()]) this.retire(key);
    for (const res of [...this.openResponses]) {
      this.openResponses.delete(res);
      if (!res.writableEnded) res.end();
    }
  }
}
