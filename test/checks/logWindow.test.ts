// MC-LOG-001 after a re-run restarted the log window: it says since when it counted, a
// signature seen in the new window still fails with that time in its message and evidence, and
// an empty window passes for the logs of a repaired cluster.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { logSignaturesCheck } from '../../checks/logSignatures.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import type { ContextId, MeshSnapshot } from '../../src/store/types.ts';
import { run } from './peeringChecksHarness.ts';

const WEST = 'cluster-west' as ContextId;
const SINCE = '2026-01-10T15:42:10.000Z';

describe('MC-LOG-001 log window', () => {
  let mismatch: ScenarioSnapshot;
  before(async () => {
    mismatch = await snapshotOfScenario('network-mismatch');
  });
  after(async () => {
    await mismatch?.stop();
  });

  it('a signature counted since a re-run names the window start in its message and evidence', () => {
    const snapshot: MeshSnapshot = { ...mismatch.snapshot, logWindowSince: { [WEST]: SINCE } };
    const [failed] = run(logSignaturesCheck, snapshot).filter((f) => f.subject.context === WEST && f.severity === 'fail');
    assert.match(failed?.message ?? '', /×\d+ in cluster-west \(\d+ pods? since 15:42:10 UTC\)/);
    assert.ok(failed?.evidence.some((e) => e.where === 'log window' && e.value.includes(SINCE)));
  });

  it('an empty window passes and says since when nothing was seen', () => {
    const snapshot: MeshSnapshot = {
      ...mismatch.snapshot,
      logSignatures: { ...mismatch.snapshot.logSignatures, [WEST]: {} },
      logWindowSince: { [WEST]: SINCE },
    };
    const west = run(logSignaturesCheck, snapshot).filter((f) => f.subject.context === WEST);
    assert.deepEqual(
      west.map((f) => f.severity),
      ['pass'],
    );
    assert.match(
      west[0]?.message ?? '',
      /^No failure signature in \d+ followed ztunnel\/istiod logs of cluster-west since 15:42:10 UTC\.$/,
    );
    assert.ok(west[0]?.evidence.some((e) => e.where === 'log window'));
  });

  it('without a re-run nothing about a window is said', () => {
    const west = run(logSignaturesCheck, mismatch.snapshot).filter((f) => f.subject.context === WEST);
    assert.ok(west.every((f) => !f.message.includes('since') && !f.evidence.some((e) => e.where === 'log window')));
  });
});
