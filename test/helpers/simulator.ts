// Starts a scenario's simulated clusters for a test and hands back everything a test needs:
// the simulator (to inject faults and read what the clusters hold), a kubeconfig on disk, and
// a per-context @kubernetes/client-node KubeConfig. Call stop() in an after() hook.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Simulator } from '../../src/sim/simulator.ts';
import { loadBuiltinScenario, loadScenarioFile } from '../../src/sim/scenario/load.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';

export interface TestSimulator {
  sim: Simulator;
  scenario: Scenario;
  dir: string;
  kubeconfigPath: string;
  /** A KubeConfig holding only this context (never switch current-context on a shared one). */
  kubeConfig(context: string, user?: string): KubeConfig;
  stop(): Promise<void>;
}

export interface StartOptions {
  bookmarkIntervalMs?: number;
  /** Log in as this scenario user instead of the scenario's kubeconfig user. */
  user?: string;
  /** Load a scenario file instead of a built-in. */
  file?: string;
  /** `manual`: the scenario's timeline waits for `sim.timeline.start()` / `runToEnd()` (default: it starts with the clusters). */
  timeline?: 'auto' | 'manual';
}

export async function startScenario(name: string, options: StartOptions = {}): Promise<TestSimulator> {
  const scenario = options.file !== undefined ? await loadScenarioFile(options.file) : await loadBuiltinScenario(name);
  const sim = await Simulator.start(scenario, {
    ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    ...(options.timeline !== undefined ? { timeline: options.timeline } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-test-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath, options.user);
  return {
    sim,
    scenario,
    dir,
    kubeconfigPath,
    kubeConfig(context: string, user?: string): KubeConfig {
      const entry = sim.kubeconfigEntries(user ?? options.user).find((e) => e.context === context);
      if (!entry) throw new Error(`no context ${context}`);
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: context, server: entry.server, caData: Buffer.from(entry.caPem).toString('base64'), skipTLSVerify: false }],
        users: [{ name: entry.user, token: entry.token }],
        contexts: [{ name: context, cluster: context, user: entry.user }],
        currentContext: context,
      });
      return kc;
    },
    async stop(): Promise<void> {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
