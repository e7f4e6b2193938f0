// The one table of what each key means. Keys become semantic Commands here, and only here: the
// Help overlay, the hints line and `--read-only` are all generated from KEY_BINDINGS, so a key
// cannot do one thing and be documented as another. Pure: no React, no Ink (Ink's Key type is
// matched structurally), so every binding is tested as a plain function.
import type { Command, PaneId } from './types.ts';
import { PANES } from './types.ts';

/** What the console is doing with keys right now. */
export type InputMode = 'normal' | 'filter' | 'command' | 'help' | 'detail';

export type KeySection = 'Move' | 'Panes' | 'Logs' | 'Checks and actions' | 'General';

export interface KeyBinding {
  /**
   * How the keys read in help: a printable character (`j`, `?`), a named key (`Up`, `PgDn`,
   * `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Home`, `End`), `Ctrl-<letter>`, or a command-line
   * command (`:pods`), which is documented here but typed at the `:` prompt, not pressed.
   */
  keys: readonly string[];
  command: Command['type'];
  help: string;
  section: KeySection;
  /** Changes a cluster: hidden from help and hints, and inert, with `--read-only`. */
  action?: boolean;
  /** For `pane` bindings: which pane the key opens. */
  pane?: PaneId;
}

/** The fields of Ink's `Key` the key map reads; any Ink Key fits. */
export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  overview: 'Overview',
  pods: 'Pods',
  gateways: 'Gateways',
  links: 'Links',
  proxies: 'Proxies',
  logs: 'Logs',
};

const paneBindings: KeyBinding[] = PANES.map((pane, i) => ({
  keys: [String(i + 1)],
  command: 'pane',
  pane,
  help: `${PANE_TITLES[pane]} pane`,
  section: 'Panes',
}));

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['Up', 'k'], command: 'up', help: 'previous row', section: 'Move' },
  { keys: ['Down', 'j'], command: 'down', help: 'next row', section: 'Move' },
  { keys: ['PgUp', 'Ctrl-b'], command: 'pageUp', help: 'page up', section: 'Move' },
  { keys: ['PgDn', 'Ctrl-f'], command: 'pageDown', help: 'page down', section: 'Move' },
  { keys: ['g', 'Home'], command: 'top', help: 'first row', section: 'Move' },
  { keys: ['G', 'End'], command: 'bottom', help: 'last row', section: 'Move' },
  { keys: ['Enter'], command: 'open', help: 'detail; Logs: raw lines', section: 'Move' },
  { keys: ['Esc'], command: 'back', help: 'back; clear filter', section: 'Move' },
  ...paneBindings,
  { keys: ['Tab'], command: 'nextPane', help: 'next pane', section: 'Panes' },
  { keys: ['Shift-Tab'], command: 'previousPane', help: 'previous pane', section: 'Panes' },
  { keys: ['p'], command: 'togglePause', help: 'pause / follow', section: 'Logs' },
  { keys: ['r'], command: 'rerunChecks', help: 're-run the checks', section: 'Checks and actions' },
  { keys: ['x'], command: 'actions', help: 'fix the finding', section: 'Checks and actions', action: true },
  { keys: ['/'], command: 'filter', help: 'filter rows (!x: without)', section: 'General' },
  { keys: [':'], command: 'commandLine', help: 'command line', section: 'General' },
  { keys: [':pods', ':gw', ':links', ':px', ':logs', ':ov'], command: 'pane', help: 'pane by name', section: 'General' },
  { keys: [':ctx NAME'], command: 'context', help: 'one context (:ctx: all)', section: 'General' },
  { keys: ['?'], command: 'help', help: 'this help', section: 'General' },
  { keys: ['q', 'Ctrl-c', ':q'], command: 'quit', help: 'quit', section: 'General' },
];

/** The bindings a user can see and use: action keys are gone in read-only mode. */
export function visibleBindings(readOnly: boolean): readonly KeyBinding[] {
  return readOnly ? KEY_BINDINGS.filter((b) => b.action !== true) : KEY_BINDINGS;
}

/** Does one key descriptor of the table match a single special key press? */
function matchesSpecial(descriptor: string, key: KeyLike): boolean {
  switch (descriptor) {
    case 'Up':
      return key.upArrow === true;
    case 'Down':
      return key.downArrow === true;
    case 'PgUp':
      return key.pageUp === true;
    case 'PgDn':
      return key.pageDown === true;
    case 'Home':
      return key.home === true;
    case 'End':
      return key.end === true;
    case 'Enter':
      return key.return === true;
    case 'Esc':
      return key.escape === true;
    case 'Tab':
      return key.tab === true && key.shift !== true;
    case 'Shift-Tab':
      return key.tab === true && key.shift === true;
    default:
      return false;
  }
}

function isSpecial(key: KeyLike): boolean {
  return (
    key.upArrow === true ||
    key.downArrow === true ||
    key.leftArrow === true ||
    key.rightArrow === true ||
    key.pageUp === true ||
    key.pageDown === true ||
    key.home === true ||
    key.end === true ||
    key.return === true ||
    key.escape === true ||
    key.tab === true ||
    key.backspace === true ||
    key.delete === true
  );
}

function toCommand(binding: KeyBinding): Command | undefined {
  if (binding.command === 'pane') return binding.pane ? { type: 'pane', pane: binding.pane } : undefined;
  // `:ctx NAME` carries an argument: it only comes from the command line.
  if (binding.command === 'context') return undefined;
  return { type: binding.command };
}

/** Only keys, not command-line commands: a descriptor starting with `:` is typed, not pressed. */
const PRESSABLE = KEY_BINDINGS.map((b) => ({ binding: b, keys: b.keys.filter((k) => !k.startsWith(':') || k === ':') }));

function bindingForChar(char: string, ctrl: boolean): KeyBinding | undefined {
  const descriptor = ctrl ? `Ctrl-${char.toLowerCase()}` : char === ' ' ? 'Space' : char;
  return PRESSABLE.find((p) => p.keys.includes(descriptor))?.binding;
}

/** The special keys that can arrive as plain characters inside a chunk of typed input. */
const CHUNK_KEYS: Readonly<Record<string, KeyLike>> = { '\r': { return: true }, '\n': { return: true }, '\t': { tab: true } };

function bindingForSpecial(key: KeyLike): KeyBinding | undefined {
  return PRESSABLE.find((p) => p.keys.some((k) => matchesSpecial(k, key)))?.binding;
}

/** What each mode lets through: overlays take moves as scrolling and ignore what makes no sense there. */
const ALLOWED: Readonly<Record<InputMode, ReadonlySet<Command['type']> | 'all'>> = {
  normal: 'all',
  detail: new Set([
    'up',
    'down',
    'pageUp',
    'pageDown',
    'top',
    'bottom',
    'back',
    'pane',
    'nextPane',
    'previousPane',
    'help',
    'quit',
    'rerunChecks',
    'actions',
  ]),
  help: new Set(['back', 'help', 'pane', 'nextPane', 'previousPane', 'quit']),
  // Typing modes: every key is text (promptEditFor), none is a command.
  filter: new Set(),
  command: new Set(),
};

export interface KeymapOptions {
  readOnly: boolean;
}

/**
 * The commands one `useInput` call means, in order. Several printable characters can arrive as
 * one chunk (fast typing over SSH): `"jj"` is two downs. Unbound characters are skipped.
 */
export function commandFor(input: string, key: KeyLike, mode: InputMode, options: KeymapOptions = { readOnly: false }): readonly Command[] {
  const allowed = ALLOWED[mode];
  const bindings: KeyBinding[] = [];
  if (isSpecial(key)) {
    const b = bindingForSpecial(key);
    if (b) bindings.push(b);
  } else if (key.meta !== true) {
    for (const char of input) {
      // Inside a chunk (`jjj\r` typed fast over SSH) Enter and Tab are characters, not key flags.
      const inChunk = CHUNK_KEYS[char];
      const b = inChunk !== undefined ? bindingForSpecial(inChunk) : bindingForChar(char, key.ctrl === true);
      if (b) bindings.push(b);
    }
  }
  const commands: Command[] = [];
  for (const b of bindings) {
    if (options.readOnly && b.action === true) continue;
    if (allowed !== 'all' && !allowed.has(b.command)) continue;
    const command = toCommand(b);
    if (command) commands.push(command);
  }
  return commands;
}

/** How a key edits the `/` or `:` prompt. */
export type PromptEdit = { type: 'insert'; text: string } | { type: 'deleteBack' } | { type: 'submit' } | { type: 'cancel' };

/**
 * How one key event edits the `/` or `:` prompt: text is typed, Enter submits, Esc cancels. A chunk
 * typed fast over SSH (`istiod\r`) arrives as one event with the Enter inside it: it is the text
 * and then a submit, in order, and whatever follows the Enter comes after the submit.
 */
export function promptEditsFor(input: string, key: KeyLike): readonly PromptEdit[] {
  if (key.return === true) return [{ type: 'submit' }];
  if (key.escape === true) return [{ type: 'cancel' }];
  if (key.backspace === true || key.delete === true) return [{ type: 'deleteBack' }];
  if (key.ctrl === true || key.meta === true || isSpecial(key)) return [];
  const edits: PromptEdit[] = [];
  input.split(/\r\n?|\n/).forEach((segment, i) => {
    if (i > 0) edits.push({ type: 'submit' });
    // Control bytes (a stray escape fragment) are never typed text.
    const text = segment.replace(/[\u0000-\u001f\u007f]/g, '');
    if (text.length > 0) edits.push({ type: 'insert', text });
  });
  return edits;
}

const PANE_NAMES: Readonly<Record<string, PaneId>> = {
  ov: 'overview',
  overview: 'overview',
  findings: 'overview',
  po: 'pods',
  pod: 'pods',
  pods: 'pods',
  gw: 'gateways',
  gateway: 'gateways',
  gateways: 'gateways',
  links: 'links',
  link: 'links',
  px: 'proxies',
  proxy: 'proxies',
  proxies: 'proxies',
  logs: 'logs',
  log: 'logs',
};

export const COMMAND_LINE_NAMES = 'pods, gw, links, px, logs, ov, ctx NAME, ctx, help, q';

export type CommandLineResult = { ok: true; command: Command } | { ok: false; error: string };

/** `:` commands: `pods`, `gw`, `px`, `logs`, `links`, `ov`, `ctx NAME`, `ctx`, `help`, `q`. */
export function parseCommandLine(text: string): CommandLineResult {
  const words = text.trim().replace(/^:/, '').trim().split(/\s+/).filter(Boolean);
  const [name, ...rest] = words;
  if (name === undefined) return { ok: false, error: `type a command: ${COMMAND_LINE_NAMES}` };
  const lower = name.toLowerCase();
  const pane = PANE_NAMES[lower];
  if (pane !== undefined && rest.length === 0) return { ok: true, command: { type: 'pane', pane } };
  if (lower === 'ctx' || lower === 'context') {
    if (rest.length > 1) return { ok: false, error: 'ctx takes one context name (or none for all contexts)' };
    return { ok: true, command: { type: 'context', context: rest[0] ?? null } };
  }
  if ((lower === 'q' || lower === 'quit' || lower === 'q!') && rest.length === 0) return { ok: true, command: { type: 'quit' } };
  if ((lower === 'help' || lower === '?') && rest.length === 0) return { ok: true, command: { type: 'help' } };
  if (pane !== undefined) return { ok: false, error: `${name} takes no arguments` };
  return { ok: false, error: `unknown command "${name}": try ${COMMAND_LINE_NAMES}` };
}
