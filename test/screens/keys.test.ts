// Keys through the whole console: moving the selection, chunks of keys, the filter prompt's
// editing, Esc, and the detail returning to the row it was opened from.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KEYS } from '../helpers/inkHarness.ts';
import { meshPod, setMeshPods, testConsole } from '../helpers/consoleServices.ts';
import { consoleScreen, selectedLine } from '../helpers/screenFixtures.ts';
import type { OpenConsole } from '../helpers/screenFixtures.ts';

const screen = consoleScreen();

const EAST = ['istiod-east-1', 'ztunnel-east-a', 'ztunnel-east-b', 'ztunnel-east-c'];

async function startOnPods(): Promise<OpenConsole> {
  const console = testConsole({ ui: { pane: 'pods' } });
  setMeshPods(
    console,
    'east',
    EAST.map((n) => meshPod(n)),
  );
  setMeshPods(console, 'west', [meshPod('istiod-west-1')]);
  const opened = screen.open(console);
  await opened.term.waitForFrame((f) => f.includes('istiod-west-1'));
  return opened;
}

afterEach(() => screen.close());

describe('keys', () => {
  it('j/k, arrows, G and g move the selection, and the status shows where it is', async () => {
    const { term } = await startOnPods();
    assert.match(selectedLine(term), /istiod-east-1/);
    await term.press('j');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-a'));
    await term.press(KEYS.down);
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-b'));
    await term.press('k');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-a'));
    await term.press('G');
    await term.waitForFrame(() => selectedLine(term).includes('istiod-west-1'));
    assert.match(term.lines()[22] ?? '', /^5\/5/);
    await term.press('g');
    await term.waitForFrame(() => selectedLine(term).includes('istiod-east-1'));
    assert.match(term.lines()[22] ?? '', /^1\/5/);
  });

  it('reads a chunk of keys as several presses', async () => {
    const { term } = await startOnPods();
    await term.press('jj');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-b'));
  });

  it('a chunk that opens the filter and types into it (`/istiod` at once) lands whole in the prompt', async () => {
    const { term } = await startOnPods();
    await term.press('/istiod');
    await term.waitForFrame(() => (term.lines().at(-1) ?? '').startsWith('/istiod'));
  });

  it('a filter typed in one chunk with its Enter (fast typing over SSH) is applied and closes the prompt', async () => {
    const { term } = await startOnPods();
    await term.press('/');
    await term.press('istiod\r');
    await term.waitForFrame((f) => (term.lines()[22] ?? '').includes('/istiod') && f.includes('q quit'));
    assert.doesNotMatch(term.frame(), /ztunnel-east-a/);
  });

  it('the filter narrows as it is typed, Backspace edits it, Enter keeps it and Esc clears it', async () => {
    const { term } = await startOnPods();
    await term.press('/');
    await term.type('istiodx');
    await term.waitForFrame((f) => f.includes('/istiodx') && !f.includes('istiod-east-1'));
    await term.press(KEYS.backspace);
    await term.waitForFrame((f) => f.includes('istiod-east-1') && f.includes('istiod-west-1') && !f.includes('ztunnel-east-a'));
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => (term.lines()[22] ?? '').includes('/istiod') && f.includes('q quit'));
    assert.doesNotMatch(term.frame(), /ztunnel-east-a/);
    await term.press(KEYS.escape);
    await term.waitForFrame((f) => f.includes('ztunnel-east-a'));
  });

  it('Esc at the filter prompt cancels the edit', async () => {
    const { term } = await startOnPods();
    await term.press('/');
    await term.type('west');
    await term.waitForFrame((f) => !f.includes('ztunnel-east-a'));
    await term.press(KEYS.escape);
    await term.waitForFrame((f) => f.includes('ztunnel-east-a') && f.includes('q quit'));
  });

  it(':ctx narrows to one context and :ctx alone shows all again', async () => {
    const { term } = await startOnPods();
    await term.press(':');
    await term.type('ctx west');
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('ctx: west') && !f.includes('ztunnel-east-a'));
    assert.match(term.frame(), /istiod-west-1/);
    await term.press(':');
    await term.type('ctx');
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('ztunnel-east-a') && !f.includes('ctx: west'));
  });

  it(':gw, :px, :logs and :help open what they name', async () => {
    const { term } = await startOnPods();
    for (const [command, shown] of [
      ['gw', '[3 Gateways]'],
      ['px', '[5 Proxies]'],
      ['logs', '[6 Logs]'],
      ['po', '[2 Pods]'],
    ] as const) {
      await term.press(':');
      await term.type(command);
      await term.press(KEYS.enter);
      await term.waitForFrame((f) => f.includes(shown));
    }
    await term.press(':');
    await term.type('help');
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('this help'));
  });

  it(':ctx with an unknown name says which contexts there are', async () => {
    const { term } = await startOnPods();
    await term.press(':');
    await term.type('ctx north');
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('no context named north; contexts: east, west'));
  });

  it('Enter opens the detail of the selected row and Esc returns to the same row', async () => {
    const { term } = await startOnPods();
    await term.press('j');
    await term.press('j');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-b'));
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('ztunnel-east-b') && !f.includes('istiod-west-1') && f.includes('Esc back'));
    await term.press(KEYS.escape);
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-b') && term.frame().includes('istiod-west-1'));
  });

  it('Ctrl-C quits even while typing a filter', async () => {
    const { term, console } = await startOnPods();
    await term.press('/');
    await term.type('ztu');
    await term.press(KEYS.ctrlC);
    assert.equal(console.calls.quit, 1);
  });

  it('a move rewrites only the lines it changed, not the whole frame', async () => {
    const console = testConsole({ ui: { pane: 'pods' } });
    setMeshPods(
      console,
      'east',
      Array.from({ length: 40 }, (_, i) => meshPod(`ztunnel-${String(i).padStart(2, '0')}`)),
    );
    setMeshPods(console, 'west', []);
    const { term } = screen.open(console);
    await term.waitForFrame(() => (term.lines()[22] ?? '').startsWith('1/40'));
    const full = term.bytesWritten();
    await term.press('j');
    await term.waitForFrame(() => (term.lines()[22] ?? '').startsWith('2/40'));
    const perMove = term.bytesWritten() - full;
    assert.ok(perMove > 0 && perMove < full / 3, `a move wrote ${perMove} bytes; drawing the screen took ${full}`);
  });
});
