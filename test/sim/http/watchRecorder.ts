// Records what a client-node Watch delivers, so tests can wait for events without sleeping.
import { Watch, type KubeConfig } from '@kubernetes/client-node';

export interface RecordedEvent {
  type: string;
  object: {
    kind?: string;
    apiVersion?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata?: { name?: string; resourceVersion?: string; [k: string]: unknown };
    [k: string]: unknown;
  };
}

export class WatchRecorder {
  readonly events: RecordedEvent[] = [];
  /** Resolves with done's argument: null for a clean end, an Error otherwise. */
  readonly ended: Promise<unknown>;
  #endedWith: { value: unknown } | undefined;
  #waiters: (() => void)[] = [];
  #controller: AbortController | undefined;
  #resolveEnded!: (v: unknown) => void;

  constructor() {
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  static async start(kc: KubeConfig, path: string, params: Record<string, string | number | boolean>): Promise<WatchRecorder> {
    const r = new WatchRecorder();
    r.#controller = await new Watch(kc).watch(
      path,
      params,
      (type, object: RecordedEvent['object']) => {
        r.events.push({ type, object });
        r.#wake();
      },
      (err: unknown) => {
        r.#endedWith = { value: err ?? null };
        r.#resolveEnded(err ?? null);
        r.#wake();
      },
    );
    return r;
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until `predicate` holds over the events so far (or the watch ends, which fails). */
  async waitFor(predicate: (events: RecordedEvent[]) => boolean, what: string): Promise<void> {
    while (!predicate(this.events)) {
      if (this.#endedWith) throw new Error(`watch ended before ${what}: ${String(this.#endedWith.value)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  of(type: string): RecordedEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  stop(): void {
    this.#controller?.abort();
  }
}
