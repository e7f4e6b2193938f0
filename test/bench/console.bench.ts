// `npm run bench -- console`: what the console costs a terminal link, in bytes. `bin/mesh-tui
// --demo` runs in a tmux pane of 80×24 and of 200×50; tmux pipe-pane records every byte the
// console writes to the terminal (escapes included: what an SSH link carries). Figures:
// - steady state: bytes per second over a quiet window after the live-demo's timeline has
//   played out (its last event is at 45 s), with nothing pressed;
// - per key: bytes written in the second after pressing `j` (cursor down on the pods pane), `2`
//   (gateways → pods) and Tab (pods → gateways), minus the steady-state bytes of that second;
//   medians over a few presses.
// The default --max-fps applies (15; 10 over SSH). BENCH_CONSOLE_QUIET_S sets the quiet window.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxTerminal, tmuxAvailable } from '../helpers/tmux.ts';
import { consoleUp, launchConsole } from '../e2e/consoleSession.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const QUIET_S = Number(process.env.BENCH_CONSOLE_QUIET_S ?? '20');
/** The live-demo's last timeline event is at 45 s; a little after it the mesh is steady. */
const TIMELINE_END_S = 55;
const AFTER_KEY_MS = 1000;
const PRESSES = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function size(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function measure(columns: number, rows: number, dir: string): Promise<BenchRow[]> {
  const file = join(dir, `console-${columns}x${rows}.out`);
  const terminal = await TmuxTerminal.open({ columns, rows });
  try {
    terminal.recordOutput(file);
    const launchedAt = Date.now();
    await launchConsole(terminal, '--demo');
    await consoleUp(terminal);
    const startupBytes = await size(file);
    // Let the timeline play out, then measure a quiet window.
    const left = TIMELINE_END_S * 1000 - (Date.now() - launchedAt);
    if (left > 0) await sleep(left);
    const quietStart = await size(file);
    await sleep(QUIET_S * 1000);
    const steadyPerSecond = ((await size(file)) - quietStart) / QUIET_S;

    const perKey = async (key: string, before?: () => Promise<void>): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < PRESSES; i++) {
        await before?.();
        await sleep(AFTER_KEY_MS); // let the previous key's frames end
        const at = await size(file);
        terminal.press(key);
        await sleep(AFTER_KEY_MS);
        samples.push(Math.max(0, (await size(file)) - at - (steadyPerSecond * AFTER_KEY_MS) / 1000));
      }
      return samples;
    };
    terminal.press('2');
    await terminal.waitForScreen((_s, lines) => lines.some((l) => l.includes('[2 Pods]')), { what: 'the pods pane' });
    const j = await perKey('j');
    const two = await perKey('2', async () => {
      terminal.press('3');
      await terminal.waitForScreen((_s, lines) => lines.some((l) => l.includes('[3 Gateways]')), { what: 'the gateways pane' });
    });
    const tab = await perKey('Tab', async () => {
      terminal.press('2');
      await terminal.waitForScreen((_s, lines) => lines.some((l) => l.includes('[2 Pods]')), { what: 'the pods pane' });
    });
    terminal.press('q');
    await terminal.waitForScreen((s) => /^exit=\d+/m.test(s), { what: 'the console to quit' });

    const at = `${columns}×${rows}`;
    const keyRow = (name: string, samples: number[]): BenchRow => {
      const s = spread(samples);
      return {
        name: `console ${at}: key ${name}`,
        value: Math.round(s.median),
        unit: 'bytes',
        note: `median of ${samples.length}, ${Math.round(s.min)}–${Math.round(s.max)}; steady bytes of the second subtracted`,
      };
    };
    return [
      { name: `console ${at}: start-up`, value: startupBytes, unit: 'bytes', note: 'launch until every context is ready' },
      {
        name: `console ${at}: steady state`,
        value: Math.round(steadyPerSecond),
        unit: 'bytes/s',
        note: `${QUIET_S} s with nothing pressed, after the live-demo timeline`,
      },
      keyRow('j (pods pane)', j),
      keyRow('2 (gateways → pods)', two),
      keyRow('Tab (pods → gateways)', tab),
    ];
  } finally {
    terminal.close();
  }
}

export const bench: Bench = {
  title: 'console: bytes written to the terminal (tmux, live-demo)',
  async run(): Promise<BenchRow[]> {
    if (!tmuxAvailable()) return [{ name: 'console: tmux not installed', value: 0, unit: 'skipped' }];
    const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-bench-'));
    try {
      return [...(await measure(80, 24, dir)), ...(await measure(200, 50, dir))];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
