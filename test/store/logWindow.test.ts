// Restarting the log window (what a re-run of the checks does): each context's signature table
// is emptied and records when it started counting again, the raw log tail keeps its lines, lines
// arriving afterwards count again, other contexts are left as they were, and a restart that
// changes nothing (an empty window restarted at the time it already starts from) is no new state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdates, emptyState } from '../../src/store/applyUpdates.ts';
import { selectLogSignatures, selectLogTail } from '../../src/store/selectors.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import type { ContextId } from '../../src/store/types.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import { A, B, errorRecords } from './sliceFixtures.ts';

const T0 = '2026-01-10T12:00:00.000Z';
const T1 = '2026-01-10T12:00:01.000Z';
const RERUN = '2026-01-10T15:42:10.000Z';
const LATER = '2026-01-10T15:43:00.000Z';

function logs(context: ContextId): StoreUpdate {
  return { type: 'logRecords', context, source: 'istio-system/ztunnel-a', records: errorRecords() };
}

function restart(context: ContextId, since = RERUN): StoreUpdate {
  return { type: 'restartLogWindow', context, since };
}

const counted = (state: ReturnType<typeof emptyState>, context: ContextId): number =>
  selectLogSignatures(state, context).reduce((n, s) => n + s.count, 0);

describe('log window', () => {
  it('empties the signatures, records the start, and keeps the raw tail of the context', () => {
    const before = applyUpdates(emptyState(T0), [logs(A), logs(B)], T1);
    assert.ok(counted(before, A) > 0);
    const tail = selectLogTail(before, A);
    const after = applyUpdates(before, [restart(A)], RERUN);
    assert.equal(counted(after, A), 0, 'nothing counted in the new window');
    assert.equal(after.logWindowSince?.[A], RERUN);
    assert.equal(selectLogTail(after, A), tail, 'the tail keeps its lines (and its reference)');
    assert.equal(after.logSignatures[B], before.logSignatures[B], "B's table is untouched");
    assert.equal(after.logWindowSince?.[B], undefined);
    assert.equal(after.contexts, before.contexts, 'no context is copied');
    assert.equal(toSnapshot(after, LATER).logWindowSince?.[A], RERUN, 'checks see when the window started');
  });

  it('counts the lines that arrive afterwards again', () => {
    let state = applyUpdates(emptyState(T0), [logs(A)], T1);
    const once = counted(state, A);
    state = applyUpdates(state, [restart(A)], RERUN);
    state = applyUpdates(state, [logs(A)], LATER);
    assert.equal(counted(state, A), once, 'the same lines again count as many, not twice as many');
    assert.equal(selectLogTail(state, A).length, 2 * once, 'the tail holds the lines of both windows');
  });

  it('restarting an empty window at the time it already starts from is no change; a new time is', () => {
    const start = applyUpdates(emptyState(T0), [{ type: 'contextStatus', context: A, phase: 'ready' }], T1);
    const restarted = applyUpdates(start, [restart(A)], RERUN);
    assert.notEqual(restarted, start, 'a first window start is news');
    assert.equal(applyUpdates(restarted, [restart(A)], LATER), restarted, 'same time, nothing counted: the same state');
    const again = applyUpdates(restarted, [restart(A, LATER)], LATER);
    assert.notEqual(again, restarted);
    assert.equal(again.logSignatures, restarted.logSignatures, 'an empty table is not replaced');
    assert.equal(again.logWindowSince?.[A], LATER);
  });

  it('is ignored for a context the store does not know, and forgotten with its context', () => {
    const state = applyUpdates(emptyState(T0), [logs(A)], T1);
    assert.equal(applyUpdates(state, [restart(B)], RERUN), state);
    const restarted = applyUpdates(state, [restart(A)], RERUN);
    const removed = applyUpdates(restarted, [{ type: 'removeContext', context: A }], LATER);
    assert.equal(removed.logWindowSince?.[A], undefined);
  });
});
