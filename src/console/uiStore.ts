// The console's own state (which pane, which row, what is typed), kept in a zustand vanilla store
// apart from the mesh: a key press never touches what the clusters said, and a watch event never
// moves the cursor. Every key's effect is the pure reducer applyCommand, so key handling is tested
// without Ink; hooks/useKeyCommands.ts only routes keys here and runs the side effects.
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { MeshState } from '../store/types.ts';
import { parseCommandLine } from './keymap.ts';
import type { InputMode, PromptEdit } from './keymap.ts';
import { PANES } from './types.ts';
import type { Command, DetailRef, PaneId, Tone } from './types.ts';

/** Which raw lines the Logs pane shows instead of the signatures (Enter on a signature). */
export interface LogsDrill {
  signature: string;
  context?: string;
  pod?: string;
}

export interface Selection {
  key: string;
  /** Where the row was when it was selected: the nearest row takes over if it vanishes. */
  index: number;
}

export interface UiMessage {
  text: string;
  tone: Tone;
}

export interface UiState {
  pane: PaneId;
  mode: InputMode;
  /** What is being typed at the `/` or `:` prompt. */
  buffer: string;
  /** Applied filter text per view (see viewIdOf). */
  filters: Readonly<Record<string, string>>;
  /** Selected row per view. */
  selection: Readonly<Record<string, Selection>>;
  detail: DetailRef | undefined;
  detailScroll: number;
  /** `:ctx NAME`: only this context's rows; null = every context. */
  context: string | null;
  logs: {
    /** Paused: the Logs pane keeps showing this mesh state (what it showed when `p` was pressed). */
    frozen: MeshState | undefined;
    drill: LogsDrill | undefined;
  };
  message: UiMessage | undefined;
}

export function initialUiState(overrides: Partial<UiState> = {}): UiState {
  return {
    pane: 'overview',
    mode: 'normal',
    buffer: '',
    filters: {},
    selection: {},
    detail: undefined,
    detailScroll: 0,
    context: null,
    logs: { frozen: undefined, drill: undefined },
    message: undefined,
    ...overrides,
  };
}

export function createUiStore(initial: Partial<UiState> = {}): StoreApi<UiState> {
  return createStore<UiState>()(() => initialUiState(initial));
}

/** The view a pane shows: the pane itself, or the Logs pane's raw lines of one signature. */
export function viewIdOf(state: Pick<UiState, 'pane' | 'logs'>): string {
  return state.pane === 'logs' && state.logs.drill ? 'logs/lines' : state.pane;
}

/** The filter the current view applies: while typing `/`, what is typed (the rows narrow live). */
export function activeFilter(state: UiState, viewId: string = viewIdOf(state)): string {
  if (state.mode === 'filter' && viewId === viewIdOf(state)) return state.buffer;
  return state.filters[viewId] ?? '';
}

/** What the current pane shows, as far as keys care: its rows in order and how many fit. */
export interface ViewRows {
  id: string;
  rows: readonly { key: string; detail?: DetailRef }[];
  /** Rows that fit on one page (PgUp/PgDn). */
  pageSize: number;
}

/** Facts some commands need besides the view. */
export interface CommandEnv {
  /** The mesh now (pausing the logs keeps it). */
  mesh?: MeshState;
  /** Known contexts, to refuse `:ctx` with a name that is none of them. */
  contexts?: readonly string[];
  readOnly?: boolean;
  /** Guided actions are offered (ConsoleServices.actions): whether the selected row (or open detail) is a finding. */
  findingSelected?: boolean;
}

/**
 * The selected row of a view: the same key if it is still there, else the row now at the
 * selected row's old position (the nearest survivor), else the first row.
 */
export function resolveSelection(selection: Selection | undefined, rows: ViewRows['rows']): { key: string; index: number } | undefined {
  if (rows.length === 0) return undefined;
  if (selection !== undefined) {
    const index = rows.findIndex((r) => r.key === selection.key);
    if (index >= 0) return { key: selection.key, index };
    const nearest = Math.min(Math.max(selection.index, 0), rows.length - 1);
    return { key: (rows[nearest] as { key: string }).key, index: nearest };
  }
  return { key: (rows[0] as { key: string }).key, index: 0 };
}

function moveSelection(state: UiState, view: ViewRows, to: (index: number, last: number) => number): UiState {
  const current = resolveSelection(state.selection[view.id], view.rows);
  if (current === undefined) return state;
  const last = view.rows.length - 1;
  const index = Math.min(Math.max(to(current.index, last), 0), last);
  const key = (view.rows[index] as { key: string }).key;
  const previous = state.selection[view.id];
  if (previous?.key === key && previous.index === index) return state;
  return { ...state, selection: { ...state.selection, [view.id]: { key, index } } };
}

function scrollDetail(state: UiState, by: number | 'top' | 'bottom'): UiState {
  // The Detail overlay clamps the bottom (it knows how many lines it has); here only the top.
  const next = by === 'top' ? 0 : by === 'bottom' ? Number.MAX_SAFE_INTEGER : Math.max(0, state.detailScroll + by);
  return next === state.detailScroll ? state : { ...state, detailScroll: next };
}

function switchPane(state: UiState, pane: PaneId): UiState {
  return { ...state, pane, mode: 'normal', buffer: '', detail: undefined, detailScroll: 0, message: undefined };
}

function paneAt(state: UiState, step: number): PaneId {
  const i = PANES.indexOf(state.pane);
  return PANES[(i + step + PANES.length) % PANES.length] as PaneId;
}

/** Esc undoes the innermost thing: an overlay, then the filter, then the raw-lines drill-down. */
function back(previous: UiState): UiState {
  const state = previous.message === undefined ? previous : { ...previous, message: undefined };
  if (state.mode === 'help' || state.mode === 'detail') return { ...state, mode: 'normal', detail: undefined, detailScroll: 0 };
  const viewId = viewIdOf(state);
  if ((state.filters[viewId] ?? '') !== '') {
    const filters = { ...state.filters };
    delete filters[viewId];
    return { ...state, filters };
  }
  if (state.pane === 'logs' && state.logs.drill) return { ...state, logs: { ...state.logs, drill: undefined } };
  return state;
}

function open(state: UiState, view: ViewRows): UiState {
  const current = resolveSelection(state.selection[view.id], view.rows);
  if (current === undefined) return state;
  const row = view.rows[current.index];
  const ref = row?.detail;
  if (ref === undefined) return { ...state, message: { text: 'no detail for this row', tone: 'muted' } };
  // On the Logs pane's signatures, Enter drills into the raw lines; on a raw line it opens its detail.
  if (view.id === 'logs' && ref.type === 'signature') {
    const drill: LogsDrill = { signature: ref.signature, ...(ref.context !== undefined ? { context: ref.context } : {}) };
    return { ...state, logs: { ...state.logs, drill }, message: undefined };
  }
  return { ...state, mode: 'detail', detail: ref, detailScroll: 0, message: undefined };
}

function setContext(state: UiState, context: string | null, env: CommandEnv): UiState {
  if (context !== null && env.contexts !== undefined && !env.contexts.includes(context)) {
    const known = env.contexts.length > 0 ? env.contexts.join(', ') : 'none yet';
    return { ...state, mode: 'normal', message: { text: `no context named ${context}; contexts: ${known}`, tone: 'bad' } };
  }
  // The status line says `ctx: NAME` while narrowed: no message needed.
  return { ...state, mode: 'normal', context, message: undefined };
}

/**
 * What one command does to the console's state. Side effects (re-running checks, quitting) are
 * the caller's; here they only leave a word in the message line.
 */
export function applyCommand(state: UiState, command: Command, view: ViewRows, env: CommandEnv = {}): UiState {
  const inDetail = state.mode === 'detail';
  switch (command.type) {
    case 'up':
      return inDetail ? scrollDetail(state, -1) : moveSelection(state, view, (i) => i - 1);
    case 'down':
      return inDetail ? scrollDetail(state, 1) : moveSelection(state, view, (i) => i + 1);
    case 'pageUp':
      return inDetail ? scrollDetail(state, -view.pageSize) : moveSelection(state, view, (i) => i - Math.max(1, view.pageSize));
    case 'pageDown':
      return inDetail ? scrollDetail(state, view.pageSize) : moveSelection(state, view, (i) => i + Math.max(1, view.pageSize));
    case 'top':
      return inDetail ? scrollDetail(state, 'top') : moveSelection(state, view, () => 0);
    case 'bottom':
      return inDetail ? scrollDetail(state, 'bottom') : moveSelection(state, view, (_i, last) => last);
    case 'open':
      return open(state, view);
    case 'back':
      return back(state);
    case 'filter':
      return { ...state, mode: 'filter', buffer: state.filters[view.id] ?? '', message: undefined };
    case 'commandLine':
      return { ...state, mode: 'command', buffer: '', message: undefined };
    case 'nextPane':
      return switchPane(state, paneAt(state, 1));
    case 'previousPane':
      return switchPane(state, paneAt(state, -1));
    case 'pane':
      return switchPane(state, command.pane);
    case 'help':
      return state.mode === 'help' ? { ...state, mode: 'normal' } : { ...state, mode: 'help', detail: undefined, message: undefined };
    case 'togglePause': {
      const paused = state.logs.frozen !== undefined;
      if (paused) return { ...state, logs: { ...state.logs, frozen: undefined }, message: { text: 'following the logs', tone: 'muted' } };
      if (env.mesh === undefined) return state;
      return { ...state, logs: { ...state.logs, frozen: env.mesh }, message: undefined };
    }
    case 'rerunChecks':
      return { ...state, message: { text: 're-running the checks…', tone: 'muted' } };
    case 'actions':
      if (env.readOnly === true) return state;
      // With guided actions the flow opens (the key handler's side effect); on a row that is no finding, say where x works.
      if (env.findingSelected === true) return state.message === undefined ? state : { ...state, message: undefined };
      if (env.findingSelected === false)
        return { ...state, message: { text: 'x acts on a finding: select one in the Overview pane', tone: 'muted' } };
      // Guided actions arrive with issue 11; until then the key says so instead of doing nothing.
      return { ...state, message: { text: 'no guided actions yet for this row', tone: 'muted' } };
    case 'quit':
      return state;
    case 'context':
      return setContext(state, command.context, env);
  }
}

/** The result of a prompt edit: the new state, and the command a submitted `:` line asks for. */
export interface PromptResult {
  state: UiState;
  command?: Command;
}

/** Typing at the `/` or `:` prompt. Enter on `/` keeps the filter; Enter on `:` runs the command. */
export function applyPromptEdit(state: UiState, edit: PromptEdit): PromptResult {
  switch (edit.type) {
    case 'insert':
      return { state: { ...state, buffer: state.buffer + edit.text } };
    case 'deleteBack':
      return { state: { ...state, buffer: [...state.buffer].slice(0, -1).join('') } };
    case 'cancel':
      return { state: { ...state, mode: 'normal', buffer: '' } };
    case 'submit': {
      const closed: UiState = { ...state, mode: 'normal', buffer: '' };
      if (state.mode === 'filter') {
        const viewId = viewIdOf(state);
        const filters = { ...state.filters };
        const text = state.buffer.trim();
        if (text === '') delete filters[viewId];
        else filters[viewId] = text;
        return { state: { ...closed, filters } };
      }
      if (state.buffer.trim() === '') return { state: closed };
      const parsed = parseCommandLine(state.buffer);
      if (!parsed.ok) return { state: { ...closed, message: { text: parsed.error, tone: 'bad' } } };
      return { state: closed, command: parsed.command };
    }
  }
}
