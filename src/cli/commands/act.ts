// `mesh-tui act <action> …`: the console's guided fixes for runbooks. Reads every context once
// (the feeds `--once` uses), plans from what they hold, asks the API whether the user may make
// each write, dry-runs every step on the servers, prints the plan per context and the dry-run
// answers — and only with `--yes` applies, printing each step's result and the undo commands.
// Every dry-run, applied or refused step goes to the audit log (src/actions/auditLog.ts).
//
// Exit codes (docs/actions.md): 0 applied, dry run accepted (without --yes), or nothing to do;
// 1 a step was refused (dry run or apply) or no plan could be made; 2 usage; 4 a permission is
// missing (nothing was changed). `--read-only` is refused as a usage error: `act` exists to write.
import type { ActionPlan, ActionRun, PlanRefusal } from '../../actions/types.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';
import { oneShotDeadline, stopWithinGrace } from '../deadline.ts';
import { selectKubeconfig, seconds, str, type OptionValues } from '../kubeconfigSelection.ts';

export const ACT_ACTIONS = ['relabel-network', 'delete-stale-workloadentries'] as const;
type ActAction = (typeof ACT_ACTIONS)[number];

const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

function actionOf(positionals: string[]): ActAction {
  const name = positionals[0];
  if (name === undefined) throw new UsageError(`act: name the action (${ACT_ACTIONS.join(', ')})`);
  const action = ACT_ACTIONS.find((a) => a === name);
  if (action === undefined) throw new UsageError(`act: unknown action "${name}" (actions: ${ACT_ACTIONS.join(', ')})`);
  return action;
}

/** `--name` is repeatable: parseArgs hands it over as a list, which OptionValues does not describe. */
function names(values: OptionValues): string[] {
  const v: unknown = values['name'];
  if (Array.isArray(v)) return v.filter((n): n is string => typeof n === 'string');
  return typeof v === 'string' ? [v] : [];
}

export async function runAct(values: OptionValues, positionals: string[]): Promise<ExitCode> {
  const action = actionOf(positionals);
  if (values['read-only'] === true) throw new UsageError('act: --read-only forbids every change, and act exists to make one; leave it out');
  if (values['dry-run'] === true && values.yes === true) throw new UsageError('act: give --dry-run or --yes, not both');
  const target = str(values.context);
  if (target === undefined) throw new UsageError(`act ${action}: --context NAME is required (the cluster to fix)`);
  const network = str(values.network);
  if (action === 'relabel-network' && network === undefined) throw new UsageError('act relabel-network: --network NAME is required');
  if (action !== 'relabel-network' && network !== undefined)
    throw new UsageError(`act ${action}: --network applies to relabel-network only`);
  const picked = names(values);
  if (action !== 'delete-stale-workloadentries' && picked.length > 0)
    throw new UsageError(`act ${action}: --name applies to delete-stale-workloadentries only`);
  const apply = values.yes === true;
  const istioNamespace = str(values['istio-namespace']) ?? DEFAULT_ISTIO_NAMESPACE;
  const timeoutSeconds = seconds(values, 'timeout', 30);

  // Every context is read, not only --context: a relabel also changes the peers' remote Gateways,
  // and a stale entry's pod is looked up in its source cluster. --contexts narrows that set.
  const kubeconfig = selectKubeconfig({ ...values, context: undefined });
  if (!kubeconfig.contexts.some((c) => c.name === target)) {
    const invalid = kubeconfig.invalidContexts.find((e) => e.context === target);
    throw new UsageError(
      invalid !== undefined
        ? `context ${target} cannot be used: ${invalid.message}`
        : `context ${target} is not among the selected contexts`,
    );
  }

  const [
    { LiveMesh },
    { settleOnce },
    { toSnapshot },
    { planRelabelNetwork },
    { planDeleteStaleWorkloadEntries },
    run,
    text,
    audit,
    { contextId },
  ] = await Promise.all([
    import('../../feeds/liveMesh.ts'),
    import('../../feeds/settle.ts'),
    import('../../store/snapshot.ts'),
    import('../../actions/planRelabel.ts'),
    import('../../actions/planDeleteStale.ts'),
    import('../../actions/runPlan.ts'),
    import('../../actions/planText.ts'),
    import('../../actions/auditLog.ts'),
    import('../../store/types.ts'),
  ]);

  const { settleBy: deadline, pluginsBy } = oneShotDeadline(timeoutSeconds);
  const mesh = new LiveMesh({ kubeconfig, istioNamespace, snapshot: true, deadline, client: { execDeadline: pluginsBy } });
  mesh.start();
  try {
    await settleOnce(mesh, deadline);
    const snapshot = toSnapshot(mesh.store.getState());
    const planned: ActionPlan | PlanRefusal =
      action === 'relabel-network'
        ? planRelabelNetwork(snapshot, { context: target, network: network ?? '', istioNamespace })
        : planDeleteStaleWorkloadEntries(snapshot, { context: target, names: picked });
    if ('refused' in planned) {
      process.stderr.write(`mesh-tui: act ${action}: no plan: ${planned.refused}\n`);
      return EXIT.failed;
    }
    const auditLog = audit.fileAuditLog();
    const result: ActionRun = await run.runAction(
      planned,
      { clientFor: (c) => mesh.feeds.client(contextId(c)), audit: auditLog },
      { apply },
    );
    const lines = [
      ...text.planLines(planned),
      ...text.runLines(result, { applyRequested: apply, ...(planned.steps.length > 0 ? { auditPath: auditLog.path } : {}) }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return exitCodeOf(result, apply);
  } finally {
    await stopWithinGrace(mesh.stop());
  }
}

function exitCodeOf(result: ActionRun, apply: boolean): ExitCode {
  if (result.plan.steps.length === 0) return EXIT.ok;
  if (result.missing.length > 0) return EXIT.forbidden;
  if (result.dryRun.some((r) => r.outcome !== 'accepted')) return EXIT.failed;
  if (!apply) return EXIT.ok;
  return result.applied.every((r) => r.outcome === 'applied') ? EXIT.ok : EXIT.failed;
}
