// A scenario served from its own `mesh-tui sim` process, so the simulator's CPU and memory are
// never in the console's figures.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCli } from '../helpers/cli.ts';

export interface ServedScenario {
  kubeconfig: string;
  /** The simulator's process (the launcher execs node, so this is node's own id). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function serveScenario(dir: string, name: string, yaml: string): Promise<ServedScenario> {
  const file = join(dir, `${name}.yaml`);
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  await writeFile(file, yaml);
  const { child } = await startCli(['sim', '--scenario-file', file, '--kubeconfig-out', kubeconfig], /^ready /, 180_000);
  return {
    kubeconfig,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
