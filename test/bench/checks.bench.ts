// Check evaluation on a snapshot the product's own feeds took of 20 simulated healthy clusters:
// cold (a fresh Evaluator, as `--once` runs it), and warm after one pod changed (the console's
// case: the store replaced one pod, so only the checks that read pods run again).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHECKS, DEFAULT_CHECK_OPTIONS } from '../../checks/registry.ts';
import { Evaluator } from '../../checks/evaluate.ts';
import { applyUpdates } from '../../src/store/applyUpdates.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { ISTIOD_ZTUNNEL_PODS } from '../../src/store/resourceIds.ts';
import type { KubeObjectJson, MeshSnapshot, MeshState } from '../../src/store/types.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';
import { healthyRingScenario } from './benchScenario.ts';
import { spread, type Bench, type BenchRow } from './benchRow.ts';

const CONTEXTS = 20;
const RUNS = 15;

function timeMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function row(name: string, samples: number[], note: string): BenchRow {
  const { median, min, max } = spread(samples);
  return { name, value: median, unit: 'ms', note: `median of ${samples.length}, ${min.toFixed(1)}–${max.toFixed(1)}; ${note}` };
}

/** The state after one more watch event for one ztunnel pod (its restart count moved), through the store's own reducer. */
function withOnePodChanged(state: MeshState, round: number): MeshState {
  const [context, ctx] = Object.entries(state.contexts)[0] ?? [];
  const pods = ctx?.resources[ISTIOD_ZTUNNEL_PODS]?.objects ?? {};
  const pod = Object.values(pods).find((p) => p.metadata.labels?.['app'] === 'ztunnel');
  if (context === undefined || ctx === undefined || pod === undefined) throw new Error('the bench snapshot has no ztunnel pod');
  const changed: KubeObjectJson = {
    ...pod,
    metadata: { ...pod.metadata, resourceVersion: `bench-${round}` },
    status: { ...(pod['status'] as object), benchRound: round },
  };
  return applyUpdates(
    state,
    [{ type: 'watchEvents', context: ctx.context, resource: ISTIOD_ZTUNNEL_PODS, events: [{ type: 'MODIFIED', object: changed }] }],
    new Date().toISOString(),
  );
}

export const bench: Bench = {
  title: `check evaluation, ${CONTEXTS} contexts`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-tui-bench-checks-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, healthyRingScenario({ clusters: CONTEXTS }));
    const taken = await snapshotOfScenario('', { file, timeoutMs: 120_000 });
    try {
      const snapshot: MeshSnapshot = taken.snapshot;
      const firstInProcess = timeMs(() => new Evaluator(CHECKS).evaluate(snapshot, DEFAULT_CHECK_OPTIONS));
      const cold = Array.from({ length: RUNS }, () => timeMs(() => new Evaluator(CHECKS).evaluate(snapshot, DEFAULT_CHECK_OPTIONS)));
      const evaluator = new Evaluator(CHECKS);
      let state: MeshState = { ...snapshot, logTail: {}, updatedAt: snapshot.takenAt };
      evaluator.evaluate(toSnapshot(state, snapshot.takenAt), DEFAULT_CHECK_OPTIONS);
      let rerun = 0;
      const onePod = Array.from({ length: RUNS }, (_, round) => {
        state = withOnePodChanged(state, round);
        const next = toSnapshot(state, snapshot.takenAt);
        return timeMs(() => {
          rerun = evaluator.evaluate(next, DEFAULT_CHECK_OPTIONS).ran.length;
        });
      });
      const unchanged = Array.from({ length: RUNS }, () =>
        timeMs(() => evaluator.evaluate(toSnapshot(state, snapshot.takenAt), DEFAULT_CHECK_OPTIONS)),
      );
      return [
        {
          name: `checks: first evaluation in the process, ${CONTEXTS} contexts`,
          value: firstInProcess,
          unit: 'ms',
          note: 'certificate cache empty',
        },
        row(`checks: evaluation, ${CONTEXTS} contexts, cold`, cold, 'a fresh Evaluator each time (as --once)'),
        row(`checks: re-evaluation after one pod changed`, onePod, `${rerun} of ${CHECKS.length} checks re-ran`),
        row(`checks: re-evaluation, nothing changed`, unchanged, 'every check reused'),
      ];
    } finally {
      await taken.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
