// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line, by
// file name without `.bench.ts`) and prints one table. Figures only: nothing here fails on speed.
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './benchRow.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.size === 0 || wanted.has(basename(f, '.bench.ts')))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  const { bench } = (await import(pathToFileURL(join(here, file)).href)) as { bench: Bench };
  process.stderr.write(`bench: ${bench.title}…\n`);
  rows.push(...(await bench.run()));
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const width = Math.max(4, ...rows.map((r) => r.name.length));
console.log(`mesh-tui bench — ${new Date().toISOString()} — ${machine}`);
for (const r of rows) {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 2 : 1);
  console.log(`${r.name.padEnd(width)}  ${value.padStart(10)} ${r.unit.padEnd(8)} ${r.note ?? ''}`.trimEnd());
}
