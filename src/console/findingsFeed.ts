// Keeps the console's findings current: the checks run again when the mesh store commits, at
// most once per THROTTLE_MS (the first commit of a quiet spell is evaluated at once, the rest
// of a burst once at its end), and once a minute because checks read the clock to the minute
// (days left on a certificate, minutes a watch has been stale). The findings store is set only
// when the findings changed by reference: one long-lived Evaluator reuses every check whose
// inputs are the same objects, so a bookmark or a log line nobody checks wakes no pane.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Evaluator } from '../../checks/evaluate.ts';
import { CHECKS } from '../../checks/registry.ts';
import type { CheckDefinition } from '../../checks/types.ts';
import type { Timers } from '../store/batcher.ts';
import type { MeshStore } from '../store/meshStore.ts';
import { toSnapshot } from '../store/snapshot.ts';
import type { FindingsState } from './services.ts';

/** Long enough to fold a relist's burst of commits into one evaluation, short enough to feel live. */
export const THROTTLE_MS = 300;
/** checks/trackedSnapshot.ts CLOCK_RESOLUTION_MS: a check's verdict can change only this often on its own. */
export const CLOCK_TICK_MS = 60_000;

export interface FindingsFeedOptions {
  mesh: MeshStore;
  istioNamespace: string;
  precheck: boolean;
  /** LiveMesh.refreshFacts: fetch every fact again (`r`). Absent: a re-run only evaluates. */
  refreshFacts?: () => Promise<void>;
  /** Test hooks. */
  checks?: readonly CheckDefinition[];
  timers?: Timers;
  now?: () => Date;
}

export interface FindingsFeed {
  readonly store: StoreApi<FindingsState>;
  /** Subscribe to the mesh store, evaluate now, and start the minute tick. */
  start(): void;
  /** `r`: fetch the facts again and evaluate; `rerunning` is true meanwhile. */
  rerun(): Promise<void>;
  stop(): void;
}

// Unref'd: the console's terminal keeps the process alive, not these timers; a feed left
// running by a crash path must not hold the exit.
const unrefTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createFindingsFeed(options: FindingsFeedOptions): FindingsFeed {
  const timers = options.timers ?? unrefTimers;
  const now = options.now ?? ((): Date => new Date());
  const evaluator = new Evaluator(options.checks ?? CHECKS);
  const checkOptions = { istioNamespace: options.istioNamespace, precheck: options.precheck };
  const store = createStore<FindingsState>()(() => ({ evaluation: undefined, evaluatedAt: undefined, rerunning: false }));

  let unsubscribe: (() => void) | undefined;
  let cooldown: unknown;
  let dirty = false;
  let tick: unknown;
  let stopped = false;

  /** Runs the checks; publishes only what changed. `force` publishes the time too (a re-run asked for it). */
  const evaluate = (force = false): void => {
    if (stopped) return;
    const snapshot = toSnapshot(options.mesh.getState(), now().toISOString());
    const evaluation = evaluator.evaluate(snapshot, checkOptions);
    const before = store.getState().evaluation;
    if (!force && before !== undefined && before.findings === evaluation.findings) return;
    store.setState({ evaluation, evaluatedAt: snapshot.takenAt });
  };

  // Leading + trailing throttle: evaluate now unless one ran within THROTTLE_MS; then once more
  // at the end of the window if commits arrived during it.
  const endCooldown = (): void => {
    cooldown = undefined;
    if (!dirty) return;
    dirty = false;
    evaluate();
    cooldown = timers.setTimeout(endCooldown, THROTTLE_MS);
  };
  const onCommit = (): void => {
    if (cooldown !== undefined) {
      dirty = true;
      return;
    }
    evaluate();
    cooldown = timers.setTimeout(endCooldown, THROTTLE_MS);
  };

  const scheduleTick = (): void => {
    tick = timers.setTimeout(() => {
      evaluate();
      scheduleTick();
    }, CLOCK_TICK_MS);
  };

  return {
    store,
    start(): void {
      if (unsubscribe !== undefined || stopped) return;
      unsubscribe = options.mesh.api.subscribe(onCommit);
      evaluate();
      scheduleTick();
    },
    async rerun(): Promise<void> {
      if (stopped || store.getState().rerunning) return;
      store.setState({ rerunning: true });
      try {
        await options.refreshFacts?.();
        options.mesh.flush();
        evaluate(true);
      } finally {
        if (!stopped) store.setState({ rerunning: false });
      }
    },
    stop(): void {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      if (cooldown !== undefined) timers.clearTimeout(cooldown);
      if (tick !== undefined) timers.clearTimeout(tick);
      cooldown = undefined;
      tick = undefined;
    },
  };
}
