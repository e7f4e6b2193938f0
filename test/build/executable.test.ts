// The single file a user copies onto a bastion: built once, then run with an empty environment
// and a PATH that holds no `node`, so nothing outside the file can be what makes it work.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const executable = join(dist, `mesh-tui-${process.platform}-${process.arch}`);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function runBare(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // An empty directory as PATH: no node, no tools; HOME points somewhere writable and empty.
  const empty = mkdtempSync(join(tmpdir(), 'mesh-tui-bare-'));
  const result = spawnSync('/usr/bin/env', ['-i', `PATH=${empty}`, `HOME=${empty}`, executable, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: empty,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the single executable', { timeout: 240_000 }, () => {
  before(() => {
    execFileSync(process.execPath, [join(root, 'src/build/sea.ts')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 200_000,
    });
  });

  it('prints the package version with no Node and an empty environment', () => {
    const run = runBare(['--version']);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `mesh-tui ${version}\n`);
    assert.equal(run.status, 0);
  });

  it('runs the healthy demo report and exits 0', () => {
    const run = runBare(['--demo', 'healthy', '--once']);
    assert.match(run.stdout, /demo scenario healthy/);
    assert.match(run.stdout, /cluster-east\s+east\s+ready/);
    assert.match(run.stdout, /cluster-west\s+west\s+ready/);
    assert.match(run.stdout, /No problems found\./);
    assert.equal(run.status, 0, run.stderr);
  });

  it('shows the help', () => {
    const run = runBare(['--help']);
    assert.match(run.stdout, /--once/);
    assert.equal(run.status, 0);
  });

  it('writes checksums that match the files', () => {
    const sums = readFileSync(join(dist, 'SHA256SUMS'), 'utf8');
    const line = sums.split('\n').find((l) => l.endsWith(`  mesh-tui-${process.platform}-${process.arch}`));
    assert.ok(line, sums);
    const digest = createHash('sha256').update(readFileSync(executable)).digest('hex');
    assert.equal(line.split('  ')[0], digest);
  });
});
