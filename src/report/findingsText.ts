// The `--once` report as plain text for a terminal or a ticket: a header, the contexts, the
// problems (each root cause with the symptoms it explains indented under it, its evidence and
// the commands that fix it), the checks that passed, and the summary line. No colours: the
// output is as often piped into a file as read on a screen.
import type { Finding } from '../../checks/types.ts';
import { groupsOf, shownEvidence, subjectText, type OnceReport, type ReportFinding } from './findingsReport.ts';
import { printable } from './findingsPrintable.ts';
import { formatTable } from './textTable.ts';

export function renderFindingsText(report: OnceReport): string {
  const out: string[] = [];
  out.push(`mesh-tui ${report.tool.version} — multicluster checks at ${report.generatedAt}`);
  out.push(optionsLine(report));
  out.push('');
  out.push(
    formatTable(
      ['CONTEXT', 'CLUSTER', 'STATUS'],
      report.contexts.map((c) => [printable(c.context), printable(c.clusterId ?? '<unknown>'), printable(c.detail)]),
    ).trimEnd(),
  );
  for (const note of report.notes) out.push(`note: ${printable(note)}`);
  const withSignatures = report.contexts.filter((c) => c.logSignatures.length > 0);
  if (withSignatures.length > 0) {
    const since = report.options.since !== null ? ` (lines newer than ${report.options.since})` : '';
    out.push('', printable(`Log signatures${since}:`));
    for (const c of withSignatures) {
      for (const s of c.logSignatures) out.push(printable(`  ${c.context}: ${s.count}× ${s.title} [${s.check}] last ${s.lastSeen}`));
    }
  }

  const groups = groupsOf(report.findings);
  out.push('');
  if (report.findings.length === 0) out.push('No findings: nothing was evaluated.');
  else if (groups.length === 0) out.push('No problems found.');
  else out.push('Problems (root causes first; the symptoms they explain are indented under them):');
  for (const { root, symptoms } of groups) {
    out.push('', ...findingLines(root, ''));
    for (const s of symptoms) out.push(...findingLines(s, '    '));
  }

  const passes = report.findings.filter((f) => f.role === 'pass');
  if (passes.length > 0) {
    out.push('', 'Passed:');
    out.push(
      ...formatTable(
        ['CHECK', 'CONTEXT', 'RESULT'],
        passes.map((f) => [f.check, printable(f.contexts.join(',')), printable(f.message)]),
      )
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  out.push('', report.summary.line);
  return out.join('\n') + '\n';
}

function optionsLine(report: OnceReport): string {
  const o = report.options;
  const parts = [`istio namespace ${o.istioNamespace}`, `timeout ${o.timeoutSeconds}s`];
  if (o.precheck) parts.push('precheck');
  if (o.since !== null) parts.push(`logs since ${o.since}`);
  if (o.demoScenario !== null) parts.push(`demo scenario ${o.demoScenario}`);
  return printable(parts.join(', '));
}

function findingLines(f: ReportFinding, indent: string): string[] {
  const head = `${indent}${f.severity.toUpperCase().padEnd(7)} ${f.check}  ${f.title}`;
  const lines = [printable(head)];
  const more = `${indent}        `;
  lines.push(printable(`${more}${f.contexts.join(', ')} · ${subjectText(f)}`));
  if (f.role === 'symptom' && f.explainedBy !== undefined) lines.push(`${more}explained by ${f.explainedBy}`);
  lines.push(`${more}${printable(f.message)}`);
  const { shown, omitted } = shownEvidence(f);
  for (const e of shown) lines.push(`${more}evidence: ${printable(`[${e.context}] ${e.where} = ${e.value}`)}`);
  if (omitted > 0) lines.push(`${more}evidence: … and ${omitted} more (-o json lists every one)`);
  lines.push(...remediationLines(f, more));
  return lines;
}

function remediationLines(f: Finding, indent: string): string[] {
  const r = f.remediation;
  if (r === undefined) return [];
  const lines = [`${indent}fix: ${printable(r.summary)}`];
  for (const c of r.commands) lines.push(`${indent}  $ ${printable(c)}`);
  if (r.actionId !== undefined) lines.push(`${indent}  guided action: ${printable(r.actionId)}`);
  return lines;
}
