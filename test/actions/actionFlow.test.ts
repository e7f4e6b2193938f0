// The guided-action overlay's keys, as plain functions: typing a network name, y only on the
// confirm screen, Esc/n/q closing, `a` only where the plan can switch, scrolling clamped to the
// lines there are; and which finding `x` acts on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSED_FLOW, flowHints, flowKey, selectedFindingKey, type ActionFlowState } from '../../src/console/actionFlow.ts';
import { initialUiState } from '../../src/console/uiStore.ts';

const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
const confirm: ActionFlowState = { ...CLOSED_FLOW, phase: 'confirm', title: 't', lines };

test('input phase: text is typed, backspace deletes, Enter submits, Esc closes', () => {
  const input: ActionFlowState = { ...CLOSED_FLOW, phase: 'input', prompt: 'network: ', buffer: 'wes' };
  assert.equal(flowKey(input, 't', {}, 10).state?.buffer, 'west');
  assert.equal(flowKey(input, '', { backspace: true }, 10).state?.buffer, 'we');
  assert.equal(flowKey(input, 'y', {}, 10).state?.buffer, 'wesy', 'y is text here, not a confirmation');
  assert.deepEqual(flowKey(input, '', { return: true }, 10), { effect: 'submit' });
  assert.deepEqual(flowKey(input, '', { escape: true }, 10), { effect: 'close' });
});

test('y confirms only on the confirm screen; n, q and Esc close', () => {
  assert.deepEqual(flowKey(confirm, 'y', {}, 10), { effect: 'confirm' });
  assert.deepEqual(flowKey({ ...confirm, phase: 'blocked' }, 'y', {}, 10), {});
  assert.deepEqual(flowKey({ ...confirm, phase: 'done' }, 'y', {}, 10), {});
  for (const [input, key] of [
    ['n', {}],
    ['q', {}],
    ['', { escape: true }],
  ] as const)
    assert.deepEqual(flowKey(confirm, input, key, 10), { effect: 'close' });
  assert.deepEqual(flowKey(confirm, 'a', {}, 10), {}, 'no toggle when the plan has none');
  assert.deepEqual(flowKey({ ...confirm, canToggleAll: true }, 'a', {}, 10), { effect: 'toggleAll' });
});

test('scrolling stays within the lines', () => {
  assert.equal(flowKey(confirm, 'j', {}, 10).state?.scroll, 1);
  assert.deepEqual(flowKey(confirm, 'k', {}, 10), {}, 'already at the top');
  assert.equal(flowKey(confirm, 'G', {}, 10).state?.scroll, 20);
  assert.equal(flowKey({ ...confirm, scroll: 15 }, '', { pageDown: true }, 10).state?.scroll, 20);
  assert.equal(flowKey({ ...confirm, scroll: 20 }, 'g', {}, 10).state?.scroll, 0);
});

test('hints name the keys that act now, in words', () => {
  assert.equal(flowHints(confirm), 'y apply  n/Esc cancel  j/k scroll');
  assert.equal(flowHints({ ...confirm, phase: 'blocked', canToggleAll: true, all: false }), 'Esc close  a every stale entry  j/k scroll');
});

test('x acts on the selected finding row, or the finding of an open detail', () => {
  const view = {
    id: 'overview',
    rows: [
      { key: 'a', detail: { type: 'finding' as const, key: 'fa' } },
      { key: 'b', detail: { type: 'object' as const, context: 'c', kind: 'Pod', name: 'p' } },
    ],
    pageSize: 10,
  };
  assert.equal(selectedFindingKey(initialUiState(), view), 'fa', 'the first row when nothing was selected');
  assert.equal(selectedFindingKey(initialUiState({ selection: { overview: { key: 'b', index: 1 } } }), view), undefined);
  assert.equal(selectedFindingKey(initialUiState({ mode: 'detail', detail: { type: 'finding', key: 'fz' } }), view), 'fz');
});
