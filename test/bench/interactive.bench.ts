// `npm run bench -- interactive`: the console as a user runs it (`bin/mesh-tui --kubeconfig K`
// in a 120×40 pseudo-terminal, see ptyConsole.ts) against clusters served by a separate
// `mesh-tui sim`. Definitions:
// - first frame: spawn until the end of the first output burst written after the last burst
//   that still said `connecting` (the header's badges say every context's status; a burst is
//   output followed by 20 ms of quiet). At 50 contexts in 120 columns the header folds the last
//   ones into `+N more`, so "every context" means no badge written says `connecting`; the note
//   says how many context names had been written.
// - steady state: RSS (VmRSS) at the end, CPU (utime+stime of the node process) and bytes to
//   the terminal over a WINDOW_S window that starts SETTLE_S after the first frame, nothing pressed.
// - key to frame: `j`/`k` alternately on the pods pane, KEYS presses 200 ms apart; time from the
//   write of the key to the last byte of the burst it caused (20 ms quiet ends a burst), so a
//   frame the churn happens to write in the same burst is counted in. p50 and p95.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchContextName, scaleScenario } from './benchScenario.ts';
import { PtyConsole, type OutputChunk } from './ptyConsole.ts';
import { serveScenario } from './simServer.ts';
import type { Bench, BenchRow, Budget } from './benchRow.ts';
import { MISS_CAUSES } from './missCauses.ts';

const WINDOW_S = Number(process.env.BENCH_INTERACTIVE_WINDOW_S ?? '20');
const SETTLE_S = 5;
const KEYS = 40;
const KEY_GAP_MS = 200;
const QUIET_MS = 20;
const FIRST_FRAME_TIMEOUT_MS = 120_000;
// A header badge still connecting (`bench-07 connecting`, `+3 more connecting`); not the word
// anywhere, which log streams and findings use for their own states long after the contexts are up.
const CONNECTING_BADGE = /\bbench-\d+ connecting\b|more connecting/;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>78]/g;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Case {
  clusters: number;
  latencyMs?: number;
  /** Which figures to take: a latency run measures only the first frame. */
  full: boolean;
  budgets: { firstFrameMs?: number; rssMb?: number; cpuPercent?: number; bytesPerSecond?: number; keyP95Ms?: number };
}

function plain(text: string): string {
  return text.replace(ANSI, '');
}

/** Output grouped into bursts: chunks no more than QUIET_MS apart. */
function bursts(chunks: readonly OutputChunk[]): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  for (const c of chunks) {
    const last = out.at(-1);
    if (last && c.at - last.end <= QUIET_MS) {
      last.end = c.at;
      last.text += c.text;
    } else out.push({ start: c.at, end: c.at, text: c.text });
  }
  return out;
}

async function waitForFirstFrame(pty: PtyConsole, names: readonly string[]): Promise<{ ms: number; named: number }> {
  const deadline = performance.now() + FIRST_FRAME_TIMEOUT_MS;
  while (performance.now() < deadline) {
    await sleep(250);
    const all = bursts(pty.chunks);
    const lastConnecting = all.findLastIndex((b) => CONNECTING_BADGE.test(plain(b.text)));
    const seen = plain(all.map((b) => b.text).join(''));
    const after = all[lastConnecting + 1];
    // A burst after the last `connecting` that has itself been quiet for a while: nothing is pending.
    if (after && lastConnecting >= 0 && seen.includes(names[0] ?? '') && performance.now() - after.end > 1000) {
      return { ms: after.end - pty.startedAt, named: names.filter((n) => seen.includes(n)).length };
    }
  }
  throw new Error('the console never showed every context without `connecting`');
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function keyLatencies(pty: PtyConsole): Promise<number[]> {
  pty.press('2'); // the pods pane: j/k move a visible selection
  await sleep(1000);
  const samples: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const at = pty.press(i % 2 === 0 ? 'j' : 'k');
    await sleep(KEY_GAP_MS);
    const burst = bursts(pty.chunks.filter((c) => c.at >= at))[0];
    if (burst) samples.push(burst.end - at);
  }
  return samples;
}

function row(name: string, value: number, unit: string, note: string, max?: number, text?: string, whenMissed?: string): BenchRow {
  const budget: Budget | undefined =
    max === undefined ? undefined : { max, text: text ?? `under ${max} ${unit}`, ...(whenMissed !== undefined ? { whenMissed } : {}) };
  return { name, value, unit, note, ...(budget ? { budget } : {}) };
}

async function measure(dir: string, c: Case): Promise<BenchRow[]> {
  const label = `interactive, ${c.clusters} contexts${c.latencyMs ? `, ${c.latencyMs} ms latency` : ''}`;
  const yaml = scaleScenario({ clusters: c.clusters, ...(c.latencyMs ? { latencyMs: c.latencyMs } : {}), churn: true });
  const what = 'scale scenario with churn';
  const served = await serveScenario(dir, `interactive-${c.clusters}-${c.latencyMs ?? 0}`, yaml);
  const names = Array.from({ length: c.clusters }, (_, i) => benchContextName(i));
  const pty = new PtyConsole(['--kubeconfig', served.kubeconfig], 120, 40);
  const out: BenchRow[] = [];
  try {
    const first = await waitForFirstFrame(pty, names);
    const firstNote = `spawn to the first burst after the last \`connecting\` badge, ${first.named}/${names.length} names written; ${what}`;
    out.push(
      row(`${label}: first frame`, Math.round(first.ms), 'ms', firstNote, c.budgets.firstFrameMs, undefined, MISS_CAUSES.firstFrame),
    );
    if (!c.full) return out;
    const pid = pty.nodePid();
    if (pid === undefined) throw new Error('no node process under script');
    await sleep(SETTLE_S * 1000);
    const cpu0 = PtyConsole.cpuSeconds(pid);
    const simCpu0 = served.pid !== undefined ? PtyConsole.cpuSeconds(served.pid) : NaN;
    const t0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const cpuPercent = ((PtyConsole.cpuSeconds(pid) - cpu0) / seconds) * 100;
    const simCpuPercent = served.pid !== undefined ? ((PtyConsole.cpuSeconds(served.pid) - simCpu0) / seconds) * 100 : NaN;
    const bytesPerSecond = pty.bytesSince(t0) / seconds;
    const rss = PtyConsole.rssMb(pid);
    const keys = await keyLatencies(pty);
    const window = `${WINDOW_S} s window ${SETTLE_S} s after the first frame, nothing pressed; ${what}`;
    out.push(
      row(
        `${label}: steady RSS`,
        Math.round(rss),
        'MB',
        `VmRSS of the node process at the end of the ${window}`,
        c.budgets.rssMb,
        undefined,
        MISS_CAUSES.steadyRss,
      ),
      row(`${label}: steady CPU`, Math.round(cpuPercent * 10) / 10, '% core', `utime+stime over the ${window}`, c.budgets.cpuPercent),
      row(
        `${label}: simulator CPU meanwhile`,
        Math.round(simCpuPercent * 10) / 10,
        '% core',
        'the mesh-tui sim process serving the churn, on the same 2 cores: what the console competes with',
      ),
      row(
        `${label}: bytes to terminal`,
        Math.round(bytesPerSecond),
        'bytes/s',
        `pty output over the ${window}`,
        c.budgets.bytesPerSecond,
        c.budgets.bytesPerSecond ? 'under 10 KB/s' : undefined,
      ),
      row(
        `${label}: key to frame p50`,
        Math.round(percentile(keys, 50)),
        'ms',
        `j/k on the pods pane, ${keys.length} presses ${KEY_GAP_MS} ms apart; to the end of the burst (${QUIET_MS} ms quiet)`,
      ),
      row(
        `${label}: key to frame p95`,
        Math.round(percentile(keys, 95)),
        'ms',
        `as p50; max ${Math.round(Math.max(...keys))} ms`,
        c.budgets.keyP95Ms,
      ),
    );
    return out;
  } finally {
    await pty.quit();
    await served.stop();
  }
}

const CASES: Case[] = [
  { clusters: 20, full: true, budgets: { firstFrameMs: 500, rssMb: 250, cpuPercent: 30, bytesPerSecond: 10_240, keyP95Ms: 100 } },
  { clusters: 50, full: true, budgets: { rssMb: 400, keyP95Ms: 250 } },
  { clusters: 20, latencyMs: 300, full: false, budgets: {} },
];

export const bench: Bench = {
  title: 'interactive console in a pty (first frame, RSS, CPU, bytes/s, key to frame)',
  async run(): Promise<BenchRow[]> {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-bench-interactive-'));
    const rows: BenchRow[] = [];
    try {
      for (const c of CASES) {
        try {
          rows.push(...(await measure(dir, c)));
        } catch (error) {
          rows.push({ name: `interactive, ${c.clusters} contexts: failed`, value: NaN, unit: '', note: String(error).slice(0, 200) });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
