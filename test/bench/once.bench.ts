// `mesh-tui --once` end to end, as a user runs it: the real launcher (`bin/mesh-tui`, so Node's
// own start-up is in the figure), spawned once per run, its wall time and peak RSS.
//
// The clusters are served by a separate `mesh-tui sim` process started before the runs, so the
// simulator's start-up (certificates, generated objects) is not counted; only `--demo healthy-3`
// includes it, as a newcomer would see it. Peak RSS comes from GNU time's "Maximum resident set
// size" when /usr/bin/time is there, else from the child's /proc status (VmHWM) sampled while
// it runs. BENCH_ONCE_RUNS sets the runs per row (default 5; medians are reported).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launcher, startCli } from '../helpers/cli.ts';
import { healthyRingScenario } from './benchScenario.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const GNU_TIME = '/usr/bin/time';
const RUNS = Number(process.env.BENCH_ONCE_RUNS ?? '5');

interface Sample {
  wallMs: number;
  peakRssMb: number;
  exitCode: number | null;
}

/** One `mesh-tui` run; rejects on an exit code outside `expected` (a broken run measures nothing). */
async function runOnce(args: string[], expected: readonly number[] = [0]): Promise<Sample> {
  const timed = existsSync(GNU_TIME);
  const [command, argv] = timed ? [GNU_TIME, ['-v', launcher, ...args]] : [launcher, args];
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polledKb = 0;
  const poll = timed
    ? undefined
    : setInterval(() => {
        try {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (hwm) polledKb = Math.max(polledKb, Number(hwm[1]));
        } catch {
          // The process has just ended.
        }
      }, 10);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - started;
  clearInterval(poll);
  if (!expected.includes(exitCode ?? -1)) throw new Error(`mesh-tui ${args.join(' ')} exited ${String(exitCode)}: ${stderr}`);
  const gnuKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return { wallMs, peakRssMb: (gnuKb ? Number(gnuKb[1]) : polledKb) / 1024, exitCode };
}

async function samples(args: string[], runs: number): Promise<Sample[]> {
  // One untimed run first: the OS file cache, not the code, would otherwise decide the first figure.
  await runOnce(args);
  const out: Sample[] = [];
  for (let i = 0; i < runs; i += 1) out.push(await runOnce(args));
  return out;
}

function rows(name: string, list: readonly Sample[], what: string): BenchRow[] {
  const wall = spread(list.map((s) => s.wallMs));
  const rss = spread(list.map((s) => s.peakRssMb));
  return [
    {
      name: `${name}: wall`,
      value: wall.median / 1000,
      unit: 's',
      note: `median of ${list.length}, ${(wall.min / 1000).toFixed(2)}–${(wall.max / 1000).toFixed(2)} s; ${what}`,
    },
    {
      name: `${name}: peak RSS`,
      value: rss.median,
      unit: 'MB',
      note: `median of ${list.length}, ${rss.min.toFixed(0)}–${rss.max.toFixed(0)} MB`,
    },
  ];
}

/** Serves a scenario file from its own `mesh-tui sim` process; returns its kubeconfig. */
async function serve(dir: string, name: string, yaml: string): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const file = join(dir, `${name}.yaml`);
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  await writeFile(file, yaml);
  const { child } = await startCli(['sim', '--scenario-file', file, '--kubeconfig-out', kubeconfig], /^ready /, 120_000);
  return {
    kubeconfig,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const bench: Bench = {
  title: 'mesh-tui --once through bin/mesh-tui (wall time, peak RSS)',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-bench-once-'));
    const out: BenchRow[] = [];
    try {
      const three = await serve(
        dir,
        'healthy-3',
        readFileSync(new URL('../../src/sim/scenario/builtin/healthy-3.yaml', import.meta.url), 'utf8'),
      );
      try {
        out.push(
          ...rows(
            '--once, 3 healthy contexts',
            await samples(['--once', '--kubeconfig', three.kubeconfig], RUNS),
            'healthy-3 served by mesh-tui sim (its start-up not counted)',
          ),
        );
      } finally {
        await three.stop();
      }
      out.push(
        ...rows(
          '--demo healthy-3 --once',
          await samples(['--demo', 'healthy-3', '--once'], RUNS),
          'includes starting the simulated clusters in-process',
        ),
      );
      const twenty = await serve(dir, 'ring-20-latency', healthyRingScenario({ clusters: 20, latencyMs: 300 }));
      try {
        out.push(
          ...rows(
            '--once, 20 contexts, 300 ms API latency',
            await samples(['--once', '--kubeconfig', twenty.kubeconfig], Math.max(1, Math.ceil(RUNS / 2))),
            '20 healthy clusters in a ring, every API request delayed 300 ms, served by mesh-tui sim',
          ),
        );
      } finally {
        await twenty.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return out;
  },
};
