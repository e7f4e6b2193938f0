// `mesh-tui --demo` in a real terminal (tmux), driven as an on-call engineer would: wait for
// every context's badge, watch the demo break a check without touching a key, move between the
// panes, filter, open a detail and come back, shrink the terminal to 80×24, quit — asserting
// what the screen shows at each step and, at the end, that the shell has its terminal back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROMPT, TmuxTerminal, tmuxAvailable } from '../helpers/tmux.ts';
import { E2E_CONTEXTS, consoleUp, launchConsole } from './consoleSession.ts';

const skip = tmuxAvailable() ? false : 'tmux is not installed (test/tools/ensure-tmux.sh)';

/** The live-demo's root causes, in the order its timeline plants them (15 s, 30 s, 45 s). */
const TIMELINE_FAILURES = ['MC-NET-001', 'MC-PEER-001', 'MC-POD-001'] as const;

const failing = (screen: string, check: string): boolean => new RegExp(`^\\S?\\s*fail\\s+${check}\\b`, 'm').test(screen);
const tabs = (lines: string[]): string => lines.find((l) => /\d Overview/.test(l)) ?? '';

describe('mesh-tui --demo in a terminal', { skip, timeout: 600_000 }, () => {
  let terminal: TmuxTerminal | undefined;
  after(() => terminal?.close());

  it('shows every context live, turns a check red by itself, navigates, fits 80×24 and gives the terminal back', async (t) => {
    terminal = await TmuxTerminal.open({ columns: 100, rows: 30 });
    const term = terminal;
    const before = term.lines().filter((l) => l !== '');
    const pid = await launchConsole(term, '--demo');
    const up = await consoleUp(term);
    assert.equal(term.alternateOn(), true, 'the console draws on the alternate screen');
    assert.match(up, /demo: live-demo/);

    await t.test('a timeline event turns a check red without a key press', async () => {
      // Whatever the demo has already broken by now (a loaded machine starts slowly), one of
      // its root causes is still ahead: wait for it, pressing nothing.
      const next = TIMELINE_FAILURES.find((check) => !failing(term.screen(), check));
      assert.ok(next, `every timeline failure already showed before the console was up:\n${term.screen()}`);
      const screen = await term.waitForScreen((s) => failing(s, next), { what: `${next} to fail on the overview`, timeoutMs: 120_000 });
      assert.match(screen, /\[1 Overview\]/, 'still on the overview: nothing was pressed');
      assert.match(screen, /\d+ fail/, 'the status line counts the failures in words');
    });

    await t.test('1–6 and Tab / Shift-Tab move between the panes', async () => {
      const panes: [string, string, RegExp][] = [
        ['2', '[2 Pods]', /CONTEXT +NAMESPACE +NAME +READY +STATUS/],
        ['Tab', '[3 Gateways]', /cluster-(east|north|west)/],
        ['4', '[4 Links]', /cluster-(east|north|west)/],
        ['5', '[5 Proxies]', /ztunnel/],
        ['6', '[6 Logs]', /./],
        ['BTab', '[5 Proxies]', /ztunnel/],
        ['1', '[1 Overview]', /SEVERITY +CHECK +(CONTEXT +)?MESSAGE/],
      ];
      for (const [key, tab, body] of panes) {
        term.press(key);
        await term.waitForScreen((s, lines) => tabs(lines).includes(tab) && body.test(s), {
          what: `${tab} after ${key}`,
          timeoutMs: 20_000,
        });
      }
    });

    await t.test('/ filters the pane: only matching rows stay, the filter is shown', async () => {
      term.press('2');
      await term.waitForScreen((s) => /ztunnel-/.test(s) && /istiod-/.test(s), { what: 'the pods pane with istiod and ztunnel rows' });
      term.press('/');
      term.type('istiod');
      // Enter once the prompt shows the text, as a person would: a terminal may hand "istiod\r" to
      // the console as one chunk when keys come faster than it reads.
      await term.waitForScreen((_s, lines) => (lines.at(-1) ?? '').startsWith('/istiod'), { what: 'the filter prompt with istiod' });
      term.press('Enter');
      const screen = await term.waitForScreen(
        (s, lines) => /\/istiod/.test(s) && !/ztunnel-/.test(s) && /q quit/.test(lines.at(-1) ?? ''),
        {
          what: 'only istiod rows, the prompt closed',
        },
      );
      for (const context of E2E_CONTEXTS) assert.match(screen, new RegExp(`${context} +istio-system +istiod-`));
    });

    await t.test('Enter opens the detail of the selected row, Esc comes back to the same row', async () => {
      term.press('Enter');
      const detail = await term.waitForScreen((s) => /^Pod istio-system\/istiod-\S+ \(cluster-\w+\)/m.test(s) && /Esc back/.test(s), {
        what: "the selected pod's detail",
      });
      assert.match(detail, /^Conditions$/m);
      term.press('Escape');
      await term.waitForScreen((s) => /^> cluster-\w+ +istio-system +istiod-/m.test(s) && /CONTEXT +NAMESPACE/.test(s), {
        what: 'the pods pane again, the cursor on an istiod row',
      });
    });

    await t.test('resized to 80×24 the frame fits: the header on top, the hints at the bottom', async () => {
      term.resize(80, 24);
      const screen = await term.waitForScreen(
        (_s, lines) => lines.length === 24 && /^cluster-east +ready/.test(lines[0] ?? '') && /q quit/.test(lines.at(-1) ?? ''),
        { what: 'the console redrawn at 80×24', timeoutMs: 30_000 },
      );
      assert.deepEqual(term.size(), { columns: 80, rows: 24 });
      const lines = screen.split('\n');
      assert.ok(
        lines.every((l) => l.length <= 80),
        'no line wider than the terminal',
      );
      assert.equal(lines.filter((l) => /\d Overview/.test(l)).length, 1, 'the tabs line once: nothing drawn twice');
    });

    await t.test('q quits: the alternate screen is left, the shell prompt is back, the process is gone', async () => {
      term.press('q');
      await term.waitForScreen((s) => /^exit=0$/m.test(s), { what: 'exit=0' });
      await term.waitUntil(() => !term.alternateOn(), { what: 'alternate_on 0' });
      const lines = term.lines().filter((l) => l !== '');
      // Before the launch: the prompt. After: the same prompt with the command, its exit code, a new prompt.
      assert.equal(lines[0]?.startsWith(before[0] ?? PROMPT.trim()), true, term.screen());
      assert.match(lines[0] ?? '', /bin\/mesh-tui --demo/);
      assert.equal(lines.at(-1)?.trim(), PROMPT.trim());
      assert.doesNotMatch(term.screen(), /cluster-east +ready/, "the console's frame stayed on the alternate screen");
      assert.deepEqual(term.children(), []);
      assert.throws(() => process.kill(pid, 0));
    });
  });
});
