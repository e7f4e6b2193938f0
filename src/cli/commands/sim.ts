// `mesh-tui sim`: start a scenario's clusters, write the kubeconfig, print one `ready` line
// that scripts and tests wait for, serve until SIGINT/SIGTERM, then clean up what we wrote.
import { resolve } from 'node:path';
import { loadBuiltinScenario, loadScenarioFile } from '../../sim/scenario/load.ts';
import { Simulator } from '../../sim/simulator.ts';
import { ScenarioError } from '../../sim/scenario/scenarioError.ts';
import type { Scenario } from '../../sim/scenario/model.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';

export async function runSim(values: Record<string, string | boolean | undefined>): Promise<ExitCode> {
  const name = stringOption(values, 'scenario');
  const file = stringOption(values, 'scenario-file');
  const out = stringOption(values, 'kubeconfig-out');
  if ((name === undefined) === (file === undefined)) throw new UsageError('sim: give exactly one of --scenario NAME or --scenario-file PATH');
  if (out === undefined) throw new UsageError('sim: --kubeconfig-out FILE is required');
  const bookmarkSeconds = numberOption(values, 'bookmark-interval');

  const scenario = await loadScenario(name, file);
  const sim = await Simulator.start(scenario, bookmarkSeconds !== undefined ? { bookmarkIntervalMs: bookmarkSeconds * 1000 } : {});
  const kubeconfigPath = resolve(out);
  try {
    await sim.writeKubeconfig(kubeconfigPath);
  } catch (err) {
    await sim.stop();
    throw new UsageError(`sim: cannot write ${kubeconfigPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.stdout.write(`ready ${kubeconfigPath} ${sim.contexts().join(',')}\n`);

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.stop();
  return EXIT.ok;
}

function stringOption(values: Record<string, string | boolean | undefined>, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function numberOption(values: Record<string, string | boolean | undefined>, key: string): number | undefined {
  const v = stringOption(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key} must be a positive number of seconds (got "${v}")`);
  return n;
}

/** A bad scenario is the user's input, like a bad flag: one clear line and exit code 2. */
async function loadScenario(name: string | undefined, file: string | undefined): Promise<Scenario> {
  try {
    return file !== undefined ? await loadScenarioFile(resolve(file)) : await loadBuiltinScenario(name ?? '');
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`sim: ${err.message}`);
    throw err;
  }
}
