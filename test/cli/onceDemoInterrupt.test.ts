import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launcher } from '../helpers/cli.ts';

describe('--demo interrupted', () => {
  it('removes its temporary kubeconfig (bearer tokens) on Ctrl-C and exits 130', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'mesh-tui-interrupt-'));
    try {
      const child = spawn(launcher, ['--demo', 'healthy', '--once', '--timeout', '120'], { env: { ...process.env, TMPDIR: tmp } });
      const demoDirs = async (): Promise<string[]> => (await readdir(tmp)).filter((n) => n.startsWith('mesh-tui-demo-'));
      const kubeconfigWritten = async (): Promise<boolean> => {
        const [dir] = await demoDirs();
        return dir !== undefined && existsSync(join(tmp, dir, 'kubeconfig'));
      };
      const deadline = Date.now() + 60_000;
      while (!(await kubeconfigWritten()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(await kubeconfigWritten(), 'the demo wrote its kubeconfig');
      child.kill('SIGINT');
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 130);
      assert.deepEqual(await demoDirs(), []);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
