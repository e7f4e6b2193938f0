// The screen emulator behind the Ink harness: if it misreads a control sequence, every screen
// test reads a screen the user never saw. Each case writes the bytes Ink 8 emits and checks the grid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScreenEmulator } from '../helpers/screenEmulator.ts';

const CSI = '\x1b[';

describe('screen emulator', () => {
  it('prints text, turns LF into a new line and ignores colours', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write(`${CSI}31mred${CSI}39m plain\nsecond`);
    assert.equal(screen.text(), 'red plain\nsecond');
  });

  it('moves the cursor up, to a column and to the next line, and erases to the end of a line', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write('count 1 last j\nline a\nline b');
    // Ink's incremental update: back to the top, rewrite the tail of line 1, skip the rest.
    screen.write(`${CSI}2A${CSI}7G${CSI}K2 last k\n${CSI}E`);
    assert.equal(screen.text(), 'count 2 last k\nline a\nline b');
    assert.deepEqual(screen.cursor, { row: 2, column: 0 });
  });

  it('erases whole lines and moves back to the first column (eraseLines)', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write('one\ntwo\nthree');
    screen.write(`${CSI}2K${CSI}1A${CSI}2K${CSI}1A${CSI}2K${CSI}Gnew`);
    assert.equal(screen.text(), 'new');
  });

  it('counts a cursor-home plus erase-down as a full clear', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write('old\nframe');
    screen.write(`${CSI}1;1H${CSI}Jfresh`);
    assert.equal(screen.text(), 'fresh');
    assert.equal(screen.stats.fullClears, 1);
  });

  it('scrolls when a line feed reaches the bottom row', () => {
    const screen = new ScreenEmulator(10, 3);
    screen.write('1\n2\n3\n4\n5');
    assert.equal(screen.text(), '3\n4\n5');
    assert.equal(screen.stats.scrolls, 2);
  });

  it('wraps a glyph written past the last column only when the next glyph comes (deferred wrap)', () => {
    const screen = new ScreenEmulator(4, 3);
    screen.write('abcd');
    assert.deepEqual(screen.lines(), ['abcd', '', '']);
    screen.write('e');
    assert.deepEqual(screen.lines(), ['abcd', 'e', '']);
    // A carriage return cancels the pending wrap.
    const other = new ScreenEmulator(4, 3);
    other.write('abcd\rX');
    assert.deepEqual(other.lines(), ['Xbcd', '', '']);
  });

  it('keeps the primary screen apart from the alternate screen', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write('shell prompt');
    screen.write(`${CSI}?1049h${CSI}?25l`);
    assert.equal(screen.inAlternateScreen, true);
    screen.write(`${CSI}1;1Happ frame`);
    assert.equal(screen.text(), 'app frame');
    screen.write(`${CSI}?1049l`);
    assert.equal(screen.text(), 'shell prompt');
  });

  it('holds an escape sequence cut between two writes until it is complete', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write('abc\x1b');
    screen.write('[');
    screen.write('2DX');
    assert.equal(screen.text(), 'aXc');
  });

  it('skips synchronized-update markers, kitty queries and OSC strings', () => {
    const screen = new ScreenEmulator(20, 4);
    screen.write(`${CSI}?2026h${CSI}?u${CSI}>1u\x1b]0;title\x07text${CSI}?2026l`);
    assert.equal(screen.text(), 'text');
  });

  it('keeps what fits when resized', () => {
    const screen = new ScreenEmulator(10, 3);
    screen.write('0123456789\nsecond');
    screen.resize(4, 2);
    assert.deepEqual(screen.lines(), ['0123', 'seco']);
  });
});
