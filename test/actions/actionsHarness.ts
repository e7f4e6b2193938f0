// A simulated scenario watched by a live LiveMesh (as the console runs it), with the action
// environment the console would hand an action: the feeds' own clients and an audit log in a
// temporary XDG_STATE_HOME. Tests plan from the store, run the action, and wait for the watches
// to bring the change back.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveMesh } from '../../src/feeds/liveMesh.ts';
import { settleOnce } from '../../src/feeds/settle.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { contextId, type MeshSnapshot, type MeshState } from '../../src/store/types.ts';
import { evaluateChecks } from '../../checks/registry.ts';
import type { Finding } from '../../checks/types.ts';
import { fileAuditLog, type AuditEntry } from '../../src/actions/auditLog.ts';
import type { ActionEnv } from '../../src/actions/runPlan.ts';
import type { ActionPlan, PlanRefusal } from '../../src/actions/types.ts';
import { startScenario, type StartOptions, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { createFindingsFeed } from '../../src/console/findingsFeed.ts';

export const ISTIO_NS = 'istio-system';

export interface LiveScenario {
  sim: TestSimulator;
  mesh: LiveMesh;
  env: ActionEnv;
  auditPath: string;
  snapshot(): MeshSnapshot;
  /** Waits (on store commits) until the check's findings about `context` satisfy `predicate`. */
  waitForFindings(check: string, context: string, predicate: (findings: Finding[]) => boolean, what: string): Promise<Finding[]>;
  auditEntries(): Promise<AuditEntry[]>;
  stop(): Promise<void>;
}

export function findingsOf(state: MeshState, check: string, context: string): Finding[] {
  return evaluateChecks(toSnapshot(state), { precheck: false, istioNamespace: ISTIO_NS }).findings.filter(
    (f) => f.check === check && f.contexts.includes(context),
  );
}

/**
 * `r` as the console wires it: a findings feed whose re-run restarts the log window and fetches
 * every fact again (LiveMesh.refreshForRerun), then evaluates. Returns that evaluation's findings.
 */
export async function rerunChecks(mesh: LiveMesh): Promise<readonly Finding[]> {
  const feed = createFindingsFeed({
    mesh: mesh.store,
    istioNamespace: ISTIO_NS,
    precheck: false,
    refreshFacts: () => mesh.refreshForRerun(),
  });
  feed.start();
  try {
    await feed.rerun();
    return feed.store.getState().evaluation?.findings ?? [];
  } finally {
    feed.stop();
  }
}

/** The plan, or the test fails here with the planner's reason for refusing. */
export function planOf(result: ActionPlan | PlanRefusal): ActionPlan {
  if ('refused' in result) throw new Error(`plan refused: ${result.refused}`);
  return result;
}

/** Findings that say something is wrong (anything but pass and info), one line each, for an assertion message. */
export function problems(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.severity !== 'pass' && f.severity !== 'info')
    .map((f) => `${f.severity} ${f.check} ${f.contexts.join(',')}: ${f.message}`);
}

export async function startLiveScenario(name: string, options: StartOptions = {}): Promise<LiveScenario> {
  const sim = await startScenario(name, options);
  const stateDir = await mkdtemp(join(tmpdir(), 'mesh-tui-actions-state-'));
  const auditPath = join(stateDir, 'mesh-tui', 'audit.log');
  const mesh = new LiveMesh({
    kubeconfig: loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath }),
    istioNamespace: ISTIO_NS,
    sourcePodsIntervalMs: 500,
  });
  mesh.start();
  await settleOnce(mesh, Date.now() + 30_000);
  const env: ActionEnv = { clientFor: (c) => mesh.feeds.client(contextId(c)), audit: fileAuditLog(auditPath) };
  return {
    sim,
    mesh,
    env,
    auditPath,
    snapshot: () => toSnapshot(mesh.store.getState()),
    async waitForFindings(check, context, predicate, what) {
      const state = await waitFor(mesh.store, (s) => predicate(findingsOf(s, check, context)), {
        what,
        timeoutMs: 45_000,
        describe: (s) =>
          findingsOf(s, check, context)
            .map((f) => `${f.severity}: ${f.message}`)
            .join(' | '),
      });
      return findingsOf(state, check, context);
    },
    async auditEntries() {
      const text = await readFile(auditPath, 'utf8');
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditEntry);
    },
    async stop() {
      await mesh.stop();
      await sim.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
