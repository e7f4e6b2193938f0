// `mesh-tui sim`: start a scenario's clusters, write the kubeconfig, print one `ready` line
// that scripts and tests wait for, serve until SIGINT/SIGTERM/SIGHUP, then clean up what we wrote.
// `--kubeconfig-out ~/.kube/config` must never cost a user their real kubeconfig: an existing
// path is refused unless --force, and on exit only a file this run created is removed.
import { resolve } from 'node:path';
import { loadBuiltinScenario, loadScenarioFile } from '../../sim/scenario/load.ts';
import { Simulator } from '../../sim/simulator.ts';
import { ScenarioError } from '../../sim/scenario/scenarioError.ts';
import type { Scenario } from '../../sim/scenario/model.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { HANDLED_SIGNALS } from '../signals.ts';

/** Stopping closes sockets and servers; past this, the process ends anyway (main.ts). */
const STOP_GRACE_MS = 2_000;

export async function runSim(values: Record<string, string | boolean | undefined>): Promise<ExitCode> {
  const name = stringOption(values, 'scenario');
  const file = stringOption(values, 'scenario-file');
  const out = stringOption(values, 'kubeconfig-out');
  if ((name === undefined) === (file === undefined))
    throw new UsageError('sim: give exactly one of --scenario NAME or --scenario-file PATH');
  if (out === undefined) throw new UsageError('sim: --kubeconfig-out FILE is required');
  const bookmarkSeconds = numberOption(values, 'bookmark-interval');
  const force = values.force === true;

  const scenario = await loadScenario(name, file);
  const sim = await Simulator.start(scenario, bookmarkSeconds !== undefined ? { bookmarkIntervalMs: bookmarkSeconds * 1000 } : {});
  const kubeconfigPath = resolve(out);
  try {
    const written = await sim.writeKubeconfig(kubeconfigPath, undefined, { replace: force });
    if (!written.created) process.stderr.write(`mesh-tui: sim: replaced ${kubeconfigPath} (--force); it is left in place on exit\n`);
  } catch (err) {
    await sim.stop();
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`sim: ${kubeconfigPath} already exists; give a new path, or --force to replace it`);
    throw new UsageError(`sim: cannot write ${kubeconfigPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Whatever ends the process from here, the tokens it wrote do not stay behind.
  const removeKubeconfig = (): void => sim.removeKubeconfig();
  process.once('exit', removeKubeconfig);
  process.stdout.write(`ready ${kubeconfigPath} ${sim.contexts().join(',')}\n`);

  await new Promise<void>((done) => {
    const stop = (): void => {
      for (const signal of HANDLED_SIGNALS) process.off(signal, stop);
      done();
    };
    for (const signal of HANDLED_SIGNALS) process.on(signal, stop);
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sim.stop(), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
  clearTimeout(timer);
  removeKubeconfig();
  process.off('exit', removeKubeconfig);
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
