// A container's log buffer: oldest first, bounded, told to followers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer } from '../../../src/sim/pod/logBuffer.ts';

const texts = (b: LogBuffer): string[] => b.lines().map((l) => l.text);

describe('LogBuffer', () => {
  it('keeps every line until it is full, then drops the oldest, in order through many wraps', () => {
    const buffer = new LogBuffer(3);
    assert.deepEqual(texts(buffer), []);
    buffer.append({ time: 1, text: 'a' });
    buffer.append({ time: 2, text: 'b' });
    assert.deepEqual(texts(buffer), ['a', 'b']);
    for (const [i, t] of ['c', 'd', 'e', 'f', 'g'].entries()) buffer.append({ time: 3 + i, text: t });
    assert.deepEqual(texts(buffer), ['e', 'f', 'g']);
  });

  it('tells a follower every new line and ends it once', () => {
    const buffer = new LogBuffer(2);
    const seen: string[] = [];
    buffer.subscribe((e) => seen.push(e.kind === 'line' ? e.line.text : 'end'));
    buffer.append({ time: 1, text: 'x' });
    buffer.end();
    buffer.end();
    buffer.append({ time: 2, text: 'after the end' });
    assert.deepEqual(seen, ['x', 'end']);
    assert.deepEqual(texts(buffer), ['x']);
  });
});
