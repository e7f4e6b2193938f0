// Plays a scenario's timeline against the running simulated clusters: each event at its second
// after start, on the simulator's clock (tests hand it a clock they advance themselves). An
// event's effects are real writes (ObjectStore, pod logs, faults), so the console and kubectl
// see them as they would see a real incident. An event that fails (its object deleted by hand,
// say) is recorded and the rest of the timeline plays on: a demo must not crash the simulator.
import type { PodClock } from '../pod/clock.ts';
import type { SimCluster } from '../cluster.ts';
import type { TimelineEvent } from '../scenario/timelineModel.ts';
import { playBurst } from './logBursts.ts';
import { setCondition, setLabel } from './objectEdits.ts';
import { crashPods, deletePods, restartPods, type PodContext } from './podEdits.ts';

/** Undoes an event (what `heal` runs); cutting a cluster off is undone asynchronously. */
type Heal = () => void | Promise<void>;

export interface PlayedEvent {
  event: TimelineEvent;
  /** Milliseconds after the timeline started, on its clock. */
  playedAtMs: number;
  /** Why it could not be played; absent when it was. */
  error?: string;
}

export type TimelineListener = (played: PlayedEvent) => void;

export class TimelineRunner {
  readonly events: readonly TimelineEvent[];
  readonly #clusterOf: (context: string) => SimCluster;
  readonly #clock: PodClock;
  readonly #heals = new Map<string, Heal>();
  readonly #timers = new Set<() => void>();
  readonly #crashLoops = new Map<string, Map<string, () => void>>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #listeners = new Set<TimelineListener>();
  readonly #played: PlayedEvent[] = [];
  #next = 0;
  #startedAt: number | undefined;
  /** Events play on their own at their seconds (start() was called). */
  #running = false;
  #cancelNext: (() => void) | undefined;
  #stopped = false;

  constructor(events: readonly TimelineEvent[], clusterOf: (context: string) => SimCluster, clock: PodClock) {
    this.events = events;
    this.#clusterOf = clusterOf;
    this.#clock = clock;
  }

  /** Starts the clock of the timeline: event `at: 8` plays 8 s from now. Starting twice does nothing. */
  start(): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#startedAt ??= this.#clock.now();
    this.#scheduleNext();
  }

  /** Events play on their own at their seconds. */
  get started(): boolean {
    return this.#running;
  }

  /** Events played so far (with their errors), in order. */
  get played(): readonly PlayedEvent[] {
    return this.#played;
  }

  /** Every event has been played. */
  get finished(): boolean {
    return this.#next >= this.events.length;
  }

  onEvent(listener: TimelineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Plays every event not yet played, now and in order, log bursts all at once: the scenario's
   * end state without waiting for it (tests, and a `--once` of where the demo ends). Resolves
   * when what the events started (a cut-off) has happened.
   */
  async runToEnd(): Promise<void> {
    await this.runUntil(Number.POSITIVE_INFINITY);
  }

  /**
   * Like runToEnd, for the events up to `seconds` (`at <= seconds`): a test steps through a
   * timeline event by event without waiting for its seconds. Later events keep their schedule.
   */
  async runUntil(seconds: number): Promise<void> {
    if (this.#stopped) return;
    this.#startedAt ??= this.#clock.now();
    this.#cancelNext?.();
    this.#cancelNext = undefined;
    while (!this.finished && (this.events[this.#next] as TimelineEvent).at <= seconds) this.#playNext(true);
    // A timeline that was running goes on with what is left; one held back stays held back.
    if (this.#running) this.#scheduleNext();
    await this.whenIdle();
  }

  /** Resolves when the asynchronous effects of the events played so far have happened. */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops the timeline and everything it keeps going (back-offs, bursts, replacements). */
  stop(): void {
    this.#stopped = true;
    this.#running = false;
    this.#cancelNext?.();
    this.#cancelNext = undefined;
    for (const cancel of [...this.#timers]) cancel();
    this.#timers.clear();
  }

  #later = (ms: number, fn: () => void): (() => void) => {
    if (this.#stopped) return () => {};
    const cancelTimer = this.#clock.schedule(ms, () => {
      this.#timers.delete(cancel);
      if (!this.#stopped) fn();
    });
    const cancel = (): void => {
      cancelTimer();
      this.#timers.delete(cancel);
    };
    this.#timers.add(cancel);
    return cancel;
  };

  #scheduleNext(): void {
    const event = this.events[this.#next];
    if (event === undefined || this.#startedAt === undefined) return;
    const dueIn = this.#startedAt + event.at * 1000 - this.#clock.now();
    this.#cancelNext = this.#clock.schedule(Math.max(0, dueIn), () => {
      this.#cancelNext = undefined;
      if (this.#stopped) return;
      this.#playNext(false);
      this.#scheduleNext();
    });
  }

  #playNext(immediately: boolean): void {
    const event = this.events[this.#next++];
    if (event === undefined) return;
    const played: PlayedEvent = { event, playedAtMs: this.#clock.now() - (this.#startedAt ?? this.#clock.now()) };
    try {
      const heal = this.#apply(event, immediately);
      if (event.id !== undefined && heal !== undefined) this.#heals.set(event.id, heal);
    } catch (error) {
      played.error = error instanceof Error ? error.message : String(error);
    }
    this.#played.push(played);
    for (const listener of [...this.#listeners]) listener(played);
  }

  #track(work: Promise<void>): void {
    const tracked = work.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  #podContext(cluster: SimCluster): PodContext {
    let loops = this.#crashLoops.get(cluster.context);
    if (!loops) {
      loops = new Map();
      this.#crashLoops.set(cluster.context, loops);
    }
    return { cluster, later: this.#later, crashLoops: loops };
  }

  #apply(event: TimelineEvent, immediately: boolean): Heal | undefined {
    const action = event.action;
    if (action.kind === 'heal') {
      const heal = this.#heals.get(action.event);
      if (!heal) throw new Error(`nothing to heal: event ${action.event} did not play`);
      this.#heals.delete(action.event);
      const done = heal();
      if (done instanceof Promise) this.#track(done);
      return undefined;
    }
    const cluster = this.#clusterOf(event.context);
    switch (action.kind) {
      case 'setLabel':
        return setLabel(cluster, action.target, action.key, action.value);
      case 'removeLabel':
        return setLabel(cluster, action.target, action.key, undefined);
      case 'setCondition':
        return setCondition(cluster, action.target, action.condition);
      case 'crashPod':
        return crashPods(this.#podContext(cluster), action.pods, action);
      case 'restartPod':
        restartPods(this.#podContext(cluster), action.pods);
        return undefined;
      case 'deletePod':
        deletePods(this.#podContext(cluster), action.pods, action.replaceAfterSeconds);
        return undefined;
      case 'logBurst':
        return playBurst(cluster, action, this.#later, immediately);
      case 'cutOff':
        this.#track(cluster.faults.setUnreachable(true));
        return () => cluster.faults.setUnreachable(false);
    }
  }
}
