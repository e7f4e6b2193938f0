// The console as a whole, in an 80×24 fake terminal: the frame's lines, the tabs, the hints, the
// help overlay, quitting, read-only, and resizing.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KEYS } from '../helpers/inkHarness.ts';
import type { Terminal } from '../helpers/inkHarness.ts';
import { meshPod, setMeshPods, testConsole } from '../helpers/consoleServices.ts';
import type { TestConsoleOptions } from '../helpers/consoleServices.ts';
import { consoleScreen } from '../helpers/screenFixtures.ts';
import type { OpenConsole } from '../helpers/screenFixtures.ts';

const screen = consoleScreen();

async function start(options: TestConsoleOptions = {}, size = { columns: 80, rows: 24 }): Promise<OpenConsole> {
  const console = testConsole(options);
  setMeshPods(console, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-a')]);
  setMeshPods(console, 'west', [meshPod('istiod-west-1'), meshPod('ztunnel-west-a')]);
  const opened = screen.open(console, size);
  await opened.term.waitForFrame((f) => f.includes('1 Overview'));
  return opened;
}

afterEach(() => screen.close());

function lineWith(term: Terminal, text: string): string {
  return term.lines().find((l) => l.includes(text)) ?? '';
}

describe('App', () => {
  it('fills the 80×24 terminal exactly: tabs, status and hints in words', async () => {
    const { term } = await start();
    assert.equal(term.lines().length, 24);
    assert.match(lineWith(term, 'Overview'), /\[1 Overview\]\s+2 Pods\s+3 Gateways\s+4 Links\s+5 Proxies\s+6 Logs/);
    const hints = term.lines()[23] ?? '';
    assert.match(hints, /\? help {2}\/ filter {2}: command {2}Enter detail {2}r re-run {2}x actions {2}q quit/);
    assert.match(term.lines()[22] ?? '', /checks: not run yet/);
    // A frame taller than the terminal would scroll it and force a full clear on every update.
    assert.deepEqual(term.stats(), { fullClears: 0, scrolls: 0 });
  });

  it('switches panes with number keys, Tab and Shift-Tab', async () => {
    const { term } = await start();
    await term.press('2');
    await term.waitForFrame((f) => f.includes('[2 Pods]') && f.includes('istiod-east-1'));
    await term.press(KEYS.tab);
    await term.waitForFrame((f) => f.includes('[3 Gateways]'));
    await term.press(KEYS.shiftTab);
    await term.press(KEYS.shiftTab);
    await term.waitForFrame((f) => f.includes('[1 Overview]'));
    await term.press('6');
    await term.waitForFrame((f) => f.includes('[6 Logs]'));
    assert.match(term.lines()[23] ?? '', /p pause/);
  });

  it('opens help with ?, lists the keys, and closes with Esc', async () => {
    const { term } = await start();
    await term.press('?');
    const help = await term.waitForFrame((f) => f.includes('this help'));
    assert.match(help, /fix the finding/);
    assert.match(help, /filter rows/);
    assert.ok(term.lines().length <= 24);
    await term.press(KEYS.escape);
    await term.waitForFrame((f) => !f.includes('this help'));
  });

  it('q quits, and so does :q', async () => {
    const { term, console } = await start();
    await term.press('q');
    assert.equal(console.calls.quit, 1);
    await term.press(':');
    await term.waitForFrame((f) => f.includes('Enter run'));
    await term.type('q');
    await term.press(KEYS.enter);
    assert.equal(console.calls.quit, 2);
  });

  it('r re-runs the checks', async () => {
    const { term, console } = await start();
    await term.press('r');
    assert.equal(console.calls.rerun, 1);
    await term.waitForFrame((f) => f.includes('re-running the checks'));
  });

  it('read-only: no x in the hints or help, and x does nothing', async () => {
    const { term } = await start({ readOnly: true });
    assert.doesNotMatch(term.lines()[23] ?? '', /x actions/);
    await term.press('x');
    await term.press('?');
    const help = await term.waitForFrame((f) => f.includes('this help'));
    assert.doesNotMatch(help, /fix the finding/);
  });

  it('tells what it does not know on the command line', async () => {
    const { term } = await start();
    await term.press(':');
    await term.type('deploy');
    await term.waitForFrame((f) => f.includes(':deploy'));
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('unknown command "deploy"'));
  });

  it('follows a resize and draws in place again once the new size is laid out', async () => {
    const { term } = await start();
    await term.press('2');
    await term.waitForFrame((f) => f.includes('[2 Pods]'));
    term.resize(120, 40);
    await term.waitForFrame(() => (term.lines()[39] ?? '').includes('q quit'));
    term.resize(80, 24);
    await term.waitForFrame((f) => (term.lines()[23] ?? '').includes('q quit') && f.includes('istiod-west-1') && f.includes('[2 Pods]'));
    // Shrinking, Ink redraws the old layout once before React hears of the new size (its resize
    // listener runs first, hooks/useTerminalSize.ts); after that, updates are drawn in place again.
    const settled = term.stats();
    await term.press('j');
    await term.waitForFrame((f) => /^> .*ztunnel-east-a/m.test(f));
    assert.deepEqual(term.stats(), settled);
  });
});
