// ConsoleServices for screen tests: a real mesh store filled by hand (relists, statuses), a
// findings store the test sets, a ui store, and quit/re-run recorded instead of done. The clock
// stands still (tickMs 0), so ages never move under an assertion.
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Evaluation } from '../../checks/evaluate.ts';
import { parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import type { ConsoleOptions, ConsoleServices, FindingsState } from '../../src/console/services.ts';
import { createUiStore } from '../../src/console/uiStore.ts';
import type { UiState } from '../../src/console/uiStore.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import type { MeshStore } from '../../src/store/meshStore.ts';
import { EASTWEST_PODS, ISTIO_CNI_PODS, ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import { contextId } from '../../src/store/types.ts';
import type { KubeObjectJson } from '../../src/store/types.ts';
import { objectMeta } from '../store/fixtures.ts';
import { HBONE_TIMEOUT_LINE } from '../store/sliceFixtures.ts';

export const NOW_MS = Date.parse('2026-01-10T12:00:00.000Z');

export interface TestConsole {
  services: ConsoleServices;
  mesh: MeshStore;
  findings: StoreApi<FindingsState>;
  ui: StoreApi<UiState>;
  calls: { quit: number; rerun: number };
  /** Put the evaluation in the findings store, as the findings feed does. */
  setEvaluation(evaluation: Evaluation): void;
  dispose(): void;
}

export interface TestConsoleOptions {
  contexts?: readonly string[];
  readOnly?: boolean;
  ui?: Partial<UiState>;
  options?: Partial<ConsoleOptions>;
}

export function testConsole(options: TestConsoleOptions = {}): TestConsole {
  const contexts = (options.contexts ?? ['east', 'west']).map(contextId);
  const mesh = createMeshStore({ contexts, now: () => new Date(NOW_MS), intervalMs: 10 });
  for (const context of contexts) mesh.actions.setContextStatus(context, 'ready');
  mesh.flush();
  const findings = createStore<FindingsState>()(() => ({ evaluation: undefined, evaluatedAt: undefined, rerunning: false }));
  const ui = createUiStore(options.ui);
  const calls = { quit: 0, rerun: 0 };
  const services: ConsoleServices = {
    mesh: mesh.api,
    findings,
    ui,
    options: {
      readOnly: options.readOnly ?? false,
      istioNamespace: 'istio-system',
      precheck: false,
      invalidContexts: [],
      source: 'test',
      ...options.options,
    },
    rerunChecks: () => {
      calls.rerun += 1;
    },
    quit: () => {
      calls.quit += 1;
    },
    clock: { nowMs: () => NOW_MS, tickMs: 0 },
  };
  return {
    services,
    mesh,
    findings,
    ui,
    calls,
    setEvaluation: (evaluation) => findings.setState({ evaluation, evaluatedAt: new Date(NOW_MS).toISOString(), rerunning: false }),
    dispose: () => mesh.dispose(),
  };
}

/** A running, ready pod as the API serves it. */
export function meshPod(
  name: string,
  namespace = 'istio-system',
  extra: { node?: string; restarts?: number; ready?: boolean } = {},
): KubeObjectJson {
  const ready = extra.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...objectMeta(name, namespace),
      creationTimestamp: new Date(NOW_MS - 3_600_000).toISOString(),
    },
    spec: { nodeName: extra.node ?? 'node-1', containers: [{ name: 'main', image: 'istio:1' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'main', ready, restartCount: extra.restarts ?? 0, state: { running: {} } }],
    },
  };
}

/** The pods the pods pane shows for one context: every pod watch listed (so none reads `not listed yet`). */
export function setMeshPods(console: TestConsole, context: string, pods: readonly KubeObjectJson[]): void {
  const ctx = contextId(context);
  console.mesh.actions.relist(ctx, ISTIOD_ZTUNNEL_PODS, pods);
  console.mesh.actions.relist(ctx, EASTWEST_PODS, []);
  console.mesh.actions.relist(ctx, ISTIO_CNI_PODS, []);
  console.mesh.flush();
}

/** `n` ztunnel `HBONE 15008 timeout` lines from `pod` (`namespace/name`), one second apart from `fromSecond`. */
export function addHboneTimeouts(console: TestConsole, context: string, n: number, fromSecond = 0, pod = 'istio-system/ztunnel-a'): void {
  const records = Array.from({ length: n }, (_, i) => {
    const at = new Date(NOW_MS - 600_000 + (fromSecond + i) * 1000).toISOString();
    return parseZtunnelLine(HBONE_TIMEOUT_LINE.replace('2024-07-26T17:18:00.953004Z', at));
  });
  console.mesh.actions.addLogRecords(contextId(context), records, pod);
  console.mesh.flush();
}
