// What a value from a cluster looks like in the text and Markdown reports: one line, every
// control character as `\xNN` (docs/report.md), and the invisible Unicode format characters —
// bidirectional overrides that reorder what an on-call engineer reads, zero-width characters —
// shown instead of obeyed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/report/findingsPrintable.ts';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';

describe('printable values', () => {
  it('shows C0, DEL and C1 controls as \\xNN, a newline as ⏎ and a tab as a space', () => {
    assert.equal(
      printable('ding\u0007 esc\u001b[2J del\u007f csi\u009b nl\nend\ttab'),
      'ding\\x07 esc\\x1b[2J del\\x7f csi\\x9b nl⏎end tab',
    );
  });

  it('shows bidirectional overrides, isolates and zero-width characters instead of obeying them', () => {
    // "exe.txt" that a terminal would draw reversed, a hidden zero-width space and join, an isolate, a BOM.
    const value = 'file\u202Etxt.exe zero\u200Bwidth\u200D join \u2066iso\u2069 \uFEFFbom \u2028sep \u{E0041}tag';
    const shown = printable(value);
    assert.equal(
      shown,
      'file\\u{202e}txt.exe zero\\u{200b}width\\u{200d} join \\u{2066}iso\\u{2069} \\u{feff}bom \\u{2028}sep \\u{e0041}tag',
    );
    assert.ok(!/[\p{Cf}\p{Zl}\p{Zp}]/u.test(shown));
  });

  it('leaves ordinary text alone, accents, CJK and emoji included', () => {
    const text = 'café 東京 ✅ [cluster-west] Gateway istio-remote/peer "ok"';
    assert.equal(printable(text), text);
  });

  it('a BEL in a ztunnel log line reaches the report as \\x07, as docs/report.md promises', () => {
    const record = parseZtunnelLine('2026-01-10T12:00:01.000001Z\terror\taccess\tring\u0007 the bell\terror="x\u0007y"');
    assert.equal(printable(record.message), 'ring\\x07 the bell');
    assert.equal(printable(String(record.fields['error'])), 'x\\x07y');
    assert.ok(!record.raw.includes('\u0007') && !record.raw.includes('\uFFFD'));
  });
});
