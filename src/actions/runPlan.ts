// Carrying a plan out, the same way from the command line and the console: ask the API whether
// the user may make every write (SelfSubjectAccessReview) before anything else; dry-run every step
// on the server (`dryRun=All`, with the preconditions) and apply nothing if any is refused; then
// apply in the plan's order, each write carrying the uid and resourceVersion seen at plan time.
//
// On apply, a relabel stops at the first refusal (its objects must agree; what is applied so far
// is reported with its undo commands), while WorkloadEntry deletes are independent and go on past
// a refused one. A stale entry is re-checked against its source cluster right before its delete.
import type { ContextClient } from '../kube/contextClient.ts';
import { canI, deleteWithPreconditions, getObject, groupOf, patchLabel, pluralOfKind, type WriteResult } from '../kube/objectWrites.ts';
import type { AuditLog, AuditPhase } from './auditLog.ts';
import type { ActionPlan, ActionRun, MissingPermission, Permission, PlanStep, StepOutcome, StepResult } from './types.ts';

export interface ActionEnv {
  /** The client of a loaded context; undefined when that context is not loaded. */
  clientFor(context: string): ContextClient | undefined;
  audit: AuditLog;
}

/** `gateways.gateway.networking.k8s.io`, `namespaces`: a resource as kubectl and RBAC messages name it. */
export function resourceOf(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group === '' ? pluralOfKind(kind) : `${pluralOfKind(kind)}.${group}`;
}

function objectText(step: PlanStep): string {
  return `${step.kind} ${step.namespace !== undefined ? `${step.namespace}/` : ''}${step.name}`;
}

export function permissionsOf(plan: ActionPlan): Permission[] {
  const wanted = new Map<string, Permission>();
  const add = (p: Permission): void => {
    wanted.set(`${p.context}|${p.verb}|${p.group}|${p.resource}|${p.namespace ?? ''}`, p);
  };
  for (const step of plan.steps) {
    add({
      context: step.context,
      verb: step.change.op === 'delete' ? 'delete' : 'patch',
      group: groupOf(step.apiVersion),
      resource: pluralOfKind(step.kind),
      ...(step.namespace !== undefined ? { namespace: step.namespace } : {}),
    });
    if (step.recheckPodAbsent) {
      add({ context: step.recheckPodAbsent.context, verb: 'get', group: '', resource: 'pods', namespace: step.recheckPodAbsent.namespace });
    }
  }
  return [...wanted.values()];
}

export function permissionText(p: Permission): string {
  const resource = p.group === '' ? p.resource : `${p.resource}.${p.group}`;
  return `${p.context}: cannot ${p.verb} ${resource}${p.namespace !== undefined ? ` in ${p.namespace}` : ''}`;
}

/** The permissions the user lacks (or that could not be asked about); empty when all are granted. */
export async function missingPermissions(plan: ActionPlan, env: ActionEnv): Promise<MissingPermission[]> {
  const answers = await Promise.all(
    permissionsOf(plan).map(async (permission): Promise<MissingPermission | undefined> => {
      const client = env.clientFor(permission.context);
      if (!client)
        return {
          permission,
          text: `${permission.context}: not loaded, cannot ask whether you may ${permission.verb} ${permission.resource}`,
          unknown: true,
        };
      const answer = await canI(client, {
        verb: permission.verb,
        group: permission.group,
        resource: permission.resource,
        ...(permission.namespace !== undefined ? { namespace: permission.namespace } : {}),
      });
      if (answer.state === 'allowed') return undefined;
      if (answer.state === 'denied') return { permission, text: permissionText(permission) };
      return {
        permission,
        text: `${permissionText(permission).replace(': cannot ', ': could not confirm you may ')} (${answer.reason})`,
        unknown: true,
      };
    }),
  );
  return answers.filter((a): a is MissingPermission => a !== undefined);
}

function write(step: PlanStep, client: ContextClient, dryRun: boolean): Promise<WriteResult> {
  const ref = {
    apiVersion: step.apiVersion,
    kind: step.kind,
    ...(step.namespace !== undefined ? { namespace: step.namespace } : {}),
    name: step.name,
  };
  const preconditions = { uid: step.uid, resourceVersion: step.resourceVersion };
  if (step.change.op === 'delete') return deleteWithPreconditions(client, ref, preconditions, { dryRun });
  return patchLabel(client, ref, { key: step.change.key, value: step.change.to }, preconditions, { dryRun });
}

/** A refusal in words: a conflict means the object changed since the plan was made. */
function refusalText(step: PlanStep, result: Extract<WriteResult, { ok: false }>): string {
  switch (result.refusal) {
    case 'conflict':
      return `${objectText(step)} changed since the plan was made (it is no longer resourceVersion ${step.resourceVersion}): ${result.message}`;
    case 'notFound':
      return `${objectText(step)} no longer exists: ${result.message}`;
    case 'invalid':
      return /uid/i.test(result.message)
        ? `${objectText(step)} is not the object the plan was made for (another uid): ${result.message}`
        : `the server refused the change as invalid: ${result.message}`;
    case 'forbidden':
      return `forbidden: ${result.message}`;
    case 'unreachable':
      return `no answer from ${step.context}: ${result.message}`;
    default:
      return `HTTP ${result.status} ${result.reason}: ${result.message}`;
  }
}

async function record(env: ActionEnv, plan: ActionPlan, phase: AuditPhase, result: StepResult): Promise<void> {
  const { step } = result;
  await env.audit.append({
    action: plan.action,
    context: step.context,
    object: {
      apiVersion: step.apiVersion,
      kind: step.kind,
      ...(step.namespace !== undefined ? { namespace: step.namespace } : {}),
      name: step.name,
      uid: step.uid,
    },
    change: step.change,
    phase,
    result: result.outcome,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.status !== undefined ? { status: result.status } : {}),
  });
}

async function attempt(step: PlanStep, env: ActionEnv, dryRun: boolean): Promise<StepResult> {
  const client = env.clientFor(step.context);
  if (!client) return { step, outcome: 'refused', reason: `context ${step.context} is not loaded`, status: 0 };
  const result = await write(step, client, dryRun);
  if (result.ok) return { step, outcome: dryRun ? 'accepted' : 'applied', status: result.status };
  return { step, outcome: 'refused', reason: refusalText(step, result), status: result.status };
}

/** Every step, dry-run on the server; nothing is stored whatever the answers. */
export async function dryRunPlan(plan: ActionPlan, env: ActionEnv): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    const result = await attempt(step, env, true);
    await record(env, plan, 'dry-run', result);
    results.push(result);
  }
  return results;
}

/** The source pod of a stale entry, looked up once more: refuses the delete unless it is still gone. */
async function recheck(step: PlanStep, env: ActionEnv): Promise<StepResult | undefined> {
  const pod = step.recheckPodAbsent;
  if (pod === undefined) return undefined;
  const client = env.clientFor(pod.context);
  const podText = `Pod ${pod.namespace}/${pod.name} in ${pod.context}`;
  if (!client) return { step, outcome: 'refused', reason: `cannot re-check ${podText}: context not loaded` };
  const found = await getObject(client, { apiVersion: 'v1', kind: 'Pod', namespace: pod.namespace, name: pod.name });
  if (found.ok) return { step, outcome: 'refused', reason: `${podText} exists now: the entry is not stale any more`, status: found.status };
  if (found.refusal === 'notFound') return undefined;
  return { step, outcome: 'refused', reason: `cannot confirm ${podText} is gone: ${found.message}`, status: found.status };
}

export async function applyPlan(plan: ActionPlan, env: ActionEnv): Promise<StepResult[]> {
  const stopOnRefusal = plan.action === 'relabel-network';
  const results: StepResult[] = [];
  let stopped: string | undefined;
  for (const step of plan.steps) {
    if (stopped !== undefined) {
      const skipped: StepResult = { step, outcome: 'skipped', reason: `not attempted: ${stopped}` };
      await record(env, plan, 'apply', skipped);
      results.push(skipped);
      continue;
    }
    const refusedByRecheck = await recheck(step, env);
    if (refusedByRecheck) {
      await record(env, plan, 'recheck', refusedByRecheck);
      results.push(refusedByRecheck);
      continue;
    }
    const result = await attempt(step, env, false);
    await record(env, plan, 'apply', result);
    results.push(result);
    if (result.outcome === 'refused' && stopOnRefusal) stopped = `an earlier step was refused (${objectText(step)} in ${step.context})`;
  }
  return results;
}

function kubectlResource(step: PlanStep): string {
  return step.kind === 'Namespace' ? 'namespace' : resourceOf(step.apiVersion, step.kind);
}

/** What undoes an applied step, as a command to paste (or why there is none). */
export function undoOf(step: PlanStep): string {
  if (step.change.op === 'delete') {
    return (
      `# ${objectText(step)} in ${step.context}: no undo. istiod regenerates the entries of pods that still exist; ` +
      `this one's pod was gone, so nothing should bring it back`
    );
  }
  const ns = step.namespace !== undefined && step.kind !== 'Namespace' ? ` -n ${step.namespace}` : '';
  const label = step.change.from === undefined ? `${step.change.key}-` : `${step.change.key}=${step.change.from} --overwrite`;
  return `kubectl --context ${step.context}${ns} label ${kubectlResource(step)} ${step.name} ${label}`;
}

export function undoCommands(applied: readonly StepResult[]): string[] {
  return applied.filter((r) => r.outcome === 'applied').map((r) => undoOf(r.step));
}

/**
 * The whole flow: permissions, dry run, and — only with `apply` and only when every step was
 * accepted — the writes. Each stage that refuses ends the run with what it found.
 */
export async function runAction(plan: ActionPlan, env: ActionEnv, options: { apply: boolean }): Promise<ActionRun> {
  const run: ActionRun = { plan, missing: [], dryRun: [], applied: [], undo: [] };
  if (plan.steps.length === 0) return run;
  run.missing = await missingPermissions(plan, env);
  if (run.missing.length > 0) {
    for (const step of plan.steps) {
      const lacking = run.missing.filter(
        (m) => m.permission.context === step.context || m.permission.context === step.recheckPodAbsent?.context,
      );
      if (lacking.length === 0) continue;
      await record(env, plan, 'permission', { step, outcome: 'refused', reason: lacking.map((m) => m.text).join('; ') });
    }
    return run;
  }
  run.dryRun = await dryRunPlan(plan, env);
  if (!options.apply || !dryRunPassed(run)) return run;
  run.applied = await applyPlan(plan, env);
  run.undo = undoCommands(run.applied);
  return run;
}

export function dryRunPassed(run: ActionRun): boolean {
  return run.missing.length === 0 && run.dryRun.length === run.plan.steps.length && run.dryRun.every((r) => r.outcome === 'accepted');
}

/** Counts of outcomes, for summaries. */
export function outcomes(results: readonly StepResult[]): Record<StepOutcome, number> {
  const counts: Record<StepOutcome, number> = { applied: 0, accepted: 0, refused: 0, skipped: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}
