// The console's models are tested on what the product's own feeds make of a simulated scenario:
// simulator → kubeconfig → LiveMesh (one-shot reads, log history) → settled → the store's
// MeshState (logTail included, which a MeshSnapshot leaves out), plus the checks' Evaluation as
// the console's findings feed would hold it. One scenario's state serves every test of a file.
import { Evaluator, type Evaluation } from '../../checks/evaluate.ts';
import { CHECKS } from '../../checks/registry.ts';
import type { CheckOptions } from '../../checks/types.ts';
import { LiveMesh } from '../../src/feeds/liveMesh.ts';
import { settleOnce } from '../../src/feeds/settle.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import type { MeshState } from '../../src/store/types.ts';
import { startScenario } from '../helpers/simulator.ts';

export const OPTIONS: CheckOptions = { precheck: false, istioNamespace: 'istio-system' };

export interface ScenarioState {
  state: MeshState;
  evaluation: Evaluation;
}

const cache = new Map<string, Promise<ScenarioState>>();

async function read(name: string): Promise<ScenarioState> {
  const sim = await startScenario(name);
  try {
    const deadline = Date.now() + 60_000;
    const mesh = new LiveMesh({ kubeconfig: loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath }), snapshot: true, deadline });
    mesh.start();
    try {
      await settleOnce(mesh, deadline);
      const state = mesh.store.getState();
      return { state, evaluation: new Evaluator(CHECKS).evaluate(toSnapshot(state), OPTIONS) };
    } finally {
      await mesh.stop();
    }
  } finally {
    await sim.stop();
  }
}

/** The settled state of a built-in scenario (read once per test process). */
export function scenarioState(name: string): Promise<ScenarioState> {
  let hit = cache.get(name);
  if (hit === undefined) {
    hit = read(name);
    cache.set(name, hit);
  }
  return hit;
}
