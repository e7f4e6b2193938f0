// The header's context badges: every kubeconfig context with its status in words, its cluster
// (istiod's CLUSTER_ID) and network (the istio namespace's topology.istio.io/network label), how
// many checks fail there, which other contexts reach the same cluster, and the kubeconfig entries
// that could not be loaded (`invalid: …`). Status wording is the store's (describeStatus), the
// same as `mesh-tui status` and the `--once` report.
import type { ContextBadge, Tone } from './types.ts';
import type { InvalidContext } from './services.ts';
import type { Evaluation } from '../../checks/evaluate.ts';
import type { ContextPhase, ContextId, MeshState } from '../store/types.ts';
import { DEFAULT_ISTIO_NAMESPACE, NAMESPACES } from '../store/resourceIds.ts';
import { objectKey } from '../store/objectKey.ts';
import { describeStatus, selectContextIds, selectContextStatus } from '../store/selectors.ts';
import { sameClusterAs } from '../store/snapshotReads.ts';
import { NETWORK_LABEL } from '../mesh/peering.ts';
import { memoByInputs } from './rows/memoInputs.ts';
import { snapshotOf } from './rows/stateSnapshot.ts';

const PHASE_TONE: Readonly<Record<ContextPhase, Tone>> = {
  ready: 'ok',
  degraded: 'warn',
  connecting: 'muted',
  unreachable: 'bad',
  authFailed: 'bad',
};

function networkOf(state: MeshState, context: ContextId, istioNamespace: string): string | undefined {
  const ns = state.contexts[context]?.resources[NAMESPACES]?.objects[objectKey('Namespace', undefined, istioNamespace)];
  return ns?.metadata.labels?.[NETWORK_LABEL];
}

/** Checks with a failing finding in this context (one per check, however many objects fail). */
function failingChecks(evaluation: Evaluation | undefined, context: string): number {
  const findings = evaluation?.byContext.get(context) ?? [];
  return new Set(findings.filter((f) => f.severity === 'fail').map((f) => f.check)).size;
}

const build = memoByInputs((badges: readonly ContextBadge[]): readonly ContextBadge[] => badges);

function badgeInputs(badge: ContextBadge): unknown[] {
  return [badge.context, badge.status, badge.tone, badge.clusterId, badge.network, badge.failing, badge.sameClusterAs.join(',')];
}

/**
 * One badge per context, sorted by name, invalid entries included. The same array while every
 * badge reads the same, so the header redraws only when a status, count or grouping changed.
 */
export function selectBadges(
  state: MeshState,
  evaluation: Evaluation | undefined,
  invalidContexts: readonly InvalidContext[],
  istioNamespace: string = DEFAULT_ISTIO_NAMESPACE,
): readonly ContextBadge[] {
  const invalid = new Map(invalidContexts.map((c) => [c.context, c.reason]));
  const snapshot = snapshotOf(state);
  const badges: ContextBadge[] = [];
  for (const context of selectContextIds(state)) {
    const reason = invalid.get(context);
    if (reason !== undefined) {
      badges.push({ context, status: `invalid: ${reason}`, tone: 'bad', failing: 0, sameClusterAs: [] });
      continue;
    }
    const status = selectContextStatus(state, context);
    const clusterId = state.contexts[context]?.clusterId;
    const network = networkOf(state, context, istioNamespace);
    badges.push({
      context,
      status: status ? describeStatus(status) : 'unknown',
      tone: status ? PHASE_TONE[status.phase] : 'muted',
      ...(clusterId !== undefined && { clusterId }),
      ...(network !== undefined && { network }),
      failing: failingChecks(evaluation, context),
      sameClusterAs: sameClusterAs(snapshot, context),
    });
  }
  for (const [context, reason] of invalid) {
    if (context in state.contexts) continue;
    badges.push({ context, status: `invalid: ${reason}`, tone: 'bad', failing: 0, sameClusterAs: [] });
  }
  badges.sort((a, b) => a.context.localeCompare(b.context));
  return build(badges.flatMap(badgeInputs), badges);
}
