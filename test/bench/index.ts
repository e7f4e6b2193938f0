// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line, by
// file name without `.bench.ts`), prints one table and writes it to BENCHMARKS.md with the
// machine and the date. Figures only: nothing here fails on speed; a budget missed is printed
// as MISSED beside its figure, for a person to read.
//
// BENCHMARKS.md is rewritten only by a full run: a run of some benches would drop the others'
// rows. BENCH_OUT=FILE writes the table elsewhere (any run, full or not).
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { budgetVerdict, type Bench, type BenchRow } from './benchRow.ts';
import { benchmarksMarkdown, formatValue } from './benchmarksMarkdown.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.size === 0 || wanted.has(basename(f, '.bench.ts')))
  .sort();

const started = performance.now();
const sections: { title: string; rows: BenchRow[]; seconds: number }[] = [];
for (const file of files) {
  const { bench } = (await import(pathToFileURL(join(here, file)).href)) as { bench: Bench };
  process.stderr.write(`bench: ${bench.title}…\n`);
  const t0 = performance.now();
  const rows = await bench.run();
  sections.push({ title: bench.title, rows, seconds: (performance.now() - t0) / 1000 });
}
const totalSeconds = (performance.now() - started) / 1000;

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString();
const rows = sections.flatMap((s) => s.rows);
const width = Math.max(4, ...rows.map((r) => r.name.length));
console.log(`mesh-tui bench — ${date} — ${machine}`);
for (const r of rows) {
  const verdict = budgetVerdict(r);
  const budget = verdict && r.budget ? `[${verdict}: ${r.budget.text}] ` : '';
  console.log(`${r.name.padEnd(width)}  ${formatValue(r.value).padStart(10)} ${r.unit.padEnd(8)} ${budget}${r.note ?? ''}`.trimEnd());
}
console.log(`total ${totalSeconds.toFixed(0)} s`);

const out = process.env.BENCH_OUT ?? (wanted.size === 0 ? join(here, '..', '..', 'BENCHMARKS.md') : undefined);
if (out) {
  writeFileSync(out, benchmarksMarkdown({ date, machine, totalSeconds, sections }));
  process.stderr.write(`bench: wrote ${out}\n`);
}
