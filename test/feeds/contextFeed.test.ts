// One context's watches against a healthy simulated mesh: what the store holds and shows.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { startFeeds, type FeedRun } from './feedHarness.ts';
import { createNamespace, updateObject } from './simChanges.ts';
import { GATEWAYS } from '../../src/store/resourceIds.ts';
import { contextId } from '../../src/store/types.ts';
import { selectObjectsOfKind } from '../../src/store/selectors.ts';
import { LICENSE_CLAIMS_FIELD } from '../../src/store/licenseClaims.ts';
import { DROPPED_KEYS_FIELD } from '../../src/store/sanitizeObject.ts';

const EAST = 'cluster-east';
const WEST = 'cluster-west';

describe('ContextFeed on a healthy mesh', () => {
  let sim: TestSimulator;
  let run: FeedRun;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startScenario('healthy', { bookmarkIntervalMs: 200 });
    run = startFeeds(sim.kubeconfigPath);
  });
  after(async () => {
    await run.stop();
    await sim.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('goes from connecting to ready and holds exactly what each cluster serves', async () => {
    await run.waitStatus(EAST, (s) => s === 'ready', 'ready');
    await run.waitStatus(WEST, (s) => s === 'ready', 'ready');
    assert.equal(run.seen.get(EAST)?.[0], 'connecting');
    await run.waitConverged(sim, [EAST, WEST]);
  });

  it('learns CLUSTER_ID from istiod, not from the context name', async () => {
    const state = await waitFor(
      run.store,
      (s) => s.contexts[contextId(EAST)]?.clusterId !== undefined && s.contexts[contextId(WEST)]?.clusterId !== undefined,
    );
    assert.equal(state.contexts[contextId(EAST)]?.clusterId, 'east');
    assert.equal(state.contexts[contextId(WEST)]?.clusterId, 'west');
  });

  it('keeps the peering gateways (istio-eastwest, istio-remote) and the mesh pods wherever they run', () => {
    const state = run.store.getState();
    const classes = Object.values(state.contexts[contextId(EAST)]!.resources[GATEWAYS]!.objects).map(
      (g) => (g['spec'] as { gatewayClassName: string }).gatewayClassName,
    );
    assert.deepEqual([...new Set(classes)].sort(), ['istio-eastwest', 'istio-remote']);
    const pods = selectObjectsOfKind(state, contextId(EAST), 'Pod');
    const labelled = (key: string, value: string): number => pods.filter((p) => p.metadata.labels?.[key] === value).length;
    assert.equal(labelled('app', 'istiod'), 1);
    assert.equal(labelled('app', 'ztunnel'), 2);
    assert.equal(labelled('service.istio.io/canonical-name', 'istio-eastwest'), 1);
    assert.equal(labelled('k8s-app', 'istio-cni-node'), 2);
    assert.equal(pods.length, 6, 'application pods are not watched');
  });

  it('never stores the CA private key of cacerts', () => {
    const secrets = selectObjectsOfKind(run.store.getState(), contextId(EAST), 'Secret');
    assert.deepEqual(secrets.map((s) => s.metadata.name).sort(), ['cacerts', 'solo-istio-license']);
    const cacerts = secrets.find((s) => s.metadata.name === 'cacerts')!;
    // The licence Secret is kept for its key's claims only: the key is gone.
    const license = secrets.find((s) => s.metadata.name === 'solo-istio-license')!;
    assert.deepEqual(license['data'], {});
    assert.deepEqual(Object.keys(license[LICENSE_CLAIMS_FIELD] as object), ['data/license-key']);
    const data = cacerts['data'] as Record<string, string>;
    assert.ok('ca-cert.pem' in data && 'root-cert.pem' in data, Object.keys(data).join(','));
    assert.equal('ca-key.pem' in data, false);
    assert.ok((cacerts[DROPPED_KEYS_FIELD] as string[]).includes('ca-key.pem'));
    assert.equal(JSON.stringify(run.store.getState()).includes('PRIVATE KEY'), false);
  });

  it('brings changes in, and drops a gateway whose class moves out of peering', async () => {
    const east = sim.sim.cluster(EAST);
    createNamespace(east, 'arrives-live', { 'istio.io/dataplane-mode': 'ambient' });
    await waitFor(
      run.store,
      (s) => s.contexts[contextId(EAST)]!.resources['namespaces']!.objects['Namespace//arrives-live'] !== undefined,
      {
        what: 'the new namespace',
      },
    );
    updateObject(east, 'gateway.networking.k8s.io/v1', 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net', (g) => {
      (g['spec'] as { gatewayClassName: string }).gatewayClassName = 'istio';
    });
    await waitFor(
      run.store,
      (s) => s.contexts[contextId(EAST)]!.resources[GATEWAYS]!.objects['Gateway/istio-eastwest/istio-remote-peer-west-net'] === undefined,
      { what: 'the re-classed gateway to leave the store' },
    );
    await run.waitConverged(sim, [EAST, WEST]);
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});
