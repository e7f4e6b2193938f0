// What the screens are handed: stores to read and functions to call. The command that starts
// the console (src/cli/commands/console.ts) builds this from the live feeds; tests build it from
// a store they fill by hand. Screens never see a Kubernetes client: everything that does I/O is
// behind one of these functions.
import type { StoreApi } from 'zustand/vanilla';
import type { MeshState } from '../store/types.ts';
import type { Evaluation } from '../../checks/evaluate.ts';
import type { UiState } from './uiStore.ts';
import type { ConsoleActions } from './actionFlow.ts';

/** The checks' latest answer, kept by the findings feed (findingsFeed.ts). */
export interface FindingsState {
  /** undefined until the first evaluation. */
  evaluation: Evaluation | undefined;
  /** When the evaluation ran (the snapshot's time). */
  evaluatedAt: string | undefined;
  /** A re-run (`r`) is fetching facts. */
  rerunning: boolean;
}

/** A kubeconfig entry the console could not load: shown in the header as `invalid`. */
export interface InvalidContext {
  context: string;
  reason: string;
}

export interface ConsoleOptions {
  /** `--read-only`: no action keys, no action hints. */
  readOnly: boolean;
  istioNamespace: string;
  precheck: boolean;
  invalidContexts: readonly InvalidContext[];
  /** Shown in the header: `demo: live-demo` or the kubeconfig path. */
  source: string;
}

/** One Kubernetes Event about an object, for the detail view. */
export interface ObjectEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string;
}

export interface ConsoleServices {
  mesh: StoreApi<MeshState>;
  findings: StoreApi<FindingsState>;
  ui: StoreApi<UiState>;
  options: ConsoleOptions;
  /** `r`: refresh every fetched fact and evaluate again. */
  rerunChecks(): void;
  /** `q`, `:q`: leave; the command restores the terminal and stops the feeds. */
  quit(): void;
  /**
   * The clock ages are measured against, and how often it moves (ms; 0 = never: a test's frames
   * then stay put). Absent: the wall clock, ticking every AGE_CADENCE_MS (src/console/rows/age.ts).
   */
  clock?: { nowMs(): number; tickMs: number };
  /** Events of one object, fetched when its detail opens; absent in tests that do not need it. */
  fetchEvents?(ref: { context: string; kind: string; namespace?: string; name: string }): Promise<readonly ObjectEvent[]>;
  /** Guided actions (`x`, src/actions/consoleActions.ts); absent with `--read-only` and in tests that do not need them. */
  actions?: ConsoleActions;
}
