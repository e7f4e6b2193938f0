// What a guided action is made of, shared by the command line (`mesh-tui act`) and the console:
// a plan of steps against objects as they were seen, the manual steps we do not take ourselves,
// and what each step answered when dry-run and applied. Plain data: printable, testable, and the
// console renders it without knowing how it was made.
import type { ActionId } from '../../checks/types.ts';

export type { ActionId };

export type StepChange =
  /** `from` absent: the label is not set now. */
  { op: 'setLabel'; key: string; from?: string; to: string } | { op: 'delete' };

/** One write to one object, with the identity seen at plan time: the write's preconditions. */
export interface PlanStep {
  context: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  resourceVersion: string;
  change: StepChange;
  /** Why this step is in the plan, as a user reads it (`Pod bookinfo/x in cluster-west: NotFound`). */
  evidence: string[];
  /**
   * Delete steps of stale WorkloadEntries: the pod to look up again, in its source cluster, right
   * before deleting; the step is refused if the pod exists now.
   */
  recheckPodAbsent?: { context: string; namespace: string; name: string };
}

/** What the plan does not do itself: a Helm-owned value, shown as the exact command to run. */
export interface ManualStep {
  context: string;
  why: string;
  command: string;
}

/** An RBAC permission a step needs, as SelfSubjectAccessReview is asked it. */
export interface Permission {
  context: string;
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

export interface ActionPlan {
  action: ActionId;
  /** One line: `relabel cluster-west to network west-net`. */
  title: string;
  /** In the order they are applied. */
  steps: PlanStep[];
  manual: ManualStep[];
  /** Things the plan noticed but does not change (already right, not loaded, …). */
  notes: string[];
}

/** A plan cannot be made: the reason, said to the user as it is. */
export interface PlanRefusal {
  refused: string;
}

export type StepOutcome =
  | 'applied'
  /** The dry run accepted it. */
  | 'accepted'
  /** The server (or our re-check) refused it; nothing was changed by this step. */
  | 'refused'
  /** Not attempted: an earlier failure stopped the plan. */
  | 'skipped';

export interface StepResult {
  step: PlanStep;
  outcome: StepOutcome;
  /** Why refused or skipped; for applied steps, anything worth saying. */
  reason?: string;
  /** HTTP status of the write, 0 when not sent. */
  status?: number;
}

export interface MissingPermission {
  permission: Permission;
  /** `cluster-west: cannot patch gateways.gateway.networking.k8s.io in istio-eastwest` */
  text: string;
  /** The server could not say (SSAR failed): reported, not treated as allowed. */
  unknown?: boolean;
}

export interface ActionRun {
  plan: ActionPlan;
  /** Permissions the user lacks; when any, nothing was dry-run or applied. */
  missing: MissingPermission[];
  dryRun: StepResult[];
  /** Empty when not applied (no confirmation, or the dry run failed). */
  applied: StepResult[];
  /** Commands that undo the applied steps (or why none is needed). */
  undo: string[];
}
