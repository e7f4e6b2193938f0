// What one benchmark measures, as a row of the table `npm run bench` prints. Benchmarks print
// figures; they never pass or fail on a timing (tests assert behaviour, not speed).
export interface BenchRow {
  /** What was measured, e.g. `checks: evaluation, 20 contexts, cold`. */
  name: string;
  value: number;
  /** `ms`, `MB`, `s`, `events/s`, `count`… */
  unit: string;
  /** How it was measured: runs, spread, what the figure excludes. */
  note?: string;
  /** The budget for this figure, when it has one: met when value ≤ max and ≥ min. */
  budget?: Budget;
}

export interface Budget {
  max?: number;
  min?: number;
  /** The budget as a reader says it, e.g. `under 2.5 s`, `at least 4×`. */
  text: string;
  /** What was measured to cause a miss, and the next lever: printed in BENCHMARKS.md beside a MISSED figure. */
  whenMissed?: string;
}

/** `met`, `MISSED`, or undefined for a row without a budget (or a figure that could not be taken). */
export function budgetVerdict(row: BenchRow): 'met' | 'MISSED' | undefined {
  const b = row.budget;
  if (!b || !Number.isFinite(row.value)) return undefined;
  const over = b.max !== undefined && row.value > b.max;
  const under = b.min !== undefined && row.value < b.min;
  return over || under ? 'MISSED' : 'met';
}

/** One benchmark file: `test/bench/<name>.bench.ts` exports `bench`. */
export interface Bench {
  title: string;
  run(): Promise<BenchRow[]>;
}

/** Median and min–max of a list of samples, for a row's value and note. */
export function spread(samples: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? NaN
      : sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN };
}
