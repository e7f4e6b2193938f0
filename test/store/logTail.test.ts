// The raw failure lines the logs pane drills down to: what is kept (failure lines only, newest
// last, bounded per context), that a pane reading them redraws only when a failure line
// arrived, and that snapshots for checks do not carry them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import { MAX_EXAMPLE_CHARS } from '../../src/mesh/logSignatures.ts';
import { applyUpdates, emptyState } from '../../src/store/applyUpdates.ts';
import { MAX_TAIL_LINES } from '../../src/store/logTail.ts';
import { selectLogSignatures, selectLogTail } from '../../src/store/selectors.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import type { MeshState } from '../../src/store/types.ts';
import type { StoreUpdate } from '../../src/store/updates.ts';
import { A, B, HBONE_TIMEOUT_LINE, errorRecords, infoRecords } from './sliceFixtures.ts';

const T0 = '2026-01-10T12:00:00.000Z';
const T1 = '2026-01-10T12:00:01.000Z';

function logs(context: typeof A, records: ReturnType<typeof errorRecords>, source = 'istio-system/ztunnel-a'): StoreUpdate {
  return { type: 'logRecords', context, source, records };
}

function hboneLines(n: number, startSecond = 0): ReturnType<typeof errorRecords> {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse('2026-01-10T11:00:00.000Z') + (startSecond + i) * 1000).toISOString();
    return parseZtunnelLine(HBONE_TIMEOUT_LINE.replace('2024-07-26T17:18:00.953004Z', at));
  });
}

describe('log tail slice', () => {
  it('keeps the failure lines with their context, source, signature, level and raw text', () => {
    const state = applyUpdates(emptyState(T0), [logs(A, [...infoRecords(), ...errorRecords()])], T1);
    const tail = selectLogTail(state, A);
    assert.deepEqual(
      tail.map((l) => [l.context, l.source, l.signature, l.level, l.at]),
      [
        [A, 'istio-system/ztunnel-a', 'hbone-timeout', 'error', '2024-07-26T17:18:00.953004Z'],
        [A, 'istio-system/ztunnel-a', 'connection-refused', 'warn', '2024-07-26T17:19:00.000000Z'],
      ],
    );
    assert.equal(tail[0]?.text, HBONE_TIMEOUT_LINE);
    assert.equal(new Set(tail.map((l) => l.key)).size, 2, 'keys are unique');
  });

  it('uses the time it was seen for a line without its own time', () => {
    const line = parseZtunnelLine(
      '{"level":"error","target":"access","message":"connection failed","error":"connection refused (os error 111)"}',
    );
    const state = applyUpdates(emptyState(T0), [logs(A, [line])], T1);
    assert.equal(selectLogTail(state, A)[0]?.at, T1);
  });

  it('bounds a long line like the signature examples', () => {
    const long = parseZtunnelLine(`${HBONE_TIMEOUT_LINE} ${'x'.repeat(1500)}`);
    const state = applyUpdates(emptyState(T0), [logs(A, [long])], T1);
    const text = selectLogTail(state, A)[0]?.text ?? '';
    assert.equal(text.length, MAX_EXAMPLE_CHARS + 1);
    assert.ok(text.endsWith('…'));
  });

  it('keeps only the newest lines of a context, and each kept line keeps its key', () => {
    let state = applyUpdates(emptyState(T0), [logs(A, hboneLines(MAX_TAIL_LINES - 10))], T1);
    const keyOfLast = selectLogTail(state, A).at(-1)?.key;
    state = applyUpdates(state, [logs(A, hboneLines(30, MAX_TAIL_LINES))], T1);
    const tail = selectLogTail(state, A);
    assert.equal(tail.length, MAX_TAIL_LINES);
    assert.equal(tail[0]?.at, hboneLines(1, 20)[0]?.time, 'the 20 oldest lines were dropped');
    assert.equal(tail.find((l) => l.at === hboneLines(1, MAX_TAIL_LINES - 11)[0]?.time)?.key, keyOfLast);
    assert.equal(new Set(tail.map((l) => l.key)).size, MAX_TAIL_LINES);
    // One batch longer than the bound keeps its newest lines.
    const flood = applyUpdates(emptyState(T0), [logs(B, hboneLines(MAX_TAIL_LINES + 5))], T1);
    assert.equal(selectLogTail(flood, B).length, MAX_TAIL_LINES);
    assert.equal(selectLogTail(flood, B)[0]?.at, hboneLines(1, 5)[0]?.time);
  });

  it('makes no new state for info lines, and does not replace the tail of another context', () => {
    const before = applyUpdates(emptyState(T0), [logs(A, errorRecords()), logs(B, errorRecords())], T1);
    assert.equal(applyUpdates(before, [logs(A, infoRecords())], T1), before);
    const tailA = selectLogTail(before, A);
    const all = selectLogTail(before);
    const after = applyUpdates(before, [logs(B, errorRecords())], T1);
    assert.equal(selectLogTail(after, A), tailA, "A's tail keeps its reference");
    assert.notEqual(selectLogTail(after, B), selectLogTail(before, B));
    assert.equal(selectLogTail(before), all, 'the merged list is memoized');
    assert.notEqual(selectLogTail(after), all);
    assert.equal(selectLogTail(after).length, 6);
  });

  it('merges every context oldest first, and the merged list stays put while no failure line arrives', () => {
    let state: MeshState = applyUpdates(emptyState(T0), [logs(B, hboneLines(2, 0)), logs(A, hboneLines(2, 1))], T1);
    const merged = selectLogTail(state);
    assert.deepEqual(
      merged.map((l) => `${l.context} ${l.at}`),
      [`${B} 2026-01-10T11:00:00.000Z`, `${A} 2026-01-10T11:00:01.000Z`, `${B} 2026-01-10T11:00:01.000Z`, `${A} 2026-01-10T11:00:02.000Z`],
    );
    state = applyUpdates(state, [{ type: 'contextStatus', context: A, phase: 'ready' }, logs(A, infoRecords())], T1);
    assert.equal(selectLogTail(state), merged);
  });

  it('changes together with the signature table: same classification', () => {
    const state = applyUpdates(emptyState(T0), [logs(A, [...errorRecords(), ...hboneLines(3), ...infoRecords()])], T1);
    const counted = selectLogSignatures(state, A).reduce((n, s) => n + s.count, 0);
    assert.equal(selectLogTail(state, A).length, counted);
  });

  it('is forgotten with its context', () => {
    const state = applyUpdates(emptyState(T0), [logs(A, errorRecords())], T1);
    const removed = applyUpdates(state, [{ type: 'removeContext', context: A }], T1);
    assert.deepEqual(selectLogTail(removed, A), []);
    assert.deepEqual(selectLogTail(removed), []);
  });

  it('stays out of the snapshot checks and --once read', () => {
    const state = applyUpdates(emptyState(T0), [logs(A, errorRecords())], T1);
    const snapshot = toSnapshot(state, T1);
    assert.deepEqual(Object.keys(snapshot).sort(), ['contexts', 'facts', 'logSignatures', 'takenAt']);
  });
});
