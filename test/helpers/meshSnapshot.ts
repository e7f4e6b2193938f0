// The snapshot the console would take of a simulated scenario: simulator → real kubeconfig →
// LiveMesh (watches, logs, istiod facts) → settled → MeshSnapshot. Checks are tested on this,
// so what they see is what the product's own feeds produce, not a hand-made fixture.
import { LiveMesh } from '../../src/feeds/liveMesh.ts';
import { settleOnce } from '../../src/feeds/settle.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { startScenario, type TestSimulator, type StartOptions } from './simulator.ts';

export interface ScenarioSnapshot {
  snapshot: MeshSnapshot;
  sim: TestSimulator;
  mesh: LiveMesh;
  /** Take a fresh snapshot after changing the simulated clusters. */
  resnapshot(timeoutMs?: number): Promise<MeshSnapshot>;
  stop(): Promise<void>;
}

export async function snapshotOfScenario(name: string, options: StartOptions & { timeoutMs?: number } = {}): Promise<ScenarioSnapshot> {
  const sim = await startScenario(name, options);
  const mesh = new LiveMesh({ kubeconfig: loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath }) });
  mesh.start();
  const take = async (timeoutMs = options.timeoutMs ?? 30_000): Promise<MeshSnapshot> => {
    await settleOnce(mesh, Date.now() + timeoutMs);
    return toSnapshot(mesh.store.getState());
  };
  try {
    const snapshot = await take();
    return {
      snapshot,
      sim,
      mesh,
      resnapshot: take,
      async stop(): Promise<void> {
        await mesh.stop();
        await sim.stop();
      },
    };
  } catch (err) {
    await mesh.stop();
    await sim.stop();
    throw err;
  }
}
