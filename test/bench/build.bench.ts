// The single file beside the npm way: `npm run build`'s time and what it writes, then start-up
// as a user feels it — `--version` and `--demo healthy --once` — for the executable under `env -i`
// (no Node, empty environment) and for `bin/mesh-tui` (the project's own Node and the bundle).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { launcher } from '../helpers/cli.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';
import { timedRun, type TimedSample } from './timedRun.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const executable = join(root, 'dist/mesh-tui-linux-x64');
const bundle = join(root, 'dist/mesh-tui.mjs');
const RUNS = 5;
const MB = 2 ** 20;

async function samples(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<TimedSample[]> {
  await timedRun(command, args, [0], env); // page cache, not code, would decide the first figure
  const out: TimedSample[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await timedRun(command, args, [0], env));
  return out;
}

function startRows(name: string, list: readonly TimedSample[], how: string): BenchRow[] {
  const wall = spread(list.map((s) => s.wallMs));
  const rss = spread(list.map((s) => s.peakRssMb));
  return [
    {
      name: `${name}: wall`,
      value: wall.median / 1000,
      unit: 's',
      note: `median of ${list.length}, ${(wall.min / 1000).toFixed(2)}–${(wall.max / 1000).toFixed(2)} s; ${how}`,
    },
    {
      name: `${name}: peak RSS`,
      value: rss.median,
      unit: 'MB',
      note: `median of ${list.length}, ${rss.min.toFixed(0)}–${rss.max.toFixed(0)} MB`,
    },
  ];
}

export const bench: Bench = {
  title: 'single executable beside the npm way (build, size, start-up)',
  async run() {
    const fetched = existsSync(join(root, '.cache/build-node'));
    const t0 = performance.now();
    execFileSync(process.execPath, [join(root, 'src/build/sea.ts')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const buildS = (performance.now() - t0) / 1000;
    const rows: BenchRow[] = [
      {
        name: 'build: npm run build',
        value: buildS,
        unit: 's',
        note: `bundle and executable; ${fetched ? 'Node 26 already in .cache/build-node' : 'includes fetching Node 26 with npm'}`,
      },
      {
        name: 'build: executable size',
        value: statSync(executable).size / MB,
        unit: 'MiB',
        note: 'dist/mesh-tui-linux-x64: Node 26 and the bundle',
      },
      {
        name: 'build: bundle size',
        value: statSync(bundle).size / MB,
        unit: 'MiB',
        note: 'dist/mesh-tui.mjs: what the npm package and the executable run',
      },
    ];
    const empty = {}; // env -i: nothing inherited, no PATH
    const ours = { ...process.env };
    for (const [label, args] of [
      ['--version', ['--version']],
      ['--demo healthy --once', ['--demo', 'healthy', '--once']],
    ] as const) {
      rows.push(...startRows(`executable ${label}`, await samples(executable, [...args], empty), 'empty environment'));
      rows.push(...startRows(`bin/mesh-tui ${label}`, await samples(launcher, [...args], ours), 'the project’s Node 24 and the bundle'));
    }
    return rows;
  },
};
