// The `--once` report as JSON for scripts: exactly the OnceReport, whose shape is documented and
// versioned in docs/report.md (`schemaVersion`). Nothing is added or renamed here.
import type { OnceReport } from './findingsReport.ts';

export function renderFindingsJson(report: OnceReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
