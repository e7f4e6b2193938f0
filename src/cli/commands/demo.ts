// `--demo [NAME]`: the built-in scenario's clusters on loopback and a private kubeconfig for
// them. The one place the product (not the `sim` command) reaches the simulator, and lazily: the
// simulator's code is loaded only when a demo runs (eslint.layers.js holds that).
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../exitCodes.ts';

export interface DemoRun {
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /**
   * `live` (the console): the scenario's timeline plays in real time in front of the user.
   * `end` (`--once`): a snapshot shows where the story ends, so the timeline is played at once
   * before anything reads the clusters.
   */
  timeline?: 'live' | 'end';
}

/** The scenario's clusters on loopback and a private kubeconfig for them; stop() removes both. */
export async function startDemo(name: string, options: DemoOptions = {}): Promise<DemoRun> {
  const [{ Simulator }, { loadBuiltinScenario }, { ScenarioError }] = await Promise.all([
    import('../../sim/simulator.ts'),
    import('../../sim/scenario/load.ts'),
    import('../../sim/scenario/scenarioError.ts'),
  ]);
  let scenario;
  try {
    scenario = await loadBuiltinScenario(name);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`--demo: ${err.message}`);
    throw err;
  }
  const playAtOnce = options.timeline === 'end';
  const sim = await Simulator.start(scenario, playAtOnce ? { timeline: 'manual' } : {});
  if (playAtOnce) await sim.timeline.runToEnd();
  const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-demo-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // Ctrl-C, SIGTERM or a dropped SSH session mid-run (signals.ts turns each into an exit) must
  // not leave a kubeconfig with bearer tokens behind in /tmp.
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const stop = async (): Promise<void> => {
    process.off('exit', removeDir);
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await sim.writeKubeconfig(kubeconfigPath);
  } catch (err) {
    await stop();
    throw err;
  }
  return { kubeconfigPath, stop };
}
