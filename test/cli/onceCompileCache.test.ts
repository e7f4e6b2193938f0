// `--once` keeps Node's compile cache in the user's own cache directory, never in the shared
// temp directory Node would choose by itself, where another user of a bastion could plant one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

describe('mesh-tui --once compile cache', () => {
  it('is written under $XDG_CACHE_HOME/mesh-tui, not under the temp directory', async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'mesh-tui-xdg-'));
    const tmp = mkdtempSync(join(tmpdir(), 'mesh-tui-tmp-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome, TMPDIR: tmp };
      delete env.NODE_COMPILE_CACHE;
      delete env.NODE_DISABLE_COMPILE_CACHE;
      // Loads the client, feeds and checks, then stops at the missing kubeconfig.
      const r = await runCli(['--once', '--kubeconfig', join(tmp, 'no-such-kubeconfig')], env);
      assert.equal(r.code, 2, r.stderr);
      const dir = join(cacheHome, 'mesh-tui', 'node-compile-cache');
      assert.ok(existsSync(dir) && readdirSync(dir).length > 0, `nothing cached in ${dir}`);
      assert.deepEqual(readdirSync(tmp), [], 'nothing left in the temp directory');
    } finally {
      rmSync(cacheHome, { recursive: true, force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
