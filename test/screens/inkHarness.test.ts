// The Ink harness itself: keys arrive one by one, Esc is told apart from an arrow, the screen is
// what Ink drew (incremental updates included), resize reaches useWindowSize, unmount settles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { Box, Text, useInput, useWindowSize } from 'ink';
import { KEYS, renderTerminal } from '../helpers/inkHarness.ts';

const h = React.createElement;

function KeyLog(): React.ReactElement {
  const [keys, setKeys] = React.useState<string[]>([]);
  useInput((input, key) => {
    const name = key.escape ? 'esc' : key.downArrow ? 'down' : key.return ? 'enter' : key.tab && key.shift ? 'shift-tab' : input;
    setKeys((previous) => [...previous, name]);
  });
  return h(Text, null, `keys: ${keys.join(' ')}.`);
}

function Size(): React.ReactElement {
  const { columns, rows } = useWindowSize();
  return h(Box, { flexDirection: 'column' }, h(Text, null, `size ${columns}x${rows}`));
}

describe('ink harness', () => {
  it('delivers each press and each typed character as its own key', async () => {
    const terminal = renderTerminal(h(KeyLog), { columns: 60, rows: 5 });
    try {
      await terminal.waitForFrame((frame) => frame.includes('keys: .'));
      await terminal.press('j');
      await terminal.press(KEYS.escape);
      await terminal.press(KEYS.down);
      await terminal.type(':q');
      await terminal.press(KEYS.enter);
      await terminal.press(KEYS.shiftTab);
      const frame = await terminal.waitForFrame((text) => text.includes('shift-tab.'));
      assert.equal(frame, 'keys: j esc down : q enter shift-tab.');
    } finally {
      await terminal.unmount();
    }
  });

  it('reads the screen through incremental updates and counts the bytes', async () => {
    const lines = (changed: string): React.ReactElement =>
      h(
        Box,
        { flexDirection: 'column' },
        ...['alpha', changed, 'gamma'].map((text) => h(Text, { key: text === changed ? 'b' : text }, text)),
      );
    const terminal = renderTerminal(lines('beta'), { columns: 40, rows: 6 });
    try {
      await terminal.waitForFrame((frame) => frame.includes('gamma'));
      const before = terminal.bytesWritten();
      terminal.rerender(lines('BETA!'));
      const frame = await terminal.waitForFrame((text) => text.includes('BETA!'));
      assert.equal(frame, 'alpha\nBETA!\ngamma');
      assert.ok(terminal.bytesWritten() > before);
      assert.equal(terminal.stats().fullClears, 0);
    } finally {
      await terminal.unmount();
    }
  });

  it('tells Ink about a resize', async () => {
    const terminal = renderTerminal(h(Size), { columns: 80, rows: 24 });
    try {
      await terminal.waitForFrame((frame) => frame === 'size 80x24');
      terminal.resize(100, 30);
      await terminal.waitForFrame((frame) => frame === 'size 100x30');
      assert.equal(terminal.lines().length, 30);
    } finally {
      await terminal.unmount();
    }
  });

  it('names what was on screen when a wait times out', async () => {
    const terminal = renderTerminal(h(Text, null, 'nothing here'), { columns: 40, rows: 4 });
    try {
      await assert.rejects(
        terminal.waitForFrame((frame) => frame.includes('never'), 200),
        /nothing here/,
      );
    } finally {
      await terminal.unmount();
    }
  });
});
