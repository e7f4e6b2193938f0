// Follows one container's log for as long as it is asked to, through drops and outages.
//
// Our own follower rather than client-node's `Log` class: once a `Log` stream has started, an
// abort, a dropped connection or undici's 300 s body timeout on a quiet pod becomes an uncaught
// exception that takes the whole process down, and network errors come back as a bare 500 with
// the cause lost (reference/client-node.md §4). Here the body is read through ContextClient's
// raw streaming request, every failure is classified, and nothing escapes.
//
// GET pods/{name}/log?follow=true&timestamps=true. The kubelet's timestamp is stripped from each
// line and kept: after a drop the follow resumes with `sinceTime` and the replayed lines that
// were already delivered are skipped (LogResumeWindow), so nothing is repeated or lost.
import { ApiException } from '@kubernetes/client-node';
import type { Response } from 'undici';
import type { ContextClient } from './contextClient.ts';
import { classifyError, type ClassifiedError } from './errors.ts';
import { splitKubeletTimestamp } from './kubeletTimestamp.ts';
import { logPath, podLogLabel } from './logPath.ts';
import { Backoff, sleep } from './backoff.ts';
import { DEFAULT_LOG_LINE_BYTES, LineSplitter, type SplitLine } from './lineSplitter.ts';
import { LogResumeWindow } from './logResumeWindow.ts';
import { probeForUnseenLines } from './logStallProbe.ts';
import { LogStallWatch } from './logStallWatch.ts';

/** What the follower needs from a context client (a ContextClient, or a stand-in in tests). */
export type LogClient = Pick<ContextClient, 'name' | 'server' | 'fetch'>;

export interface FollowedLine {
  /** The kubelet's timestamp as printed; absent when the line carried none. */
  timestamp?: string;
  /** The line without the timestamp and newline; at most `maxLineBytes` of it. */
  text: string;
  truncated: boolean;
}

export type LogFollowState =
  | { phase: 'connecting'; attempt: number }
  | { phase: 'following' }
  /** Waiting to reopen; without `error` the stream ended cleanly (container restarted, server closed it). */
  | { phase: 'retrying'; error?: ClassifiedError; retryInMs: number; attempt: number }
  /** Given up: only a one-shot history read (logHistory.ts) ends this way; a follower always retries. */
  | { phase: 'failed'; error: ClassifiedError }
  | { phase: 'stopped' };

export interface LogBackoff {
  /** First retry delay (default 500 ms); doubles per failed attempt. */
  initialMs?: number;
  /** Largest delay (default 30 s). */
  maxMs?: number;
  /** Delay after 403 (default 60 s): RBAC rarely changes within seconds. */
  forbiddenMs?: number;
}

export interface LogFollowerOptions {
  client: LogClient;
  namespace: string;
  pod: string;
  container?: string;
  /** The first request's history: only the last N lines (default: all the kubelet has). */
  tailLines?: number;
  /** The first request's history: only lines newer than this many seconds (`--since`); combines with tailLines like kubectl's. */
  sinceSeconds?: number;
  /** A longer line keeps its first this many bytes and is marked truncated (default 64 KiB). */
  maxLineBytes?: number;
  backoff?: LogBackoff;
  /** Wait for response headers this long (default 30 s). */
  connectTimeoutMs?: number;
  /**
   * A stream silent for this long is checked with a short non-follow read (default 120 s; 0
   * turns it off). Only when that read shows lines the stream never delivered — and the stream
   * still delivers nothing for `stallGraceMs` — is it called stalled and reopened, so a quiet
   * pod is never mistaken for a dead stream.
   */
  idleCheckMs?: number;
  stallGraceMs?: number;
  /** Lines as they arrive (one call per received chunk), in order, each once. */
  onLines: (lines: FollowedLine[]) => void;
  onState?: (state: LogFollowState) => void;
  /** An onLines/onState handler threw; the follower carries on. */
  onHandlerError?: (error: unknown) => void;
  /** For jitter; tests may pin it. */
  random?: () => number;
}

type StreamOutcome = { kind: 'ended'; delivered: number } | { kind: 'failed'; delivered: number; error: ClassifiedError };

const DEFAULT_INITIAL_MS = 500;
const DEFAULT_MAX_MS = 30_000;
const DEFAULT_FORBIDDEN_MS = 60_000;
const DEFAULT_IDLE_CHECK_MS = 120_000;
const DEFAULT_STALL_GRACE_MS = 5_000;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Thrown into the stream's reader to end a stream found stalled. */
class StalledStream extends Error {
  constructor() {
    super('log stream stalled');
    this.name = 'StalledStream';
  }
}

export class LogFollower {
  readonly #options: LogFollowerOptions;
  readonly #window = new LogResumeWindow();
  readonly #stop = new AbortController();
  #run: Promise<void> | undefined;
  #lastState: LogFollowState['phase'] | undefined;
  #sawLines = false;

  constructor(options: LogFollowerOptions) {
    this.#options = options;
  }

  get label(): string {
    return podLogLabel(this.#options);
  }

  start(): void {
    if (this.#run || this.#stop.signal.aborted) return;
    this.#run = this.#loop().catch((error: unknown) => this.#handlerError(error));
  }

  /** Cancels the open request, the retry timer and the stall check; resolves when they are gone. */
  async stop(): Promise<void> {
    if (!this.#stop.signal.aborted) this.#stop.abort(new DOMException(`stopped following ${this.label}`, 'AbortError'));
    await this.#run;
    this.#emitState({ phase: 'stopped' });
  }

  async #loop(): Promise<void> {
    // Jitter spreads the reconnects of many followers of one context after a shared outage.
    const backoff = new Backoff({
      initialMs: this.#options.backoff?.initialMs ?? DEFAULT_INITIAL_MS,
      maxMs: this.#options.backoff?.maxMs ?? DEFAULT_MAX_MS,
      ...(this.#options.random !== undefined && { random: this.#options.random }),
    });
    while (!this.#stop.signal.aborted) {
      this.#emitState({ phase: 'connecting', attempt: backoff.failures });
      const outcome = await this.#streamOnce();
      if (this.#stop.signal.aborted) return;
      // A stream that brought new lines was healthy: start backing off from scratch.
      if (outcome.delivered > 0) backoff.reset();
      const error = outcome.kind === 'failed' ? outcome.error : undefined;
      const attempt = backoff.failures;
      const retryInMs = this.#delay(backoff.next(), error);
      this.#emitState({ phase: 'retrying', ...(error !== undefined ? { error } : {}), retryInMs, attempt });
      await sleep(retryInMs, this.#stop.signal);
    }
  }

  /** RBAC rarely changes within seconds, and a server that names its Retry-After is believed. */
  #delay(jittered: number, error: ClassifiedError | undefined): number {
    if (error?.kind === 'forbidden') return Math.max(jittered, this.#options.backoff?.forbiddenMs ?? DEFAULT_FORBIDDEN_MS);
    if (error?.retryAfterSeconds !== undefined) return Math.max(jittered, error.retryAfterSeconds * 1000);
    return jittered;
  }

  #path(follow: boolean, resumeSecond: number | undefined): string {
    const { namespace, pod, container, tailLines, sinceSeconds } = this.#options;
    // Only the very first request is limited: a resume must replay everything since the last line.
    const first = !this.#sawLines;
    return logPath({
      namespace,
      pod,
      container,
      follow,
      resumeSecond,
      tailLines: first ? tailLines : undefined,
      sinceSeconds: first ? sinceSeconds : undefined,
    });
  }

  async #streamOnce(): Promise<StreamOutcome> {
    const attempt = new AbortController();
    const signal = AbortSignal.any([this.#stop.signal, attempt.signal]);
    const splitter = new LineSplitter({ maxLineBytes: this.#options.maxLineBytes ?? DEFAULT_LOG_LINE_BYTES, overLong: 'truncate' });
    const resumeSecond = this.#window.resumeSecond;
    const replay = resumeSecond !== undefined ? this.#window.replay() : undefined;
    const path = this.#path(true, resumeSecond);
    const tailed = path.includes('tailLines=');
    let delivered = 0;
    let bytesSeen = 0;
    const stallWatch = new LogStallWatch({
      periodMs: this.#options.idleCheckMs ?? DEFAULT_IDLE_CHECK_MS,
      bytesSeen: () => bytesSeen,
      check: (stillSilent, checkSignal) => this.#checkForStall(stillSilent, checkSignal),
      cut: () => attempt.abort(new StalledStream()),
    });

    const deliver = (split: readonly SplitLine[]): void => {
      const lines: FollowedLine[] = [];
      for (const line of split) {
        // 'truncate' never drops a line; the narrowing is for the type only.
        if (line.kind !== 'line') continue;
        const truncated = line.truncated === true;
        const { timestamp, text } = splitKubeletTimestamp(line.text);
        if (timestamp && replay?.isRepeat(timestamp, text)) continue;
        if (timestamp && tailed) this.#window.startAt(timestamp);
        if (timestamp) this.#window.record(timestamp, text);
        lines.push(timestamp ? { timestamp: timestamp.text, text, truncated } : { text, truncated });
      }
      if (lines.length === 0) return;
      delivered += lines.length;
      this.#sawLines = true;
      try {
        this.#options.onLines(lines);
      } catch (error) {
        this.#handlerError(error);
      }
    };

    try {
      const response = await this.#options.client.fetch(path, {
        stream: true,
        signal,
        timeoutMs: this.#options.connectTimeoutMs ?? 30_000,
        headers: { Accept: '*/*' },
      });
      if (response.status !== 200) return { kind: 'failed', delivered, error: await this.#failure(response, path) };
      this.#emitState({ phase: 'following' });
      if (response.body === null) return { kind: 'ended', delivered };
      stallWatch.arm();
      for await (const chunk of bodyChunks(response)) {
        bytesSeen += chunk.byteLength;
        stallWatch.arm();
        deliver(splitter.push(chunk));
      }
      // A clean end: the kubelet meant that last unterminated line.
      deliver(splitter.end());
      return { kind: 'ended', delivered };
    } catch (error) {
      // A broken stream's half line comes back whole on resume; delivering it now would repeat it.
      splitter.reset();
      if (attempt.signal.reason instanceof StalledStream) {
        return {
          kind: 'failed',
          delivered,
          error: {
            kind: 'timeout',
            message: `${this.#options.client.name}: log stream of ${this.label} went silent while the pod kept logging`,
            retryable: true,
          },
        };
      }
      return { kind: 'failed', delivered, error: this.#classify(error, path) };
    } finally {
      await stallWatch.disarm();
      if (!attempt.signal.aborted) attempt.abort(new DOMException('stream finished', 'AbortError'));
    }
  }

  /** Lines the kubelet has that this stream did not bring: true means the stream is stuck. */
  async #checkForStall(stillSilent: () => boolean, checkSignal: AbortSignal): Promise<boolean> {
    const signal = AbortSignal.any([this.#stop.signal, checkSignal]);
    const resumeSecond = this.#window.resumeSecond;
    const unseen = await probeForUnseenLines({
      client: this.#options.client,
      path: this.#path(false, resumeSecond),
      replay: resumeSecond !== undefined ? this.#window.replay() : undefined,
      signal,
      timeoutMs: this.#options.connectTimeoutMs ?? 30_000,
    });
    if (!unseen || !stillSilent()) return false;
    // The probe and the stream race: give the stream a moment to deliver what the probe saw.
    await sleep(this.#options.stallGraceMs ?? DEFAULT_STALL_GRACE_MS, signal);
    return stillSilent() && !signal.aborted;
  }

  async #failure(response: Response, path: string): Promise<ClassifiedError> {
    const text = await readCapped(response, MAX_ERROR_BODY_BYTES);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    const error = new ApiException<string>(response.status, `HTTP-Code: ${response.status}\nBody: ${text}`, text, headers);
    return this.#classify(error, path);
  }

  #classify(error: unknown, path: string): ClassifiedError {
    return classifyError(error, {
      context: this.#options.client.name,
      server: this.#options.client.server,
      action: `follow the log of ${this.label}`,
      path,
    });
  }

  #emitState(state: LogFollowState): void {
    // `connecting` after every retry would be noise; report phase changes, and every retry.
    if (state.phase === this.#lastState && state.phase !== 'retrying') return;
    this.#lastState = state.phase;
    try {
      this.#options.onState?.(state);
    } catch (error) {
      this.#handlerError(error);
    }
  }

  #handlerError(error: unknown): void {
    try {
      this.#options.onHandlerError?.(error);
    } catch {
      // A reporter that throws has nowhere left to report to.
    }
  }
}

// undici types body chunks as `any`; the bytes of a fetch body are Uint8Arrays.
function bodyChunks(response: Response): AsyncIterable<Uint8Array> {
  return response.body as AsyncIterable<Uint8Array>;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for await (const chunk of bodyChunks(response)) {
      const room = maxBytes - bytes;
      text += decoder.decode(chunk.byteLength > room ? chunk.subarray(0, room) : chunk, { stream: true });
      bytes += chunk.byteLength;
      if (bytes >= maxBytes) break;
    }
  } catch {
    // The status body is a courtesy; the status code already says what happened.
  }
  return text + decoder.decode();
}
