import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_BINDINGS, commandFor, parseCommandLine, promptEditsFor, visibleBindings } from '../../src/console/keymap.ts';

describe('commandFor', () => {
  it('maps arrows and vim keys to moves', () => {
    assert.deepEqual(commandFor('', { downArrow: true }, 'normal'), [{ type: 'down' }]);
    assert.deepEqual(commandFor('k', {}, 'normal'), [{ type: 'up' }]);
    assert.deepEqual(commandFor('g', {}, 'normal'), [{ type: 'top' }]);
    assert.deepEqual(commandFor('G', { shift: true }, 'normal'), [{ type: 'bottom' }]);
    assert.deepEqual(commandFor('', { pageDown: true }, 'normal'), [{ type: 'pageDown' }]);
    assert.deepEqual(commandFor('f', { ctrl: true }, 'normal'), [{ type: 'pageDown' }]);
    assert.deepEqual(commandFor('b', { ctrl: true }, 'normal'), [{ type: 'pageUp' }]);
  });

  it('reads a chunk of several characters as several keys', () => {
    assert.deepEqual(commandFor('jj', {}, 'normal'), [{ type: 'down' }, { type: 'down' }]);
    assert.deepEqual(commandFor('j?z', {}, 'normal'), [{ type: 'down' }, { type: 'help' }]);
  });

  it('maps number keys, Tab and Shift-Tab to panes', () => {
    assert.deepEqual(commandFor('2', {}, 'normal'), [{ type: 'pane', pane: 'pods' }]);
    assert.deepEqual(commandFor('6', {}, 'normal'), [{ type: 'pane', pane: 'logs' }]);
    assert.deepEqual(commandFor('', { tab: true }, 'normal'), [{ type: 'nextPane' }]);
    assert.deepEqual(commandFor('', { tab: true, shift: true }, 'normal'), [{ type: 'previousPane' }]);
  });

  it('maps Enter, Esc, prompts, help and quit', () => {
    assert.deepEqual(commandFor('', { return: true }, 'normal'), [{ type: 'open' }]);
    assert.deepEqual(commandFor('', { escape: true }, 'normal'), [{ type: 'back' }]);
    assert.deepEqual(commandFor('/', {}, 'normal'), [{ type: 'filter' }]);
    assert.deepEqual(commandFor(':', {}, 'normal'), [{ type: 'commandLine' }]);
    assert.deepEqual(commandFor('q', {}, 'normal'), [{ type: 'quit' }]);
    assert.deepEqual(commandFor('c', { ctrl: true }, 'normal'), [{ type: 'quit' }]);
    assert.deepEqual(commandFor('r', {}, 'normal'), [{ type: 'rerunChecks' }]);
    assert.deepEqual(commandFor('p', {}, 'normal'), [{ type: 'togglePause' }]);
  });

  it('makes the action key inert in read-only mode', () => {
    assert.deepEqual(commandFor('x', {}, 'normal'), [{ type: 'actions' }]);
    assert.deepEqual(commandFor('x', {}, 'normal', { readOnly: true }), []);
  });

  it('lets overlays take only what makes sense there', () => {
    assert.deepEqual(commandFor('j', {}, 'detail'), [{ type: 'down' }]);
    assert.deepEqual(commandFor('/', {}, 'detail'), []);
    assert.deepEqual(commandFor('j', {}, 'help'), []);
    assert.deepEqual(commandFor('?', {}, 'help'), [{ type: 'help' }]);
    assert.deepEqual(commandFor('3', {}, 'help'), [{ type: 'pane', pane: 'gateways' }]);
  });

  it('never turns typing at a prompt into commands', () => {
    assert.deepEqual(commandFor('q', {}, 'filter'), []);
    assert.deepEqual(commandFor('j', {}, 'command'), []);
  });
});

describe('a chunk of keys', () => {
  it('reads Enter and Tab inside a chunk (typed fast over SSH) as those keys', () => {
    assert.deepEqual(
      commandFor('jj\r', {}, 'normal').map((c) => c.type),
      ['down', 'down', 'open'],
    );
    assert.deepEqual(
      commandFor('\tj', {}, 'normal').map((c) => c.type),
      ['nextPane', 'down'],
    );
  });
});

describe('promptEditsFor', () => {
  it('types text, deletes, submits and cancels', () => {
    assert.deepEqual(promptEditsFor('ztu', {}), [{ type: 'insert', text: 'ztu' }]);
    assert.deepEqual(promptEditsFor('', { backspace: true }), [{ type: 'deleteBack' }]);
    assert.deepEqual(promptEditsFor('', { return: true }), [{ type: 'submit' }]);
    assert.deepEqual(promptEditsFor('', { escape: true }), [{ type: 'cancel' }]);
    assert.deepEqual(promptEditsFor('', { upArrow: true }), []);
    // Typed fast over SSH: the Enter arrives inside the chunk and must still submit.
    assert.deepEqual(promptEditsFor('istiod\rj', {}), [
      { type: 'insert', text: 'istiod' },
      { type: 'submit' },
      { type: 'insert', text: 'j' },
    ]);
  });
});

describe('parseCommandLine', () => {
  it('opens panes by name and alias', () => {
    for (const [text, pane] of [
      ['pods', 'pods'],
      ['po', 'pods'],
      [':gw', 'gateways'],
      ['gateways', 'gateways'],
      ['links', 'links'],
      ['px', 'proxies'],
      ['proxies', 'proxies'],
      ['logs', 'logs'],
      ['ov', 'overview'],
      ['overview', 'overview'],
    ] as const) {
      assert.deepEqual(parseCommandLine(text), { ok: true, command: { type: 'pane', pane } }, text);
    }
  });

  it('narrows to a context and back', () => {
    assert.deepEqual(parseCommandLine('ctx east'), { ok: true, command: { type: 'context', context: 'east' } });
    assert.deepEqual(parseCommandLine('ctx'), { ok: true, command: { type: 'context', context: null } });
  });

  it('quits and opens help', () => {
    assert.deepEqual(parseCommandLine('q'), { ok: true, command: { type: 'quit' } });
    assert.deepEqual(parseCommandLine('quit'), { ok: true, command: { type: 'quit' } });
    assert.deepEqual(parseCommandLine('help'), { ok: true, command: { type: 'help' } });
  });

  it('names the valid commands when it does not know one', () => {
    const result = parseCommandLine('deploy');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /unknown command "deploy": try pods, gw, links, px, logs, ov, ctx NAME, ctx, help, q/);
  });
});

describe('KEY_BINDINGS', () => {
  it('documents every command a key can produce', () => {
    const types = new Set(KEY_BINDINGS.map((b) => b.command));
    for (const t of [
      'up',
      'down',
      'pageUp',
      'pageDown',
      'top',
      'bottom',
      'open',
      'back',
      'filter',
      'commandLine',
      'nextPane',
      'previousPane',
      'pane',
      'rerunChecks',
      'actions',
      'togglePause',
      'help',
      'quit',
      'context',
    ]) {
      assert.ok(types.has(t as never), t);
    }
  });

  it('hides action keys in read-only mode', () => {
    assert.ok(visibleBindings(false).some((b) => b.keys.includes('x')));
    assert.ok(!visibleBindings(true).some((b) => b.keys.includes('x')));
  });
});
