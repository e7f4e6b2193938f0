// The `--once` report as Markdown for incident notes and tickets: it must paste cleanly into
// GitHub, GitLab or Slack-flavoured renderers. Values from the clusters go into code spans or
// escaped text, never raw (a `|` breaks a table, a `<` opens HTML), and no terminal escapes.
import { groupsOf, shownEvidence, subjectText, type OnceReport, type ReportFinding } from './findingsReport.ts';
import { printable } from './findingsPrintable.ts';

export function renderFindingsMarkdown(report: OnceReport): string {
  const out: string[] = [];
  out.push(`# mesh-tui report — ${text(report.summary.line)}`, '');
  out.push(`- Generated: ${code(report.generatedAt)} by mesh-tui ${code(report.tool.version)} (report schema ${report.schemaVersion})`);
  out.push(`- Istio namespace: ${code(report.options.istioNamespace)}; timeout ${report.options.timeoutSeconds}s`);
  if (report.options.precheck) out.push('- Mode: precheck (before linking: missing peers do not fail)');
  if (report.options.since !== null) out.push(`- Log signatures: lines newer than ${code(report.options.since)}`);
  if (report.options.demoScenario !== null) out.push(`- Simulated clusters: demo scenario ${code(report.options.demoScenario)}`);
  for (const note of report.notes) out.push(`- **Note:** ${text(note)}`);

  out.push('', '## Contexts', '', '| Context | Cluster | Status |', '| --- | --- | --- |');
  for (const c of report.contexts)
    out.push(`| ${cellCode(c.context)} | ${c.clusterId === null ? '_unknown_' : cellCode(c.clusterId)} | ${text(c.detail)} |`);

  const groups = groupsOf(report.findings);
  out.push('', '## Problems', '');
  if (report.findings.length === 0) out.push('No findings: nothing was evaluated.', '');
  else if (groups.length === 0) out.push('No problems found.', '');
  for (const { root, symptoms } of groups) {
    out.push(...findingBlock(root, '###'));
    if (symptoms.length > 0) {
      out.push(`Symptoms explained by ${code(root.check)}:`, '');
      for (const s of symptoms) out.push(...findingBlock(s, '####'));
    }
  }

  out.push('## Findings per context', '');
  for (const c of report.contexts) {
    const mine = report.findings.filter((f) => f.contexts.includes(c.context));
    out.push(`### ${code(c.context)}`, '');
    if (c.logSignatures.length > 0) {
      out.push('Log signatures:', '');
      for (const s of c.logSignatures) out.push(`- ${s.count}× ${text(s.title)} (${code(s.check)}), last ${code(s.lastSeen)}`);
      out.push('');
    }
    if (mine.length === 0) {
      out.push('_No findings._', '');
      continue;
    }
    out.push('| Severity | Check | Subject | Message |', '| --- | --- | --- | --- |');
    for (const f of mine) out.push(`| ${f.severity} | ${cellCode(f.check)} | ${cellCode(subjectText(f))} | ${text(f.message)} |`);
    out.push('');
  }
  out.push(`**${text(report.summary.line)}**`);
  return out.join('\n') + '\n';
}

function findingBlock(f: ReportFinding, heading: string): string[] {
  const lines = [`${heading} ${f.severity.toUpperCase()} ${code(f.check)} ${text(f.title)}`, ''];
  lines.push(`- Contexts: ${f.contexts.map(code).join(', ')}`);
  lines.push(`- Subject: ${code(subjectText(f))}`);
  if (f.role === 'symptom' && f.explainedBy !== undefined) lines.push(`- Explained by: ${code(f.explainedBy)}`);
  lines.push('', text(f.message), '');
  if (f.evidence.length > 0) {
    lines.push('| Context | Where | Value |', '| --- | --- | --- |');
    const { shown, omitted } = shownEvidence(f);
    for (const e of shown) lines.push(`| ${cellCode(e.context)} | ${cellCode(e.where)} | ${cellCode(e.value)} |`);
    if (omitted > 0) lines.push(`| … | ${omitted} more | \`-o json\` lists every one |`);
    lines.push('');
  }
  const r = f.remediation;
  if (r !== undefined) {
    lines.push(`Fix: ${text(r.summary)}`, '');
    for (const c of r.commands) lines.push(`- ${code(c)}`);
    if (r.actionId !== undefined) lines.push(`- Guided action: ${code(r.actionId)}`);
    lines.push('');
  }
  return lines;
}

/** A code span for a list or a paragraph: shown exactly as written, so a command copies as it is. */
function code(value: string): string {
  return fenced(printable(value));
}

/** A code span inside a table cell: GFM splits cells on `|` before reading code spans, so pipes are escaped (and shown unescaped). */
function cellCode(value: string): string {
  return fenced(printable(value).replace(/\|/g, '\\|'));
}

/** Wrapped in more backticks than any run inside the value, padded when it starts or ends with one. */
function fenced(v: string): string {
  const runs = v.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

/** Prose with Markdown's active characters escaped, so a value never becomes markup. */
function text(value: string): string {
  return printable(value).replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}
