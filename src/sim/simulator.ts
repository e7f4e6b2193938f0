// A simulator run: every cluster of a scenario started on loopback, and the kubeconfig that
// reaches them. Used by `mesh-tui sim`, the demo, and the tests.
import { SimCluster } from './cluster.ts';
import {
  removeWrittenKubeconfig,
  writeKubeconfig,
  type KubeconfigEntry,
  type WriteKubeconfigOptions,
  type WrittenKubeconfig,
} from './kubeconfig.ts';
import { systemClock, type PodClock } from './pod/clock.ts';
import type { Scenario } from './scenario/model.ts';
import { TimelineRunner } from './timeline/timelineRunner.ts';

export interface SimulatorOptions {
  bookmarkIntervalMs?: number;
  /** Drives live log lines and the timeline; tests pass one they advance by hand. Real time by default. */
  clock?: PodClock;
  /**
   * `auto` (default): the scenario's timeline starts with the clusters. `manual`: it waits for
   * `timeline.start()` or `timeline.runToEnd()` (tests that look at the start state first).
   */
  timeline?: 'auto' | 'manual';
}

export class Simulator {
  readonly scenario: Scenario;
  readonly clusters: SimCluster[];
  /** What happens to the clusters while they run (the scenario's `timeline:`). */
  readonly timeline: TimelineRunner;
  private readonly autoTimeline: boolean;
  private written: WrittenKubeconfig | undefined;
  private stopped = false;

  private constructor(scenario: Scenario, options: SimulatorOptions) {
    this.scenario = scenario;
    const byContext = new Map<string, SimCluster>();
    const clock = options.clock ?? systemClock;
    this.clusters = scenario.clusters.map((spec) => {
      const cluster = new SimCluster(spec, {
        ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
        peers: (context) => byContext.get(context),
        clock,
      });
      byContext.set(spec.context, cluster);
      return cluster;
    });
    this.timeline = new TimelineRunner(scenario.timeline, (context) => this.cluster(context), clock);
    this.autoTimeline = options.timeline !== 'manual';
  }

  static async start(scenario: Scenario, options: SimulatorOptions = {}): Promise<Simulator> {
    const sim = new Simulator(scenario, options);
    try {
      await Promise.all(sim.clusters.map((c) => c.start()));
    } catch (err) {
      await sim.stop();
      throw err;
    }
    // Seconds on the timeline count from when every cluster answers.
    if (sim.autoTimeline) sim.timeline.start();
    return sim;
  }

  cluster(context: string): SimCluster {
    const found = this.clusters.find((c) => c.context === context);
    if (!found) throw new Error(`no simulated cluster with context "${context}"`);
    return found;
  }

  contexts(): string[] {
    return this.clusters.map((c) => c.context);
  }

  kubeconfigEntries(userOverride?: string): KubeconfigEntry[] {
    return this.clusters.flatMap((c) => {
      const user = userOverride !== undefined ? c.user(userOverride) : c.kubeconfigUser();
      if (!user) throw new Error(`cluster ${c.context} has no user "${userOverride}"`);
      const own = { context: c.context, server: c.url, caPem: c.caPem, user: user.name, token: user.token };
      // A scenario's extra contexts reach the same server with the same CA, as their own users.
      const extras = c
        .extraContexts()
        .map((extra) => ({ context: extra.context, server: c.url, caPem: c.caPem, user: extra.user.name, token: extra.user.token }));
      return [own, ...extras];
    });
  }

  /**
   * Writes the kubeconfig (mode 0600). stop() — or removeKubeconfig() — removes it again, but
   * only if this run created it and it is still there unchanged in identity: never a file that
   * was at the path before, nor one put there since.
   */
  async writeKubeconfig(path: string, userOverride?: string, options: WriteKubeconfigOptions = {}): Promise<WrittenKubeconfig> {
    const written = await writeKubeconfig(path, this.kubeconfigEntries(userOverride), options);
    this.written = written;
    return written;
  }

  /** Synchronous, for an `exit` handler. */
  removeKubeconfig(): void {
    if (this.written) removeWrittenKubeconfig(this.written);
    this.written = undefined;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timeline.stop();
    await Promise.allSettled(this.clusters.map((c) => c.stop()));
    this.removeKubeconfig();
  }
}
