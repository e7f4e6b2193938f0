// The header's context badges on real scenario reads: status in words, cluster id, network,
// failing checks per context, contexts of one cluster grouped, unusable kubeconfig entries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectBadges } from '../../src/console/badges.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { contextId } from '../../src/store/types.ts';
import { scenarioState } from './scenarioState.ts';
import { bookmark, commit } from './stateEdits.ts';

describe('context badges', () => {
  it('names each context’s status, cluster, network and failing checks', async () => {
    const { state, evaluation } = await scenarioState('peer-disconnected');
    const badges = selectBadges(state, evaluation, [{ context: 'stale-entry', reason: 'cluster "gone" not found' }]);
    assert.deepEqual(
      badges.map((b) => [b.context, b.status, b.tone, b.clusterId, b.network]),
      [
        ['cluster-east', 'ready', 'ok', 'east', 'east-net'],
        ['cluster-west', 'ready', 'ok', 'west', 'west-net'],
        ['stale-entry', 'invalid: cluster "gone" not found', 'bad', undefined, undefined],
      ],
    );
    const failingEast = new Set((evaluation.byContext.get('cluster-east') ?? []).filter((f) => f.severity === 'fail').map((f) => f.check));
    assert.ok(failingEast.size > 0);
    assert.equal(badges[0]?.failing, failingEast.size, 'failing checks, one per check');
  });

  it('says degraded with the reason, and keeps the array while nothing it shows changed', async () => {
    const { state, evaluation } = await scenarioState('forbidden');
    const badges = selectBadges(state, evaluation, []);
    assert.deepEqual(
      badges.map((b) => [b.status, b.tone]),
      [
        ['degraded: forbidden on pods/log', 'warn'],
        ['degraded: forbidden on pods/log', 'warn'],
      ],
    );
    assert.equal(selectBadges(bookmark(state, 'cluster-east', GATEWAYS), evaluation, []), badges);
    const down = commit(state, {
      type: 'contextStatus',
      context: contextId('cluster-west'),
      phase: 'unreachable',
      reasons: ['unreachable'],
    });
    const after = selectBadges(down, evaluation, []);
    assert.notEqual(after, badges);
    assert.deepEqual([after[1]?.status, after[1]?.tone], ['unreachable', 'bad']);
  });

  it('groups contexts that reach the same cluster', async () => {
    const { state, evaluation } = await scenarioState('shared-cluster-contexts');
    assert.deepEqual(
      selectBadges(state, evaluation, []).map((b) => [b.context, b.sameClusterAs]),
      [
        ['cluster-east', ['oncall@cluster-east']],
        ['cluster-west', ['oncall@cluster-west']],
        ['oncall@cluster-east', ['cluster-east']],
        ['oncall@cluster-west', ['cluster-west']],
      ],
    );
  });
});
