// The guided actions as the console offers them (ConsoleActions, src/console/actionFlow.ts): `x`
// on a finding plans its action from the finding's remediation targets and the store, asks for
// the permissions, dry-runs, and shows the per-context diff; `y` runs the whole flow again right
// before writing (permissions, dry run, then the writes with their preconditions), so a confirm
// screen left open for ten minutes cannot apply a stale plan. Nothing here touches the store:
// the watches bring the change back and the finding turns green by itself.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Finding, RemediationTarget } from '../../checks/types.ts';
import type { MeshState } from '../store/types.ts';
import { contextId } from '../store/types.ts';
import { toSnapshot } from '../store/snapshot.ts';
import { GATEWAYS } from '../store/resourceIds.ts';
import { objectKey } from '../store/objectKey.ts';
import { gatewayClassOf, peerContextOf } from '../mesh/peering.ts';
import { findingsByKey } from '../console/findingKey.ts';
import { CLOSED_FLOW, type ActionFlowState, type ConsoleActions } from '../console/actionFlow.ts';
import type { FindingsState } from '../console/services.ts';
import { planRelabelNetwork } from './planRelabel.ts';
import { planDeleteStaleWorkloadEntries } from './planDeleteStale.ts';
import { dryRunPassed, runAction, type ActionEnv } from './runPlan.ts';
import { planLines, runLines } from './planText.ts';
import type { ActionPlan, PlanRefusal } from './types.ts';
import { createRerunChanges } from './rerunChanges.ts';

export interface ConsoleActionsOptions {
  mesh: StoreApi<MeshState>;
  findings: StoreApi<FindingsState>;
  istioNamespace: string;
  env: ActionEnv;
  /** The findings feed's re-run; given, `r` also shows what changed since the last run. */
  rerun?: () => Promise<void>;
}

/** What the flow will plan, decided from the finding when `x` is pressed. */
type Request =
  | { action: 'relabel-network'; context: string; network: string | undefined }
  | { action: 'delete-stale-workloadentries'; context: string; name: string; all: boolean };

const NOT_APPLIED = 'Nothing was changed yet. Press y to apply (the permissions and the dry run are checked again first).';

/**
 * The cluster a relabel target belongs to: the target's own context, except for a remote peer
 * Gateway, which carries the network of the cluster it points at.
 */
function relabelCluster(state: MeshState, target: RemediationTarget): string {
  if (target.kind !== 'Gateway') return target.context;
  const snapshot = toSnapshot(state);
  const gateway =
    snapshot.contexts[contextId(target.context)]?.resources[GATEWAYS]?.objects[objectKey('Gateway', target.namespace, target.name)];
  if (gateway === undefined || gatewayClassOf(gateway) !== 'istio-remote') return target.context;
  return peerContextOf(snapshot, contextId(target.context), gateway) ?? target.context;
}

function requestOf(state: MeshState, finding: Finding): Request | string {
  const remediation = finding.remediation;
  const target = remediation?.targets?.[0];
  if (remediation?.actionId === undefined || target === undefined) return `no guided action for ${finding.check} (${finding.message})`;
  if (remediation.actionId === 'relabel-network') {
    if (target.change.op !== 'setLabel') return `${finding.check}: the relabel target is not a label`;
    return { action: 'relabel-network', context: relabelCluster(state, target), network: target.change.value };
  }
  if (remediation.actionId === 'delete-stale-workloadentries') {
    return { action: 'delete-stale-workloadentries', context: target.context, name: target.name, all: false };
  }
  return `${remediation.actionId} is not offered with x (press r to re-run the checks)`;
}

export function createConsoleActions(options: ConsoleActionsOptions): ConsoleActions {
  const flow = createStore<ActionFlowState>()(() => CLOSED_FLOW);
  let request: Request | undefined;
  let plan: ActionPlan | undefined;
  // Each start/close bumps it: an answer that arrives after the user moved on is dropped.
  let generation = 0;

  const set = (state: ActionFlowState): void => flow.setState(state, true);
  const blocked = (title: string, lines: string[]): void => set({ ...CLOSED_FLOW, phase: 'blocked', title, lines, ...toggleOf() });
  const toggleOf = (): Pick<ActionFlowState, 'canToggleAll' | 'all'> =>
    request?.action === 'delete-stale-workloadentries' ? { canToggleAll: true, all: request.all } : {};

  const makePlan = (r: Request): ActionPlan | PlanRefusal => {
    const snapshot = toSnapshot(options.mesh.getState());
    if (r.action === 'relabel-network') {
      return planRelabelNetwork(snapshot, { context: r.context, network: r.network ?? '', istioNamespace: options.istioNamespace });
    }
    return planDeleteStaleWorkloadEntries(snapshot, { context: r.context, ...(r.all ? {} : { names: [r.name] }) });
  };

  const prepare = async (r: Request): Promise<void> => {
    const mine = ++generation;
    const planned = makePlan(r);
    if ('refused' in planned) {
      plan = undefined;
      blocked(r.action, [`No plan: ${planned.refused}`]);
      return;
    }
    plan = planned;
    set({
      ...CLOSED_FLOW,
      phase: 'working',
      title: planned.title,
      lines: [...planLines(planned), '', 'Checking permissions and dry-running…'],
      ...toggleOf(),
    });
    if (planned.steps.length === 0) {
      blocked(planned.title, planLines(planned));
      return;
    }
    try {
      const run = await runAction(planned, options.env, { apply: false });
      if (mine !== generation) return;
      const lines = [
        ...planLines(planned),
        ...runLines(run, { applyRequested: false, auditPath: options.env.audit.path, notApplied: NOT_APPLIED }),
      ];
      if (dryRunPassed(run)) set({ ...CLOSED_FLOW, phase: 'confirm', title: planned.title, lines, ...toggleOf() });
      else blocked(planned.title, lines);
    } catch (error) {
      if (mine === generation)
        blocked(planned.title, [...planLines(planned), '', `Failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
  };

  const rerun = options.rerun;
  const changes = rerun ? createRerunChanges({ mesh: options.mesh, findings: options.findings, flow, rerun }) : undefined;

  return {
    flow,
    ...(changes !== undefined
      ? {
          rerunChecks: () => {
            generation += 1;
            request = undefined;
            plan = undefined;
            void changes.rerunChecks();
          },
          stop: () => changes.stop(),
        }
      : {}),
    start(key) {
      const evaluation = options.findings.getState().evaluation;
      const finding = evaluation ? findingsByKey(evaluation.findings).get(key) : undefined;
      if (finding === undefined) {
        request = undefined;
        blocked('guided action', ['That finding is no longer reported.']);
        return;
      }
      const r = requestOf(options.mesh.getState(), finding);
      if (typeof r === 'string') {
        request = undefined;
        blocked('guided action', [r]);
        return;
      }
      request = r;
      if (r.action === 'relabel-network' && r.network === undefined) {
        generation += 1;
        set({
          ...CLOSED_FLOW,
          phase: 'input',
          title: `relabel ${r.context}`,
          lines: [finding.message, '', `The finding leaves the new name to you: each cluster needs its own network name.`],
          prompt: `network name for ${r.context}: `,
          buffer: '',
        });
        return;
      }
      void prepare(r);
    },
    submitInput(text) {
      if (request?.action !== 'relabel-network') return;
      const network = text.trim();
      if (network === '') return;
      request = { ...request, network };
      void prepare(request);
    },
    confirm() {
      const current = plan;
      if (flow.getState().phase !== 'confirm' || current === undefined) return;
      const mine = ++generation;
      set({ ...flow.getState(), phase: 'working', lines: [...planLines(current), '', 'Applying…'] });
      void runAction(current, options.env, { apply: true }).then(
        (run) => {
          if (mine !== generation) return;
          const lines = [
            ...planLines(current),
            ...runLines(run, { applyRequested: true, auditPath: options.env.audit.path, notApplied: NOT_APPLIED }),
          ];
          plan = undefined;
          set({ ...CLOSED_FLOW, phase: 'done', title: current.title, lines });
        },
        (error: unknown) => {
          if (mine === generation)
            blocked(current.title, [...planLines(current), '', `Failed: ${error instanceof Error ? error.message : String(error)}`]);
        },
      );
    },
    toggleAll() {
      if (request?.action !== 'delete-stale-workloadentries') return;
      request = { ...request, all: !request.all };
      void prepare(request);
    },
    close() {
      generation += 1;
      request = undefined;
      plan = undefined;
      set(CLOSED_FLOW);
    },
  };
}
