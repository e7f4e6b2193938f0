// The console's one useInput: every key goes through here. Ink's focus manager is not used at all
// (it eats Tab and blurs on Esc, tui-anchors §3.4); modes live in the ui store instead. A key
// becomes Commands through the key map (src/console/keymap.ts), the Commands become a new ui
// state through the pure reducer (src/console/uiStore.ts), and only the side effects — re-running
// the checks, quitting — happen here.
import { useInput } from 'ink';
import type { Key } from 'ink';
import { selectContextIds } from '../src/store/selectors.ts';
import { commandFor, promptEditsFor } from '../src/console/keymap.ts';
import type { ConsoleServices } from '../src/console/services.ts';
import { flowKey, selectedFindingKey, type ConsoleActions } from '../src/console/actionFlow.ts';
import type { Command } from '../src/console/types.ts';
import { applyCommand, applyPromptEdit, viewIdOf } from '../src/console/uiStore.ts';
import type { UiState, ViewRows } from '../src/console/uiStore.ts';
import { useServices } from './useServices.ts';

function sideEffect(services: ConsoleServices, command: Command, state: UiState, view: ViewRows): (() => void) | undefined {
  if (command.type === 'rerunChecks') return () => services.rerunChecks();
  if (command.type === 'actions' && services.actions !== undefined && !services.options.readOnly) {
    const key = selectedFindingKey(state, view);
    const actions = services.actions;
    return key !== undefined ? () => actions.start(key) : undefined;
  }
  if (command.type === 'quit') return () => services.quit();
  return undefined;
}

/** Applies commands in order; a pane switch in the middle of a chunk (`2j`) leaves later moves on an empty view. */
function runCommands(
  services: ConsoleServices,
  state: UiState,
  commands: readonly Command[],
  view: ViewRows,
  effects: (() => void)[],
): UiState {
  let next = state;
  for (const command of commands) {
    const current = view.id === viewIdOf(next) ? view : { id: viewIdOf(next), rows: [], pageSize: 1 };
    const mesh = services.mesh.getState();
    const before = next;
    next = applyCommand(next, command, current, {
      mesh,
      contexts: selectContextIds(mesh),
      readOnly: services.options.readOnly,
      ...(services.actions !== undefined ? { findingSelected: selectedFindingKey(before, current) !== undefined } : {}),
    });
    const effect = sideEffect(services, command, before, current);
    if (effect) effects.push(effect);
  }
  return next;
}

/** While a guided action is open it takes every key (src/console/actionFlow.ts flowKey). */
function handleFlowKey(actions: ConsoleActions, input: string, key: Partial<Key>, pageSize: number): void {
  const result = flowKey(actions.flow.getState(), input, key, Math.max(1, pageSize));
  if (result.state) actions.flow.setState(result.state, true);
  if (result.effect === 'close') actions.close();
  else if (result.effect === 'confirm') actions.confirm();
  else if (result.effect === 'toggleAll') actions.toggleAll();
  else if (result.effect === 'submit') actions.submitInput(actions.flow.getState().buffer ?? '');
}

/** What a character inside a chunk means on its own: Enter and Tab come as characters there. */
function keyOfChar(char: string): { input: string; key: Partial<Key> } {
  if (char === '\r' || char === '\n') return { input: '', key: { return: true } };
  if (char === '\t') return { input: '', key: { tab: true } };
  return { input: char, key: {} };
}

/**
 * A chunk of plain characters (typed fast over SSH, or pasted: `/istiod⏎`) is handled one
 * character at a time, as if each were its own key press: `/` opens the prompt, and the characters
 * after it must land in it, not be read as commands of the mode the chunk started in.
 */
export function handleKey(services: ConsoleServices, input: string, key: Partial<Key>, view: ViewRows): void {
  const plain = key.ctrl !== true && key.meta !== true && Object.values(key).every((v) => v !== true);
  const chars = Array.from(input);
  if (plain && chars.length > 1) {
    for (const char of chars) {
      const one = keyOfChar(char);
      handleOneKey(services, one.input, one.key, view);
    }
    return;
  }
  handleOneKey(services, input, key, view);
}

function handleOneKey(services: ConsoleServices, input: string, key: Partial<Key>, view: ViewRows): void {
  if (services.actions !== undefined && services.actions.flow.getState().phase !== 'closed') {
    handleFlowKey(services.actions, input, key, view.pageSize);
    return;
  }
  const state = services.ui.getState();
  const effects: (() => void)[] = [];
  let next: UiState;
  // Ctrl-C quits from anywhere, even mid-typing: it is how a terminal user leaves when lost.
  const typing = (state.mode === 'filter' || state.mode === 'command') && !(key.ctrl === true && input === 'c');
  if (typing) {
    next = state;
    for (const edit of promptEditsFor(input, key)) {
      const typingNow = next.mode === 'filter' || next.mode === 'command';
      // Text after an Enter that closed the prompt is keys again (`/istiod\rj`: filter, then down).
      if (!typingNow) {
        const commands = edit.type === 'insert' ? commandFor(edit.text, {}, next.mode, { readOnly: services.options.readOnly }) : [];
        next = runCommands(services, next, commands, view, effects);
        continue;
      }
      const result = applyPromptEdit(next, edit);
      next = result.command ? runCommands(services, result.state, [result.command], view, effects) : result.state;
    }
  } else {
    const mode = key.ctrl === true && input === 'c' ? 'normal' : state.mode;
    const commands = commandFor(input, key, mode, { readOnly: services.options.readOnly });
    if (commands.length === 0) return;
    next = runCommands(services, state, commands, view, effects);
  }
  if (next !== state) services.ui.setState(next, true);
  // After the state: `q` quits with the screen as the user last saw it.
  for (const effect of effects) effect();
}

/** Installs the key handler; `currentView` is read when a key arrives, so it never goes stale. */
export function useKeyCommands(currentView: () => ViewRows): void {
  const services = useServices();
  useInput((input, key) => handleKey(services, input, key, currentView()));
}
