// One container's log history, read once: GET pods/{name}/log without `follow`, bounded by
// tailLines and sinceSeconds, read to its end. A one-shot snapshot (`--once`) needs exactly the
// history a follow would start with, and a follow has no end-of-history marker — only a bounded
// read says "that was all of it", so the snapshot can be taken the moment it ends instead of
// after a guessed wait.
//
// Same callbacks as LogFollower, so the logs feed runs either. A failure is final (the one-shot
// reports it), except throttling: a 429 is waited out (Retry-After, else backoff) and asked
// again, for as long as the caller lets the read run.
import { ApiException } from '@kubernetes/client-node';
import type { Response } from 'undici';
import { Backoff } from './backoff.ts';
import { realClock, sleep, type Clock } from './clock.ts';
import { classifyError, type ClassifiedError } from './errors.ts';
import { splitKubeletTimestamp } from './kubeletTimestamp.ts';
import { DEFAULT_LOG_LINE_BYTES, LineSplitter } from './lineSplitter.ts';
import type { FollowedLine, LogClient, LogFollowState } from './logFollower.ts';
import { logPath, podLogLabel } from './logPath.ts';

export interface LogHistoryOptions {
  client: LogClient;
  namespace: string;
  pod: string;
  container?: string;
  /** Only the last N lines (default: all the kubelet has). */
  tailLines?: number;
  /** Only lines newer than this many seconds (`--since`). */
  sinceSeconds?: number;
  /** A longer line keeps its first this many bytes and is marked truncated (default 64 KiB). */
  maxLineBytes?: number;
  /** The whole read, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Waits between throttled attempts when the server names no Retry-After. */
  backoff?: { initialMs?: number; maxMs?: number };
  onLines: (lines: FollowedLine[]) => void;
  /** `connecting`, then `following` once the whole history was delivered, or `failed`. */
  onState?: (state: LogFollowState) => void;
  onHandlerError?: (error: unknown) => void;
  clock?: Clock;
  random?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

type ReadOutcome = { ok: true; lines: FollowedLine[] } | { ok: false; error: ClassifiedError };

export class LogHistoryReader {
  readonly #options: LogHistoryOptions;
  readonly #stop = new AbortController();
  readonly #clock: Clock;
  #run: Promise<void> | undefined;

  constructor(options: LogHistoryOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
  }

  get label(): string {
    return podLogLabel(this.#options);
  }

  start(): void {
    if (this.#run || this.#stop.signal.aborted) return;
    this.#run = this.#loop().catch((error: unknown) => this.#handlerError(error));
  }

  /** Cancels the read or the wait in progress; resolves when it has ended. */
  async stop(): Promise<void> {
    if (!this.#stop.signal.aborted) this.#stop.abort(new DOMException(`stopped reading ${this.label}`, 'AbortError'));
    await this.#run;
    this.#emit({ phase: 'stopped' });
  }

  async #loop(): Promise<void> {
    const backoff = new Backoff({
      initialMs: this.#options.backoff?.initialMs ?? 500,
      maxMs: this.#options.backoff?.maxMs ?? 30_000,
      ...(this.#options.random !== undefined && { random: this.#options.random }),
    });
    this.#emit({ phase: 'connecting', attempt: 0 });
    while (!this.#stop.signal.aborted) {
      const outcome = await this.#readOnce();
      if (this.#stop.signal.aborted) return;
      if (outcome.ok) {
        if (outcome.lines.length > 0) this.#deliver(outcome.lines);
        this.#emit({ phase: 'following' });
        return;
      }
      if (outcome.error.kind !== 'throttled') {
        this.#emit({ phase: 'failed', error: outcome.error });
        return;
      }
      const attempt = backoff.failures;
      const jittered = backoff.next();
      const retryInMs = outcome.error.retryAfterSeconds !== undefined ? outcome.error.retryAfterSeconds * 1000 : jittered;
      this.#emit({ phase: 'retrying', error: outcome.error, retryInMs, attempt });
      await sleep(retryInMs, this.#stop.signal, this.#clock);
    }
  }

  async #readOnce(): Promise<ReadOutcome> {
    const { namespace, pod, container, tailLines, sinceSeconds } = this.#options;
    const path = logPath({ namespace, pod, container, follow: false, tailLines, sinceSeconds });
    try {
      const response = await this.#options.client.fetch(path, {
        signal: this.#stop.signal,
        timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        headers: { Accept: '*/*' },
      });
      if (response.status !== 200) return { ok: false, error: await this.#failure(response, path) };
      return { ok: true, lines: this.#lines(Buffer.from(await response.arrayBuffer())) };
    } catch (error) {
      return { ok: false, error: this.#classify(error, path) };
    }
  }

  #lines(body: Uint8Array): FollowedLine[] {
    const splitter = new LineSplitter({ maxLineBytes: this.#options.maxLineBytes ?? DEFAULT_LOG_LINE_BYTES, overLong: 'truncate' });
    const out: FollowedLine[] = [];
    // The body is complete: its last line, even without a newline, is whole.
    for (const line of [...splitter.push(body), ...splitter.end()]) {
      // 'truncate' never drops a line; the narrowing is for the type only.
      if (line.kind !== 'line') continue;
      const truncated = line.truncated === true;
      const { timestamp, text } = splitKubeletTimestamp(line.text);
      out.push(timestamp ? { timestamp: timestamp.text, text, truncated } : { text, truncated });
    }
    return out;
  }

  async #failure(response: Response, path: string): Promise<ClassifiedError> {
    const text = (await response.text().catch(() => '')).slice(0, MAX_ERROR_BODY_BYTES);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return this.#classify(new ApiException<string>(response.status, `HTTP-Code: ${response.status}\nBody: ${text}`, text, headers), path);
  }

  #classify(error: unknown, path: string): ClassifiedError {
    return classifyError(error, {
      context: this.#options.client.name,
      server: this.#options.client.server,
      action: `read the log of ${this.label}`,
      path,
    });
  }

  #deliver(lines: FollowedLine[]): void {
    try {
      this.#options.onLines(lines);
    } catch (error) {
      this.#handlerError(error);
    }
  }

  #emit(state: LogFollowState): void {
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
