// `mesh-tui --once` end to end, as a user runs it: the real launcher (`bin/mesh-tui`, so Node's
// own start-up is in the figure), spawned once per run, its wall time and peak RSS.
//
// The clusters are served by a separate `mesh-tui sim` process started before the runs, so the
// simulator's start-up (certificates, generated objects) is not counted; only `--demo healthy-3`
// includes it, as a newcomer would see it. Wall time and peak RSS as timedRun.ts takes them.
// BENCH_ONCE_RUNS sets the runs per row (default 3; medians are reported).
//
// The matrix is the issue's scale scenario (benchScenario.ts: about 1,000 watched pods, up to 20
// peers and 200 WorkloadEntries per context, no churn: a report reads one moment) at 1, 5, 20
// and 50 contexts, without and with 300 ms on every API request. Beside the wall time:
// - one context after another: `--once --context X` for each context in turn, as a user
//   without mesh-tui's fan-out would, summed;
// - kubectl: per context, in turn, the gets of what the console watches and the logs of
//   ztunnel and istiod (kubectl reads one pod of each), with a discovery cache warmed first, as
//   on a machine where kubectl is used daily. It reads less than mesh-tui (no istiod debug
//   endpoints, one ztunnel log rather than sixteen), so its ratio flatters kubectl.
// Either comparison is taken once per cell (a run of 50 contexts one after another takes
// minutes); both are left out where the table says so, to keep `npm run bench` under 20 minutes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launcher } from '../helpers/cli.ts';
import { kubectlPath } from '../helpers/kubectl.ts';
import { benchContextName, scaleScenario } from './benchScenario.ts';
import { serveScenario } from './simServer.ts';
import { timedRun, type TimedSample } from './timedRun.ts';
import { MISS_CAUSES } from './missCauses.ts';
import { spread, type Bench, type BenchRow, type Budget } from './benchRow.ts';

const RUNS = Number(process.env.BENCH_ONCE_RUNS ?? '3');
/** The scale scenario reports MC-LOG-001 unknown (16 of 500 ztunnel logs followed): exit 3 is its healthy answer. */
const HEALTHY_AT_SCALE = [0, 3];
/** One context alone cannot see its peers, so the peering checks fail: exit 1 is expected there. */
const ONE_CONTEXT_ALONE = [0, 1, 3];

interface Cell {
  contexts: number;
  latencyMs: number;
  sequential: boolean;
  kubectl: boolean;
}

const CELLS: Cell[] = [
  { contexts: 1, latencyMs: 0, sequential: false, kubectl: true },
  { contexts: 1, latencyMs: 300, sequential: false, kubectl: true },
  { contexts: 5, latencyMs: 0, sequential: true, kubectl: true },
  { contexts: 5, latencyMs: 300, sequential: true, kubectl: true },
  { contexts: 20, latencyMs: 0, sequential: true, kubectl: true },
  { contexts: 20, latencyMs: 300, sequential: true, kubectl: true },
  { contexts: 50, latencyMs: 0, sequential: true, kubectl: false },
  { contexts: 50, latencyMs: 300, sequential: false, kubectl: false },
];

type Sample = TimedSample;

function runOnce(args: string[], expected: readonly number[] = [0]): Promise<Sample> {
  return timedRun(launcher, args, expected);
}

async function samples(args: string[], runs: number, expected: readonly number[] = [0]): Promise<Sample[]> {
  // One untimed run first: the OS file cache, not the code, would otherwise decide the first figure.
  await runOnce(args, expected);
  const out: Sample[] = [];
  for (let i = 0; i < runs; i += 1) out.push(await runOnce(args, expected));
  return out;
}

function rows(name: string, list: readonly Sample[], what: string, wallBudget?: Budget): BenchRow[] {
  const wall = spread(list.map((s) => s.wallMs));
  const rss = spread(list.map((s) => s.peakRssMb));
  const exits = [...new Set(list.map((s) => s.exitCode))].join('/');
  return [
    {
      name: `${name}: wall`,
      value: wall.median / 1000,
      unit: 's',
      note: `median of ${list.length}, ${(wall.min / 1000).toFixed(2)}–${(wall.max / 1000).toFixed(2)} s, exit ${exits}; ${what}`,
      ...(wallBudget ? { budget: wallBudget } : {}),
    },
    {
      name: `${name}: peak RSS`,
      value: rss.median,
      unit: 'MB',
      note: `median of ${list.length}, ${rss.min.toFixed(0)}–${rss.max.toFixed(0)} MB`,
    },
  ];
}

/** `--once --context X` for every context in turn: the summed wall time. */
async function oneAfterAnother(kubeconfig: string, contexts: readonly string[]): Promise<number> {
  let total = 0;
  for (const context of contexts) {
    total += (await runOnce(['--once', '--kubeconfig', kubeconfig, '--context', context], ONE_CONTEXT_ALONE)).wallMs;
  }
  return total;
}

function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(), args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited ${String(code)}: ${stderr}`)),
    );
  });
}

/** What an engineer would type per context to read what the console watches and the logs it follows. */
function kubectlReads(context: string, kubeconfig: string): string[][] {
  const base = ['--kubeconfig', kubeconfig, '--context', context];
  return [
    [...base, 'get', 'namespaces,daemonsets,gateways.gateway.networking.k8s.io,services', '-A', '-o', 'json'],
    [...base, 'get', 'pods', '-A', '-l', 'app in (istiod,ztunnel)', '-o', 'json'],
    [...base, 'get', 'pods', '-A', '-l', 'service.istio.io/canonical-name=istio-eastwest', '-o', 'json'],
    [...base, 'get', 'pods', '-A', '-l', 'k8s-app=istio-cni-node', '-o', 'json'],
    [
      ...base,
      '-n',
      'istio-system',
      'get',
      'workloadentries.networking.istio.io,serviceentries.networking.istio.io,deployments,configmaps,secrets',
      '-o',
      'json',
    ],
    [...base, '-n', 'istio-system', 'logs', 'daemonset/ztunnel', '--tail=-1'],
    [...base, '-n', 'istio-system', 'logs', 'deployment/istiod', '--tail=-1'],
  ];
}

async function kubectlOneAfterAnother(kubeconfig: string, contexts: readonly string[], home: string): Promise<number> {
  const env = { ...process.env, HOME: home };
  // Warm the discovery cache (kubectl keeps it per server, under HOME): a daily user's state.
  for (const context of contexts) await runKubectl(['--kubeconfig', kubeconfig, '--context', context, 'api-resources', '-o', 'name'], env);
  const started = performance.now();
  for (const context of contexts) for (const args of kubectlReads(context, kubeconfig)) await runKubectl(args, env);
  return performance.now() - started;
}

async function measureCell(dir: string, cell: Cell): Promise<BenchRow[]> {
  const label = `--once, ${cell.contexts} context${cell.contexts === 1 ? '' : 's'}${cell.latencyMs > 0 ? `, ${cell.latencyMs} ms latency` : ''}`;
  const served = await serveScenario(
    dir,
    `scale-${cell.contexts}-${cell.latencyMs}`,
    scaleScenario({ clusters: cell.contexts, latencyMs: cell.latencyMs }),
  );
  const contexts = Array.from({ length: cell.contexts }, (_, i) => benchContextName(i));
  const budgeted = cell.contexts === 20 && cell.latencyMs === 300;
  try {
    const list = await samples(['--once', '--kubeconfig', served.kubeconfig], RUNS, HEALTHY_AT_SCALE);
    const wall = spread(list.map((s) => s.wallMs)).median;
    const out = rows(
      label,
      list,
      'scale scenario served by mesh-tui sim',
      budgeted ? { max: 2.5, text: 'under 2.5 s', whenMissed: MISS_CAUSES.onceWall } : undefined,
    );
    if (cell.sequential) {
      const sequentialMs = await oneAfterAnother(served.kubeconfig, contexts);
      out.push({
        name: `${label}: one context after another`,
        value: sequentialMs / wall,
        unit: '× slower',
        note: `\`--once --context X\` for each context in turn: ${(sequentialMs / 1000).toFixed(1)} s in all (one run)`,
        ...(budgeted ? { budget: { min: 4, text: 'at least 4×' } } : {}),
      });
    }
    if (cell.kubectl) {
      const kubectlMs = await kubectlOneAfterAnother(
        served.kubeconfig,
        contexts,
        join(dir, `kubectl-home-${cell.contexts}-${cell.latencyMs}`),
      );
      out.push({
        name: `${label}: kubectl, context after context`,
        value: kubectlMs / wall,
        unit: '× slower',
        note: `7 kubectl commands per context (gets and 2 logs, warm discovery cache): ${(kubectlMs / 1000).toFixed(1)} s in all (one run)`,
      });
    }
    return out;
  } finally {
    await served.stop();
  }
}

export const bench: Bench = {
  title: 'mesh-tui --once through bin/mesh-tui (wall time, peak RSS, against one context after another and kubectl)',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-bench-once-'));
    const out: BenchRow[] = [];
    try {
      const three = await serveScenario(
        dir,
        'healthy-3',
        readFileSync(new URL('../../src/sim/scenario/builtin/healthy-3.yaml', import.meta.url), 'utf8'),
      );
      try {
        out.push(
          ...rows(
            '--once, healthy-3',
            await samples(['--once', '--kubeconfig', three.kubeconfig], RUNS + 2),
            'healthy-3 served by mesh-tui sim (its start-up not counted)',
            { max: 1.0, text: 'under 1.0 s' },
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
      for (const cell of CELLS) {
        try {
          out.push(...(await measureCell(dir, cell)));
        } catch (error) {
          out.push({
            name: `--once, ${cell.contexts} contexts, ${cell.latencyMs} ms: failed`,
            value: NaN,
            unit: '',
            note: String(error).slice(0, 300),
          });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return out;
  },
};
