// An action plan and its results as lines of plain text: what `mesh-tui act` prints and what the
// console's confirmation screen shows, so both say the same thing. Status is in words (applied,
// refused, accepted by the dry run), never only in colour. Grouped per context: the on-call
// engineer confirms cluster by cluster.
import type { ActionPlan, ActionRun, PlanStep, StepResult } from './types.ts';

function objectText(step: PlanStep): string {
  return `${step.kind} ${step.namespace !== undefined ? `${step.namespace}/` : ''}${step.name}`;
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(absent)' : `"${value}"`;
}

/** The change of one step as a diff line. */
export function changeText(step: PlanStep): string {
  if (step.change.op === 'delete') return `- delete ${objectText(step)}`;
  return `~ ${objectText(step)}: metadata.labels["${step.change.key}"] ${quoted(step.change.from)} -> ${quoted(step.change.to)}`;
}

function byContext<T>(items: readonly T[], contextOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(contextOf(item), [...(groups.get(contextOf(item)) ?? []), item]);
  return groups;
}

/** The plan: per context, each change with its evidence and preconditions; then manual steps and notes. */
export function planLines(plan: ActionPlan): string[] {
  const lines: string[] = [`Plan: ${plan.title}`];
  if (plan.steps.length === 0) lines.push('  nothing to change: every object already says what the plan would write');
  for (const [context, steps] of byContext(plan.steps, (s) => s.context)) {
    lines.push('', `context ${context}`);
    for (const step of steps) {
      lines.push(`  ${changeText(step)}`);
      for (const e of step.evidence) lines.push(`      because ${e}`);
      lines.push(`      only if still uid ${step.uid}, resourceVersion ${step.resourceVersion}`);
      if (step.recheckPodAbsent) {
        const pod = step.recheckPodAbsent;
        lines.push(`      and only if Pod ${pod.namespace}/${pod.name} is still absent from ${pod.context} just before the delete`);
      }
    }
  }
  if (plan.manual.length > 0) {
    lines.push('', 'Not changed from here (Helm owns these values; run the commands yourself):');
    for (const m of plan.manual) lines.push(`  ${m.context}: ${m.why}`, `    ${m.command}`);
  }
  if (plan.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  return lines;
}

function resultLine(result: StepResult): string {
  const word = { applied: 'applied ', accepted: 'accepted', refused: 'REFUSED ', skipped: 'skipped ' }[result.outcome];
  return `  ${word}  ${result.step.context}  ${objectText(result.step)}${result.reason !== undefined ? `: ${result.reason}` : ''}`;
}

/** Permissions, dry run, apply, undo: what happened, step by step. */
export function runLines(
  run: ActionRun,
  options: { applyRequested: boolean; auditPath?: string; /** Said after an accepted dry run when not applying. */ notApplied?: string },
): string[] {
  const lines: string[] = [];
  if (run.plan.steps.length === 0) return lines;
  if (run.missing.length > 0) {
    lines.push('', 'Missing permissions (nothing was dry-run or changed):');
    for (const m of run.missing) lines.push(`  ${m.text}`);
    return withAudit(lines, options.auditPath);
  }
  lines.push('', 'Permissions: granted (SelfSubjectAccessReview)');
  lines.push('', 'Dry run on the servers (dryRun=All, nothing stored):');
  for (const r of run.dryRun) lines.push(resultLine(r));
  const dryRunOk = run.dryRun.every((r) => r.outcome === 'accepted');
  if (!dryRunOk) {
    lines.push('', 'The dry run refused a step: nothing was applied.');
    return withAudit(lines, options.auditPath);
  }
  if (!options.applyRequested) {
    lines.push('', options.notApplied ?? 'Nothing was changed. Run again with --yes to apply.');
    return withAudit(lines, options.auditPath);
  }
  lines.push('', 'Applied, in this order:');
  for (const r of run.applied) lines.push(resultLine(r));
  const notApplied = run.applied.filter((r) => r.outcome !== 'applied');
  if (notApplied.length > 0) lines.push('', `${notApplied.length} step(s) not applied; see the reasons above.`);
  if (run.undo.length > 0) {
    lines.push('', 'To undo what was applied:');
    for (const u of run.undo) lines.push(`  ${u}`);
  }
  return withAudit(lines, options.auditPath);
}

function withAudit(lines: string[], auditPath: string | undefined): string[] {
  if (auditPath !== undefined) lines.push('', `Audit log: ${auditPath}`);
  return lines;
}
