// Every watch, list, log follow and istiod fetch of a context shares one HTTP/2 connection, as
// client-go's do: the console holds one TLS connection per cluster instead of one per stream
// (reference/measured.md: 130–220 KB each, about twenty per context).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LiveMesh } from '../../src/feeds/liveMesh.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { selectStatusLine } from '../../src/store/selectors.ts';
import { contextId } from '../../src/store/types.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';

const CONTEXTS = ['cluster-east', 'cluster-west'];

describe('the live console holds one connection per context', () => {
  let sim: TestSimulator;
  let mesh: LiveMesh;

  before(async () => {
    sim = await startScenario('healthy');
    mesh = new LiveMesh({ kubeconfig: loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath }) });
    mesh.start();
  });
  after(async () => {
    await mesh.stop();
    await sim.stop();
  });

  it('watches, lists and follows every context over a single HTTP/2 connection', async () => {
    await waitFor(
      mesh.store,
      (state) =>
        CONTEXTS.every((c) => selectStatusLine(state, contextId(c)) === 'ready') &&
        CONTEXTS.every((c) => Object.values(state.contexts[contextId(c)]?.logStreams ?? {}).some((s) => s.phase === 'following')),
      { timeoutMs: 30_000, what: 'every context ready and following its logs' },
    );
    await mesh.refreshFacts();
    for (const context of CONTEXTS) {
      const resources = Object.keys(mesh.store.getState().contexts[contextId(context)]?.resources ?? {});
      assert.ok(resources.length >= 10, `${context} watches ${resources.length} resources`);
      // istiod's debug endpoints are read through port-forward, a WebSocket upgrade: HTTP/1.1 and a
      // connection of its own, as on kube-apiserver (no WebSockets over HTTP/2 there).
      const { tls, h2, upgrades } = sim.sim.cluster(context).acceptedConnections;
      assert.ok(upgrades > 0, `${context}: istiod read through port-forward`);
      assert.deepEqual({ h2, other: tls - upgrades }, { h2: 1, other: 1 }, `${context}: ${tls} connections, ${upgrades} upgrades`);
    }
  });
});
