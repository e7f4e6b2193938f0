// The simulator stays a faithful apiserver and istiod when clients write odd but accepted
// objects, and computes what the real apiserver computes for the objects it generates.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { portForwardHttpGet } from '../../src/kube/portForwardHttp.ts';

describe('simulator: odd objects', () => {
  let sim: TestSimulator;
  before(async () => {
    sim = await startScenario('healthy');
  });
  after(async () => {
    await sim.stop();
  });

  it('istiod answers /debug/syncz normally when a peer Gateway has a null condition (no 500 with a JavaScript error)', async () => {
    // cluster-west's istiod looks at cluster-east's remote Gateway to decide whether the peer istiod is connected.
    const east = sim.kubeConfig('cluster-east');
    const custom = east.makeApiClient(CustomObjectsApi);
    const list = (await custom.listClusterCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways' })) as {
      items: { metadata: { name: string; namespace: string }; spec: { gatewayClassName?: string }; status?: { conditions?: unknown[] } }[];
    };
    const remote = list.items.find((g) => g.spec.gatewayClassName === 'istio-remote');
    assert.ok(remote);
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: remote.metadata.namespace,
        plural: 'gateways',
        name: remote.metadata.name,
        body: { status: { conditions: [null, ...(remote.status?.conditions ?? [])] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const west = sim.kubeConfig('cluster-west');
    const pods = await west.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=istiod' });
    const pod = pods.items[0]?.metadata?.name;
    assert.ok(pod);
    const result = await portForwardHttpGet(west, { namespace: 'istio-system', pod, port: 15014, path: '/debug/syncz' });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.response.statusCode, 200, result.response.body.toString());
    // The other conditions still say connected: cluster-east's istiod is still listed as a peer.
    const eastIstiod = (await east.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=istiod' }))
      .items[0]?.metadata?.name;
    assert.ok(eastIstiod);
    assert.ok(JSON.stringify(JSON.parse(result.response.body.toString())).includes(`${eastIstiod}.istio-system`));
  });

  it('pods without resource requests or limits are BestEffort, as the real apiserver says', async () => {
    const core = sim.kubeConfig('cluster-east').makeApiClient(CoreV1Api);
    const pods = (await core.listPodForAllNamespaces()).items;
    assert.ok(pods.length > 0);
    for (const pod of pods) {
      const unbounded = (pod.spec?.containers ?? []).every((c) => c.resources?.requests === undefined && c.resources?.limits === undefined);
      if (unbounded) assert.equal(pod.status?.qosClass, 'BestEffort', `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
    }
  });
});
