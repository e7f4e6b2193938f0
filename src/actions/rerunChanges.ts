// `r` in the console with guided actions on: re-run the checks (the findings feed refreshes every
// fetched fact and evaluates), then show what changed since the last run — findings that
// appeared, cleared or changed severity, and the object changes the watches saw in between — in
// the action overlay, until Esc. The first "last run" is the first evaluation made once no context
// is still connecting: before that every check says `unknown` about them, and a first `r` would
// list every check as cleared.
import type { StoreApi } from 'zustand/vanilla';
import type { Finding } from '../../checks/types.ts';
import type { MeshState } from '../store/types.ts';
import { CLOSED_FLOW, type ActionFlowState } from '../console/actionFlow.ts';
import type { FindingsState } from '../console/services.ts';
import { ChangeJournal, changesLines, changesSince } from './changesSince.ts';

export interface RerunChangesOptions {
  mesh: StoreApi<MeshState>;
  findings: StoreApi<FindingsState>;
  flow: StoreApi<ActionFlowState>;
  /** The findings feed's re-run (resolves once the new evaluation is in the findings store). */
  rerun: () => Promise<void>;
  now?: () => Date;
}

export interface RerunChanges {
  rerunChecks(): Promise<void>;
  stop(): void;
}

export function createRerunChanges(options: RerunChangesOptions): RerunChanges {
  const now = options.now ?? (() => new Date());
  const journal = new ChangeJournal(options.mesh, { now });
  journal.start();
  let last: { at: string; findings: readonly Finding[] } | undefined;
  const connecting = (): boolean => Object.values(options.mesh.getState().contexts).some((c) => c.status.phase === 'connecting');
  const baseline = (state: FindingsState): void => {
    if (last === undefined && state.evaluation !== undefined && !connecting())
      last = { at: state.evaluatedAt ?? now().toISOString(), findings: state.evaluation.findings };
  };
  baseline(options.findings.getState());
  const unsubscribe = options.findings.subscribe(baseline);
  let running = false;

  return {
    async rerunChecks() {
      if (running) return;
      running = true;
      try {
        options.flow.setState(
          { ...CLOSED_FLOW, phase: 'working', title: 're-run checks', lines: ['Fetching every fact again and re-running the checks…'] },
          true,
        );
        await options.rerun();
        const state = options.findings.getState();
        const after = state.evaluation?.findings ?? [];
        const report = changesSince(last?.findings ?? [], after, journal, last?.at);
        last = { at: state.evaluatedAt ?? now().toISOString(), findings: after };
        // Closed meanwhile (Esc): the user does not want it shown.
        if (options.flow.getState().phase !== 'working') return;
        options.flow.setState(
          { ...CLOSED_FLOW, phase: 'done', title: 're-run checks: what changed since the last run', lines: changesLines(report) },
          true,
        );
      } finally {
        running = false;
      }
    },
    stop() {
      unsubscribe();
      journal.stop();
    },
  };
}
