import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildClusterz } from '../../../src/sim/content/clusterz.ts';

describe('/debug/clusterz', () => {
  it('lists clusters as Go DebugInfo: id, secretName (empty for the local cluster) and syncStatus', () => {
    const body = buildClusterz([
      { clusterId: 'cluster1', secretName: '', syncStatus: 'synced' },
      { clusterId: 'cluster2', secretName: 'istio-system/istio-remote-secret-cluster2', syncStatus: 'timeout' },
    ]);
    assert.deepEqual(body, [
      { id: 'cluster1', secretName: '', syncStatus: 'synced' },
      { id: 'cluster2', secretName: 'istio-system/istio-remote-secret-cluster2', syncStatus: 'timeout' },
    ]);
    assert.equal(
      JSON.stringify(body),
      '[{"id":"cluster1","secretName":"","syncStatus":"synced"},{"id":"cluster2","secretName":"istio-system/istio-remote-secret-cluster2","syncStatus":"timeout"}]',
    );
  });
});
