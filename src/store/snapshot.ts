// The read-only picture checks and `--once` work from. The store's state is immutable, so a
// snapshot shares its records instead of copying them: taking one is free.
import type { IsoTime, MeshSnapshot, MeshState } from './types.ts';

export function toSnapshot(state: MeshState, takenAt: IsoTime = new Date().toISOString()): MeshSnapshot {
  return {
    takenAt,
    contexts: state.contexts,
    facts: state.facts,
    logSignatures: state.logSignatures,
    ...(state.logWindowSince !== undefined ? { logWindowSince: state.logWindowSince } : {}),
  };
}
