// The console's detail view asks for an object's Events (services.fetchEvents): through the
// object's own context's client, narrowed by involvedObject on the server, newest first. Run
// against the simulator, which serves events as a real apiserver does (list with field selectors).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { fetchObjectEvents } from '../../src/cli/objectEvents.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';

describe('fetchObjectEvents', () => {
  let sim: TestSimulator;
  let client: ContextClient;

  before(async () => {
    sim = await startScenario('healthy');
    const loaded = loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath, context: 'cluster-east' });
    const resolved = loaded.contexts[0];
    assert.ok(resolved);
    client = new ContextClient(resolved);
    const api = client.makeApi(CoreV1Api);
    const event = (name: string, pod: string, reason: string, message: string, last: string, count: number) =>
      api.createNamespacedEvent({
        namespace: 'istio-system',
        body: {
          metadata: { name, namespace: 'istio-system' },
          involvedObject: { kind: 'Pod', namespace: 'istio-system', name: pod },
          reason,
          message,
          type: reason === 'BackOff' ? 'Warning' : 'Normal',
          count,
          lastTimestamp: new Date(last),
          firstTimestamp: new Date(last),
        },
      });
    await event('ztunnel-a.1', 'ztunnel-a', 'Pulled', 'Container image already present', '2026-12-01T10:00:00Z', 1);
    await event('ztunnel-a.2', 'ztunnel-a', 'BackOff', 'Back-off restarting failed container', '2026-12-01T10:05:00Z', 7);
    await event('istiod-b.1', 'istiod-b', 'Started', 'Started container discovery', '2026-12-01T10:01:00Z', 1);
  });
  after(async () => {
    await client.close();
    await sim.stop();
  });

  it("returns only the object's events, newest first, with type, reason, message and count", async () => {
    const events = await fetchObjectEvents(client, { context: 'cluster-east', kind: 'Pod', namespace: 'istio-system', name: 'ztunnel-a' });
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.reason} ×${e.count} ${e.lastSeen}: ${e.message}`),
      [
        'Warning BackOff ×7 2026-12-01T10:05:00.000Z: Back-off restarting failed container',
        'Normal Pulled ×1 2026-12-01T10:00:00.000Z: Container image already present',
      ],
    );
  });

  it('an object nobody wrote events about has none', async () => {
    const events = await fetchObjectEvents(client, { context: 'cluster-east', kind: 'Pod', namespace: 'istio-system', name: 'nobody' });
    assert.deepEqual(events, []);
  });
});
