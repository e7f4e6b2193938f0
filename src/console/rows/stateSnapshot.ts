// The mesh helpers (src/mesh/peering.ts) and the checks read a MeshSnapshot; the console holds a
// MeshState. Same records, other name for the time: one view object per state, so the caches
// those helpers keep on `snapshot.contexts` (clusterGroups) are shared with everything else.
import { cachedOn } from '../../store/memo.ts';
import type { MeshSnapshot, MeshState } from '../../store/types.ts';

export const snapshotOf = cachedOn((state: MeshState): MeshSnapshot => ({
  takenAt: state.updatedAt,
  contexts: state.contexts,
  facts: state.facts,
  logSignatures: state.logSignatures,
}));
