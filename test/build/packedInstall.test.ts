// `npm install -g` of the packed tarball on a machine whose system Node is older than ours:
// the launcher must run the installed package's own runtime, not the `node` on PATH.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 'mesh-tui-pack-'));
const prefix = join(work, 'prefix');
// The system's own bin directories: on CI and here they hold an older Node (or none).
const systemPath = '/usr/local/bin:/usr/bin:/bin';

function runInstalled(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(prefix, 'bin/mesh-tui'), args, {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: work,
    env: { PATH: systemPath, HOME: work },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package installed globally', { timeout: 300_000 }, () => {
  before(() => {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 120_000,
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote no tarball');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 240_000,
    });
  });

  it('ships the bundle, not the sources', () => {
    const installed = join(prefix, 'lib/node_modules/mesh-tui');
    assert.ok(existsSync(join(installed, 'dist/mesh-tui.mjs')));
    assert.ok(!existsSync(join(installed, 'src')));
  });

  it('prints its version with only the system Node on PATH', () => {
    const run = runInstalled(['--version']);
    assert.equal(run.stdout, `mesh-tui ${version}\n`, run.stderr);
    assert.equal(run.status, 0);
  });

  it('runs the healthy demo report and exits 0', () => {
    const run = runInstalled(['--demo', 'healthy', '--once']);
    assert.match(run.stdout, /demo scenario healthy/);
    assert.match(run.stdout, /No problems found\./);
    assert.equal(run.status, 0, run.stderr);
  });
});
