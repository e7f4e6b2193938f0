// The console gives the terminal back on every way out, in a real terminal (tmux): Ctrl-C (a key
// in raw mode), SIGTERM, SIGHUP (the SSH session dropped). Restored means: the alternate screen
// is off, the shell's screen is as it was before the launch with the prompt back after it, the
// process and everything it started are gone, and the demo's kubeconfig is removed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PROMPT, TmuxTerminal, tmuxAvailable } from '../helpers/tmux.ts';
import { E2E_SCENARIO, launchConsole, consoleUp } from './consoleSession.ts';

const skip = tmuxAvailable() ? false : 'tmux is not installed (test/tools/ensure-tmux.sh)';

function demoDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('mesh-tui-demo-'));
}

describe('the console restores the terminal', { skip, timeout: 600_000 }, () => {
  const terminals: TmuxTerminal[] = [];
  after(() => terminals.forEach((t) => t.close()));

  async function started(): Promise<{ terminal: TmuxTerminal; pid: number; before: string[] }> {
    const terminal = await TmuxTerminal.open({ columns: 100, rows: 30 });
    terminals.push(terminal);
    const before = terminal.lines().filter((l) => l !== '');
    const pid = await launchConsole(terminal, `--demo ${E2E_SCENARIO}`);
    await consoleUp(terminal);
    return { terminal, pid, before };
  }

  async function assertRestored(terminal: TmuxTerminal, pid: number, before: string[], exitCode: number): Promise<void> {
    await terminal.waitForScreen((s) => s.includes(`exit=${exitCode}`), { what: `exit=${exitCode} after the console` });
    await terminal.waitUntil(() => !terminal.alternateOn(), { what: 'the alternate screen to be left' });
    const lines = terminal.lines().filter((l) => l !== '');
    // The shell's screen as it was (the prompt and the command line), then the exit code and a new prompt.
    assert.deepEqual(lines.slice(0, before.length - 1), before.slice(0, -1), terminal.screen());
    assert.match(lines[before.length - 1] ?? '', /bin\/mesh-tui --demo/);
    assert.equal(lines.at(-1)?.trim(), PROMPT.trim(), terminal.screen());
    assert.doesNotMatch(terminal.screen(), /unexpected error/);
    assert.deepEqual(terminal.children(), [], 'nothing the console started is still running');
    assert.throws(() => process.kill(pid, 0), 'the console process is gone');
  }

  it('Ctrl-C quits (raw mode delivers it as a key) with exit 0', async () => {
    const { terminal, pid, before } = await started();
    terminal.press('C-c');
    await assertRestored(terminal, pid, before, 0);
  });

  it('SIGTERM: restored, exit 143, the demo kubeconfig removed', async () => {
    const dirsBefore = new Set(demoDirs());
    const { terminal, pid, before } = await started();
    assert.ok(
      demoDirs().some((d) => !dirsBefore.has(d)),
      'the demo wrote its kubeconfig',
    );
    process.kill(pid, 'SIGTERM');
    await assertRestored(terminal, pid, before, 143);
    assert.deepEqual(
      demoDirs().filter((d) => !dirsBefore.has(d)),
      [],
      'no demo kubeconfig (with tokens) is left in the temporary directory',
    );
  });

  it('SIGHUP (the SSH session dropped): the process ends with 129 and leaves nothing running', async () => {
    const { terminal, pid, before } = await started();
    process.kill(pid, 'SIGHUP');
    await assertRestored(terminal, pid, before, 129);
  });

  it('a killed terminal (tmux server gone) takes the console with it', async () => {
    const { terminal, pid } = await started();
    terminal.close();
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      if (Date.now() > deadline) {
        execFileSync('kill', ['-9', String(pid)]);
        assert.fail('the console outlived its terminal');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

describe('a crash restores the terminal and prints the error below it', { skip, timeout: 300_000 }, () => {
  const terminals: TmuxTerminal[] = [];
  after(() => terminals.forEach((t) => t.close()));

  for (const [how, message] of [
    ['throw', 'boom from a timer'],
    ['render', 'boom from a component'],
  ] as const) {
    it(`${how === 'throw' ? 'an uncaught exception' : 'a component that throws while rendering'}: exit 1, the error readable`, async () => {
      const terminal = await TmuxTerminal.open({ columns: 100, rows: 30 });
      terminals.push(terminal);
      terminal.run(
        `node_modules/.bin/node --disable-warning=ExperimentalWarning test/e2e/fixtures/crashingConsole.ts ${how}; echo "exit=$?"`,
      );
      await terminal.waitForScreen((s) => s.includes('CRASHING CONSOLE UP'), { what: 'the crashing console to draw', timeoutMs: 60_000 });
      assert.equal(terminal.alternateOn(), true);
      const screen = await terminal.waitForScreen((s) => /^exit=\d+/m.test(s), { what: 'the process to end', timeoutMs: 60_000 });
      assert.match(screen, /^exit=1$/m);
      assert.equal(terminal.alternateOn(), false, 'the alternate screen is left');
      assert.match(screen, new RegExp(`mesh-tui: unexpected error: Error: ${message}`), 'the error is printed on the restored screen');
      assert.doesNotMatch(screen, /CRASHING CONSOLE UP/, "the console's frame stayed on the alternate screen");
      assert.equal(
        terminal
          .lines()
          .filter((l) => l !== '')
          .at(-1)
          ?.trim(),
        PROMPT.trim(),
      );
    });
  }
});

describe('stdin not a terminal, stdout one (`mesh-tui < /dev/null`)', { skip, timeout: 120_000 }, () => {
  it('prints the hint and the report on the screen, as --once, without taking the screen', async () => {
    const terminal = await TmuxTerminal.open({ columns: 100, rows: 30 });
    try {
      terminal.run('bin/mesh-tui --demo healthy < /dev/null; echo "exit=$?"');
      await terminal.waitForScreen((s) => /^exit=\d+/m.test(s), { what: 'the report', timeoutMs: 90_000 });
      const screen = terminal.history();
      assert.match(screen, /^mesh-tui: not a terminal; printing one report \(as --once\)$/m);
      assert.match(screen, /cluster-west/);
      assert.match(screen, /^exit=0$/m);
      assert.equal(terminal.alternateOn(), false);
    } finally {
      terminal.close();
    }
  });
});
