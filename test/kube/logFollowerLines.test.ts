// The pieces under the log follower: cutting a byte stream into lines whatever the chunking,
// reading the kubelet's timestamp, and recognising replayed lines after a resume.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOG_LINE_BYTES, LineSplitter, type SplitLine } from '../../src/kube/lineSplitter.ts';
import { sinceTimeOf, splitKubeletTimestamp } from '../../src/kube/kubeletTimestamp.ts';
import { LogResumeWindow } from '../../src/kube/logResumeWindow.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const logSplitter = (maxLineBytes = DEFAULT_LOG_LINE_BYTES): LineSplitter => new LineSplitter({ maxLineBytes, overLong: 'truncate' });

/** What the follower makes of a split line. */
function asLogLine(line: SplitLine): { text: string; truncated: boolean } {
  assert.equal(line.kind, 'line', 'a log splitter cuts lines, it never drops them');
  return line.kind === 'line' ? { text: line.text, truncated: line.truncated === true } : { text: '', truncated: true };
}

function splitAll(chunks: Uint8Array[], max?: number): { text: string; truncated: boolean }[] {
  const splitter = logSplitter(max);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()].map(asLogLine);
}

describe('LineSplitter for logs (truncate)', () => {
  it('gives the same lines however the bytes are chunked, multi-byte characters included', () => {
    const body = bytes('first ✓ line\r\nzweite Zeile – ü\n\nlast without newline');
    const whole = splitAll([body]);
    assert.deepEqual(
      whole.map((l) => l.text),
      ['first ✓ line', 'zweite Zeile – ü', '', 'last without newline'],
    );
    for (let size = 1; size <= 7; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
      assert.deepEqual(splitAll(chunks), whole, `chunks of ${size} bytes`);
    }
  });

  it('caps an enormous line, marks it truncated, and carries on with the next', () => {
    const huge = 'y'.repeat(100_000);
    const lines = splitAll([bytes(`${huge.slice(0, 30_000)}`), bytes(`${huge.slice(30_000)}\nnext\n`)], 1000);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.text, 'y'.repeat(1000));
    assert.equal(lines[0]!.truncated, true);
    assert.deepEqual(lines[1], { text: 'next', truncated: false });
  });

  it('reset() forgets a half line (a broken stream resends it whole)', () => {
    const splitter = logSplitter();
    assert.deepEqual(splitter.push(bytes('complete\nhalf of a')).map(asLogLine), [{ text: 'complete', truncated: false }]);
    splitter.reset();
    assert.deepEqual(splitter.end(), []);
    assert.deepEqual(splitter.push(bytes('whole line\n')).map(asLogLine), [{ text: 'whole line', truncated: false }]);
  });

  it('never throws on bytes that are not UTF-8', () => {
    const lines = splitAll([new Uint8Array([0xff, 0xfe, 0x0a, 0xc3]), new Uint8Array([0x28, 0x0a])]);
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => l.text.includes('\uFFFD')));
  });
});

describe('kubelet timestamps', () => {
  it('strips and keeps the nanosecond timestamp', () => {
    const { timestamp, text } = splitKubeletTimestamp('2026-11-26T05:00:01.123456789Z 2026-11-26T05:00:01.1Z\tinfo\tztunnel\thello');
    assert.equal(timestamp?.text, '2026-11-26T05:00:01.123456789Z');
    assert.equal(text, '2026-11-26T05:00:01.1Z\tinfo\tztunnel\thello');
    assert.equal(timestamp?.epochSeconds, Date.parse('2026-11-26T05:00:01Z') / 1000);
  });

  it('orders by time whatever the precision or offset', () => {
    const a = splitKubeletTimestamp('2026-11-26T05:00:01.5Z x').timestamp!;
    const b = splitKubeletTimestamp('2026-11-26T05:00:01.400000000Z x').timestamp!;
    const c = splitKubeletTimestamp('2026-11-26T06:00:01+01:00 x').timestamp!;
    assert.ok(b.sortKey < a.sortKey);
    assert.equal(c.epochSeconds, a.epochSeconds);
  });

  it('leaves a line without a timestamp whole', () => {
    for (const line of ['plain text', '', '2026-13-99 nope', '2026-11-26T05:00:01Z', '\u0000\u0001garbage']) {
      assert.deepEqual(splitKubeletTimestamp(line), { text: line });
    }
  });

  it('resumes from whole seconds, as the apiserver reads sinceTime', () => {
    assert.equal(sinceTimeOf(Date.parse('2026-11-26T05:00:01Z') / 1000), '2026-11-26T05:00:01Z');
  });
});

describe('LogResumeWindow', () => {
  const ts = (text: string) => splitKubeletTimestamp(`${text} x`).timestamp!;

  it('recognises each delivered line of the resume second once, and nothing else', () => {
    const window = new LogResumeWindow();
    window.record(ts('2026-11-26T05:00:00.9Z'), 'older second');
    window.record(ts('2026-11-26T05:00:01.1Z'), 'a');
    window.record(ts('2026-11-26T05:00:01.1Z'), 'a');
    window.record(ts('2026-11-26T05:00:01.2Z'), 'b');
    assert.equal(window.resumeSecond, Date.parse('2026-11-26T05:00:01Z') / 1000);
    const replay = window.replay();
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.1Z'), 'a'), true);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.1Z'), 'a'), true);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.1Z'), 'a'), false, 'a third identical line is new');
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.2Z'), 'b'), true);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.2Z'), 'c'), false);
    // A second replay (another drop) starts from everything delivered again.
    assert.equal(window.replay().isRepeat(ts('2026-11-26T05:00:01.2Z'), 'b'), true);
  });

  it('after a tail read, keeps the lines before the tail out of a resume', () => {
    const window = new LogResumeWindow();
    window.startAt(ts('2026-11-26T05:00:01.5Z'));
    window.record(ts('2026-11-26T05:00:01.5Z'), 'first of the tail');
    const replay = window.replay();
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.2Z'), 'before the tail'), true);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.5Z'), 'first of the tail'), true);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.6Z'), 'new'), false);
  });

  it('moves to a new second and forgets the old one', () => {
    const window = new LogResumeWindow();
    window.record(ts('2026-11-26T05:00:01.1Z'), 'a');
    window.record(ts('2026-11-26T05:00:02.1Z'), 'b');
    const replay = window.replay();
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:01.1Z'), 'a'), false);
    assert.equal(replay.isRepeat(ts('2026-11-26T05:00:02.1Z'), 'b'), true);
  });
});
