// The table `npm run bench` prints, as the Markdown of BENCHMARKS.md: one section per bench,
// then every budget with its verdict, so a reader sees at a glance what is met and what is not.
import { budgetVerdict, type BenchRow } from './benchRow.ts';

export interface BenchRun {
  date: string;
  machine: string;
  totalSeconds: number;
  sections: readonly { title: string; rows: readonly BenchRow[]; seconds: number }[];
}

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function benchmarksMarkdown(run: BenchRun): string {
  const lines = [
    '# mesh-tui benchmarks',
    '',
    `Written by \`npm run bench\` on ${run.date} (${run.totalSeconds.toFixed(0)} s in all).`,
    `Machine: ${run.machine}.`,
    'Figures only: tests never assert timings. How each figure is taken is in its note and in the',
    'bench file (`test/bench/*.bench.ts`).',
    '',
  ];
  const budgeted = run.sections.flatMap((s) => s.rows).filter((r) => budgetVerdict(r) !== undefined);
  if (budgeted.length > 0) {
    lines.push(
      '## Budgets',
      '',
      '| figure | value | budget | verdict | measured cause of a miss; next lever |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const r of budgeted) {
      const verdict = budgetVerdict(r) ?? '';
      const cause = verdict === 'MISSED' ? (r.budget?.whenMissed ?? 'not yet measured') : '';
      lines.push(`| ${cell(r.name)} | ${formatValue(r.value)} ${r.unit} | ${cell(r.budget?.text ?? '')} | ${verdict} | ${cell(cause)} |`);
    }
    lines.push('');
  }
  for (const section of run.sections) {
    lines.push(
      `## ${section.title}`,
      '',
      `(${section.seconds.toFixed(0)} s)`,
      '',
      '| figure | value | unit | how |',
      '| --- | --- | --- | --- |',
    );
    for (const r of section.rows) lines.push(`| ${cell(r.name)} | ${formatValue(r.value)} | ${r.unit} | ${cell(r.note ?? '')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
