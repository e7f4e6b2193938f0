// The snapshot `--once` would take of a simulated scenario: simulator → real kubeconfig →
// LiveMesh in snapshot mode (lists, log history reads, istiod facts) → settled → MeshSnapshot.
// Checks are tested on this, so what they see is what the product's own feeds produce, not a
// hand-made fixture.
import { LiveMesh } from '../../src/feeds/liveMesh.ts';
import { settleOnce } from '../../src/feeds/settle.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { startScenario, type TestSimulator, type StartOptions } from './simulator.ts';

export interface ScenarioSnapshot {
  snapshot: MeshSnapshot;
  sim: TestSimulator;
  /** Take a fresh snapshot (a new one-shot read) after changing the simulated clusters. */
  resnapshot(timeoutMs?: number): Promise<MeshSnapshot>;
  stop(): Promise<void>;
}

export async function snapshotOfScenario(name: string, options: StartOptions & { timeoutMs?: number } = {}): Promise<ScenarioSnapshot> {
  const sim = await startScenario(name, options);
  const take = async (timeoutMs = options.timeoutMs ?? 30_000): Promise<MeshSnapshot> => {
    const deadline = Date.now() + timeoutMs;
    const mesh = new LiveMesh({ kubeconfig: loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath }), snapshot: true, deadline });
    mesh.start();
    try {
      await settleOnce(mesh, deadline);
      return toSnapshot(mesh.store.getState());
    } finally {
      await mesh.stop();
    }
  };
  try {
    const snapshot = await take();
    return { snapshot, sim, resnapshot: take, stop: () => sim.stop() };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}
