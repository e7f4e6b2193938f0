import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyState } from '../../src/store/applyUpdates.ts';
import type { Command } from '../../src/console/types.ts';
import {
  activeFilter,
  applyCommand,
  applyPromptEdit,
  initialUiState,
  resolveSelection,
  viewIdOf,
  type UiState,
  type ViewRows,
} from '../../src/console/uiStore.ts';

function view(keys: string[], id = 'pods', pageSize = 3): ViewRows {
  return { id, pageSize, rows: keys.map((key) => ({ key, detail: { type: 'object', context: 'east', kind: 'Pod', name: key } })) };
}

function run(state: UiState, v: ViewRows, ...commands: Command[]): UiState {
  return commands.reduce((s, c) => applyCommand(s, c, v), state);
}

const pods = initialUiState({ pane: 'pods' });

describe('selection', () => {
  it('moves down, up, to the bottom and the top, and stops at the ends', () => {
    const v = view(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.equal(run(pods, v, { type: 'down' }, { type: 'down' }).selection['pods']?.key, 'c');
    assert.equal(run(pods, v, { type: 'up' }).selection['pods']?.key, 'a', 'already at the top: stays');
    assert.equal(run(pods, v, { type: 'bottom' }).selection['pods']?.key, 'g');
    assert.equal(run(pods, v, { type: 'bottom' }, { type: 'down' }, { type: 'top' }).selection['pods']?.key, 'a');
    assert.equal(run(pods, v, { type: 'pageDown' }).selection['pods']?.key, 'd');
    assert.equal(run(pods, v, { type: 'pageDown' }, { type: 'pageDown' }, { type: 'pageDown' }).selection['pods']?.key, 'g');
    assert.equal(run(pods, v, { type: 'bottom' }, { type: 'pageUp' }).selection['pods']?.key, 'd');
  });

  it('stays on the same key when a row is added above it', () => {
    const s = run(pods, view(['a', 'b', 'c']), { type: 'down' });
    assert.deepEqual(resolveSelection(s.selection['pods'], view(['0', 'a', 'b', 'c']).rows), { key: 'b', index: 2 });
    // And the next move goes from where that row is now.
    assert.equal(run(s, view(['0', 'a', 'b', 'c']), { type: 'down' }).selection['pods']?.key, 'c');
  });

  it('moves to the nearest row when the selected row vanishes', () => {
    const s = run(pods, view(['a', 'b', 'c']), { type: 'down' });
    assert.deepEqual(resolveSelection(s.selection['pods'], view(['a', 'c']).rows), { key: 'c', index: 1 });
    const last = run(pods, view(['a', 'b', 'c']), { type: 'bottom' });
    assert.deepEqual(resolveSelection(last.selection['pods'], view(['a', 'b']).rows), { key: 'b', index: 1 });
    assert.equal(resolveSelection(last.selection['pods'], []), undefined);
  });

  it('keeps a selection per view', () => {
    const s = run(pods, view(['a', 'b']), { type: 'down' });
    const ov = applyCommand(s, { type: 'pane', pane: 'overview' }, view(['a', 'b'], 'pods'));
    assert.equal(ov.pane, 'overview');
    assert.equal(ov.selection['pods']?.key, 'b');
  });
});

describe('panes', () => {
  it('cycles with Tab and Shift-Tab and jumps by number', () => {
    const v = view([]);
    assert.equal(run(initialUiState(), v, { type: 'nextPane' }).pane, 'pods');
    assert.equal(run(initialUiState(), v, { type: 'previousPane' }).pane, 'logs');
    assert.equal(run(initialUiState({ pane: 'logs' }), v, { type: 'nextPane' }).pane, 'overview');
    assert.equal(run(initialUiState(), v, { type: 'pane', pane: 'proxies' }).pane, 'proxies');
  });
});

describe('detail', () => {
  it('opens the selected row, scrolls, and Esc returns with the selection where it was', () => {
    const v = view(['a', 'b', 'c']);
    const opened = run(pods, v, { type: 'down' }, { type: 'open' });
    assert.equal(opened.mode, 'detail');
    assert.deepEqual(opened.detail, { type: 'object', context: 'east', kind: 'Pod', name: 'b' });
    const scrolled = run(opened, v, { type: 'down' }, { type: 'down' }, { type: 'up' });
    assert.equal(scrolled.detailScroll, 1);
    assert.equal(scrolled.selection['pods']?.key, 'b', 'scrolling the detail does not move the row');
    const back = run(scrolled, v, { type: 'back' });
    assert.equal(back.mode, 'normal');
    assert.equal(back.detail, undefined);
    assert.equal(back.selection['pods']?.key, 'b');
  });

  it('says so when a row has no detail', () => {
    const s = applyCommand(pods, { type: 'open' }, { id: 'pods', pageSize: 3, rows: [{ key: 'a' }] });
    assert.equal(s.mode, 'normal');
    assert.equal(s.message?.text, 'no detail for this row');
  });
});

describe('logs', () => {
  const logs = initialUiState({ pane: 'logs' });
  const signatures: ViewRows = {
    id: 'logs',
    pageSize: 5,
    rows: [{ key: 'sig1', detail: { type: 'signature', signature: 'hbone-timeout', context: 'east' } }],
  };

  it('Enter on a signature drills into its raw lines, Esc comes back', () => {
    const drilled = applyCommand(logs, { type: 'open' }, signatures);
    assert.equal(drilled.mode, 'normal');
    assert.deepEqual(drilled.logs.drill, { signature: 'hbone-timeout', context: 'east' });
    assert.equal(viewIdOf(drilled), 'logs/lines');
    const back = applyCommand(drilled, { type: 'back' }, { id: 'logs/lines', pageSize: 5, rows: [] });
    assert.equal(back.logs.drill, undefined);
  });

  it('p freezes the mesh state shown and p again follows', () => {
    const mesh = emptyState('2026-01-01T00:00:00Z');
    const paused = applyCommand(logs, { type: 'togglePause' }, signatures, { mesh });
    assert.equal(paused.logs.frozen, mesh);
    const following = applyCommand(paused, { type: 'togglePause' }, signatures, { mesh });
    assert.equal(following.logs.frozen, undefined);
  });
});

describe('filter prompt', () => {
  it('filters live while typing, keeps it on Enter, and Esc clears it', () => {
    const v = view(['a']);
    let s = applyCommand(pods, { type: 'filter' }, v);
    assert.equal(s.mode, 'filter');
    s = applyPromptEdit(s, { type: 'insert', text: 'ztun' }).state;
    s = applyPromptEdit(s, { type: 'deleteBack' }).state;
    assert.equal(activeFilter(s), 'ztu');
    s = applyPromptEdit(s, { type: 'submit' }).state;
    assert.equal(s.mode, 'normal');
    assert.equal(activeFilter(s), 'ztu');
    // Editing again starts from the kept text; cancelling keeps the old filter.
    const editing = applyCommand(s, { type: 'filter' }, v);
    assert.equal(editing.buffer, 'ztu');
    assert.equal(
      activeFilter(applyPromptEdit(applyPromptEdit(editing, { type: 'insert', text: 'x' }).state, { type: 'cancel' }).state),
      'ztu',
    );
    assert.equal(activeFilter(applyCommand(s, { type: 'back' }, v)), '');
  });
});

describe('command prompt', () => {
  function submit(text: string): ReturnType<typeof applyPromptEdit> {
    const s = applyCommand(pods, { type: 'commandLine' }, view([]));
    return applyPromptEdit(applyPromptEdit(s, { type: 'insert', text }).state, { type: 'submit' });
  }

  it('hands back the command typed', () => {
    const r = submit('gw');
    assert.equal(r.state.mode, 'normal');
    assert.deepEqual(r.command, { type: 'pane', pane: 'gateways' });
  });

  it('shows the error of an unknown command', () => {
    const r = submit('nope');
    assert.equal(r.command, undefined);
    assert.match(r.state.message?.text ?? '', /unknown command "nope"/);
    assert.equal(r.state.message?.tone, 'bad');
  });

  it(':ctx narrows to a known context and refuses an unknown one', () => {
    const env = { contexts: ['east', 'west'] };
    const narrowed = applyCommand(pods, { type: 'context', context: 'west' }, view([]), env);
    assert.equal(narrowed.context, 'west');
    const refused = applyCommand(narrowed, { type: 'context', context: 'north' }, view([]), env);
    assert.equal(refused.context, 'west');
    assert.equal(refused.message?.text, 'no context named north; contexts: east, west');
    assert.equal(applyCommand(narrowed, { type: 'context', context: null }, view([]), env).context, null);
  });
});

describe('help', () => {
  it('? opens and closes help; Esc closes it', () => {
    const open = applyCommand(pods, { type: 'help' }, view([]));
    assert.equal(open.mode, 'help');
    assert.equal(applyCommand(open, { type: 'help' }, view([])).mode, 'normal');
    assert.equal(applyCommand(open, { type: 'back' }, view([])).mode, 'normal');
  });
});
