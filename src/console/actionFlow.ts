// The console's guided-action flow as plain state: `x` on a finding opens it, the plan and the
// server's dry run are shown as a per-context diff, `y` applies, and each step's result with its
// undo commands is shown until Esc. The work (planning, SelfSubjectAccessReview, dry run, writes)
// is done by src/actions/consoleActions.ts behind ConsoleActions; the screens only read `flow`
// and call these functions, and the keys are mapped here, purely, so they are tested without Ink.
import type { StoreApi } from 'zustand/vanilla';
import type { KeyLike } from './keymap.ts';
import { resolveSelection } from './uiStore.ts';
import type { UiState, ViewRows } from './uiStore.ts';

export type ActionFlowPhase =
  /** Nothing open. */
  | 'closed'
  /** The action needs a value the finding does not give (a new network name): typed at a prompt. */
  | 'input'
  /** Planning, asking for permissions, dry-running or applying. */
  | 'working'
  /** The dry run accepted every step: `y` applies, Esc cancels. */
  | 'confirm'
  /** Nothing can be applied (no action for this finding, a missing permission, a refused dry run). */
  | 'blocked'
  /** Applied (or partly): the results and the undo commands. */
  | 'done';

export interface ActionFlowState {
  phase: ActionFlowPhase;
  /** `relabel cluster-west to network west-net`. */
  title: string;
  /** What the overlay shows, already in words (src/actions/planText.ts). */
  lines: readonly string[];
  /** First shown line (j/k, PgUp/PgDn scroll). */
  scroll: number;
  /** The prompt of the `input` phase and what is typed. */
  prompt?: string;
  buffer?: string;
  /** Delete actions: `a` switches between the selected entry and every stale entry of its context. */
  canToggleAll?: boolean;
  all?: boolean;
}

export const CLOSED_FLOW: ActionFlowState = { phase: 'closed', title: '', lines: [], scroll: 0 };

/** What the console hands `x`: the selected finding's key (src/console/findingKey.ts). */
export interface ConsoleActions {
  readonly flow: StoreApi<ActionFlowState>;
  /** Opens the flow for a finding; says so when the finding has no guided action. */
  start(findingKey: string): void;
  /** The typed value of the `input` phase. */
  submitInput(text: string): void;
  /** `y` in the `confirm` phase. */
  confirm(): void;
  /** `a` in a delete plan: every stale entry of the context, or only the selected one. */
  toggleAll(): void;
  close(): void;
  /** `r`: re-run the checks, then show what changed since the last run (absent: a plain re-run). */
  rerunChecks?(): void;
  /** Stops the change journal behind rerunChecks. */
  stop?(): void;
}

export type FlowKeyEffect = 'confirm' | 'close' | 'submit' | 'toggleAll';

export interface FlowKeyResult {
  /** The flow's new state when the key only changed what is shown (scroll, typing). */
  state?: ActionFlowState;
  effect?: FlowKeyEffect;
}

/** How one key acts on the open flow; `pageSize` is how many lines the overlay shows. */
export function flowKey(state: ActionFlowState, input: string, key: KeyLike, pageSize: number): FlowKeyResult {
  if (state.phase === 'input') {
    if (key.escape === true) return { effect: 'close' };
    if (key.return === true) return { effect: 'submit' };
    const buffer = state.buffer ?? '';
    if (key.backspace === true || key.delete === true) return { state: { ...state, buffer: [...buffer].slice(0, -1).join('') } };
    if (key.ctrl === true || key.meta === true) return {};
    const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
    return text === '' ? {} : { state: { ...state, buffer: buffer + text } };
  }
  if (key.escape === true || input === 'q' || (input === 'n' && state.phase === 'confirm')) return { effect: 'close' };
  if (state.phase === 'confirm' && input === 'y') return { effect: 'confirm' };
  if (state.canToggleAll === true && (state.phase === 'confirm' || state.phase === 'blocked') && input === 'a')
    return { effect: 'toggleAll' };
  const last = Math.max(0, state.lines.length - pageSize);
  const scrollTo = (n: number): FlowKeyResult => {
    const scroll = Math.min(Math.max(n, 0), last);
    return scroll === state.scroll ? {} : { state: { ...state, scroll } };
  };
  if (key.upArrow === true || input === 'k') return scrollTo(state.scroll - 1);
  if (key.downArrow === true || input === 'j') return scrollTo(state.scroll + 1);
  if (key.pageUp === true) return scrollTo(state.scroll - pageSize);
  if (key.pageDown === true || input === ' ') return scrollTo(state.scroll + pageSize);
  if (input === 'g' || key.home === true) return scrollTo(0);
  if (input === 'G' || key.end === true) return scrollTo(last);
  return {};
}

/** The footer of the overlay: the keys that do something now, in words. */
export function flowHints(state: ActionFlowState): string {
  const toggle = state.canToggleAll === true ? (state.all === true ? '  a only the selected entry' : '  a every stale entry') : '';
  switch (state.phase) {
    case 'input':
      return 'Enter plan  Esc cancel';
    case 'working':
      return 'working…  Esc close (what was sent stays sent)';
    case 'confirm':
      return `y apply  n/Esc cancel${toggle}  j/k scroll`;
    case 'blocked':
      return `Esc close${toggle}  j/k scroll`;
    case 'done':
      return 'Esc close  j/k scroll';
    case 'closed':
      return '';
  }
}

/** The finding `x` acts on: the one in an open detail, else the selected row's, else none. */
export function selectedFindingKey(state: Pick<UiState, 'mode' | 'detail' | 'selection'>, view: ViewRows): string | undefined {
  if (state.mode === 'detail') return state.detail?.type === 'finding' ? state.detail.key : undefined;
  const selected = resolveSelection(state.selection[view.id], view.rows);
  const ref = selected !== undefined ? view.rows[selected.index]?.detail : undefined;
  return ref?.type === 'finding' ? ref.key : undefined;
}
