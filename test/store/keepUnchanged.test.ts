import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keepUnchanged, sameJson } from '../../src/store/keepUnchanged.ts';

describe('keepUnchanged', () => {
  it('returns the stored value when the new one holds the same data', () => {
    const stored = { rows: [{ name: 'a', types: ['CDS', 'LDS'] }], warnings: [] };
    const fetched = { rows: [{ name: 'a', types: ['CDS', 'LDS'] }], warnings: [] };
    assert.equal(keepUnchanged(stored, fetched), stored);
  });

  it('shares the unchanged parts of a changed value and keeps the new data', () => {
    const stored = { value: { rows: [{ name: 'a' }, { name: 'b' }] }, observedAt: 't1' };
    const fetched = { value: { rows: [{ name: 'a' }, { name: 'b' }] }, observedAt: 't2' };
    const kept = keepUnchanged(stored, fetched);
    assert.notEqual(kept, stored);
    assert.deepEqual(kept, fetched);
    assert.equal(kept.value, stored.value);

    const oneRowChanged = keepUnchanged(stored, { value: { rows: [{ name: 'a' }, { name: 'c' }] }, observedAt: 't1' });
    assert.deepEqual(oneRowChanged, { value: { rows: [{ name: 'a' }, { name: 'c' }] }, observedAt: 't1' });
    assert.equal(oneRowChanged.value.rows[0], stored.value.rows[0]);
  });

  it('sees an added, removed or emptied key and a longer or shorter array as a change', () => {
    assert.deepEqual(keepUnchanged({ a: 1 }, { a: 1, b: 2 }), { a: 1, b: 2 });
    assert.deepEqual(keepUnchanged({ a: 1, b: 2 }, { a: 1 }), { a: 1 });
    assert.deepEqual(keepUnchanged({ a: 1 }, { b: 1 }), { b: 1 });
    assert.deepEqual(keepUnchanged({ a: 1 }, { a: undefined }), { a: undefined });
    assert.deepEqual(keepUnchanged({ b: 1 }, { a: undefined }), { a: undefined });
    assert.deepEqual(keepUnchanged([1, 2], [1, 2, 3]), [1, 2, 3]);
    assert.deepEqual(keepUnchanged([1, 2, 3], [1, 2]), [1, 2]);
    assert.deepEqual(keepUnchanged({ a: [1] }, { a: { 0: 1 } }), { a: { 0: 1 } });
    assert.equal(keepUnchanged(undefined, 'x'), 'x');
  });
});

describe('sameJson', () => {
  it('compares by value, key order aside', () => {
    assert.equal(sameJson({ a: 1, b: [{ c: 'x' }] }, { b: [{ c: 'x' }], a: 1 }), true);
    assert.equal(sameJson({ a: 1, b: [{ c: 'x' }] }, { a: 1, b: [{ c: 'y' }] }), false);
    assert.equal(sameJson({ a: 1 }, { a: 1, b: undefined }), false);
    assert.equal(sameJson({ a: 1, b: 2 }, { a: 1, c: 2 }), false);
    assert.equal(sameJson([1, 2], [1, 2, 3]), false);
    assert.equal(sameJson([], {}), false);
    assert.equal(sameJson(null, {}), false);
    assert.equal(sameJson('1', 1), false);
  });
});
