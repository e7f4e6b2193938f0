// `mesh-tui` without --once, through the real launcher, where no terminal is needed: the flags
// of the console, its help, and the fallback when stdout or stdin is not a terminal (piped,
// cron): one hint line on stderr and then exactly what --once prints. The console itself, in a
// terminal, is tested end to end in test/e2e/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { maxFpsOption } from '../../src/cli/commands/console.ts';

const HINT = 'mesh-tui: not a terminal; printing one report (as --once)\n';

describe('mesh-tui (the console) without a terminal', () => {
  it('`mesh-tui --demo healthy | cat`: the hint on stderr, the text report on stdout, its exit code', async () => {
    const r = await runCli(['--demo', 'healthy']);
    assert.equal(r.stderr, HINT);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mesh-tui /);
    assert.match(r.stdout, /cluster-east/);
    assert.match(r.stdout, /cluster-west/);
  });

  it('--read-only is accepted with --once and changes nothing', async () => {
    const r = await runCli(['--demo', 'healthy', '--once', '--read-only', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  for (const value of ['0', '61', '2.5', 'fast']) {
    it(`--max-fps ${value} is a usage error (exit 2, one line)`, async () => {
      const r = await runCli(['--demo', 'healthy', '--max-fps', value]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `mesh-tui: --max-fps must be a whole number from 1 to 60 (got "${value}")\n`);
      assert.equal(r.stdout, '');
    });
  }

  it('--help names the console, --demo, --max-fps and --read-only', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: mesh-tui \[options\] +the live console/m);
    assert.match(r.stdout, /^ {2}--demo \[NAME\] +.*console: live-demo; --once: healthy/m);
    assert.match(r.stdout, /^ {2}--max-fps N +/m);
    assert.match(r.stdout, /^ {2}--read-only +/m);
    assert.match(r.stdout, /Not a terminal \(piped, cron\): the console prints one report, as --once\./);
    assert.doesNotMatch(r.stdout, /not in this build/);
  });
});

describe('--max-fps default', () => {
  it('is 10 over SSH (SSH_CONNECTION or SSH_TTY set) and 15 otherwise; a given value wins', () => {
    assert.equal(maxFpsOption({}, {}), 15);
    assert.equal(maxFpsOption({}, { SSH_CONNECTION: '10.0.0.1 52000 10.0.0.2 22' }), 10);
    assert.equal(maxFpsOption({}, { SSH_TTY: '/dev/pts/3' }), 10);
    assert.equal(maxFpsOption({ 'max-fps': '30' }, { SSH_TTY: '/dev/pts/3' }), 30);
  });
});
