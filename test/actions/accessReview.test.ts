// SelfSubjectAccessReview in the simulator: answered from the user's forbidden rules, listed in
// discovery, and understood by `kubectl auth can-i` (which asks in protobuf) — the same question
// the guided actions ask before they offer a write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { canI } from '../../src/kube/objectWrites.ts';
import { startScenario } from '../helpers/simulator.ts';
import { kubectl } from '../helpers/kubectl.ts';

test('the forbidden scenario user: SSAR and kubectl auth can-i say no to pods/log and yes to patching gateways', async () => {
  const sim = await startScenario('forbidden');
  const loaded = loadKubeconfig({ kubeconfigPath: sim.kubeconfigPath, context: 'cluster-west' });
  const client = new ContextClient(loaded.contexts[0]!);
  try {
    assert.deepEqual(await canI(client, { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'istio-system' }), {
      state: 'denied',
      reason: '',
    });
    assert.deepEqual(
      await canI(client, { verb: 'patch', group: 'gateway.networking.k8s.io', resource: 'gateways', namespace: 'istio-system' }),
      {
        state: 'allowed',
      },
    );
    sim.sim.cluster('cluster-west').faults.forbid('oncall', { verb: 'delete', resource: 'workloadentries', namespace: 'istio-system' });
    assert.equal(
      (await canI(client, { verb: 'delete', group: 'networking.istio.io', resource: 'workloadentries', namespace: 'istio-system' })).state,
      'denied',
    );
    assert.equal(
      (await canI(client, { verb: 'delete', group: 'networking.istio.io', resource: 'workloadentries', namespace: 'bookinfo' })).state,
      'allowed',
    );

    const groups = await client.getJson<{ groups: { name: string }[] }>('/apis');
    assert.ok(groups.groups.some((g) => g.name === 'authorization.k8s.io'));
    const resources = await client.getJson<{ resources: { name: string; verbs: string[] }[] }>('/apis/authorization.k8s.io/v1');
    assert.deepEqual(resources.resources, [
      {
        name: 'selfsubjectaccessreviews',
        singularName: 'selfsubjectaccessreview',
        namespaced: false,
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      },
    ]);

    const no = await kubectl(sim.kubeconfigPath, [
      '--context',
      'cluster-west',
      'auth',
      'can-i',
      'get',
      'pods',
      '--subresource=log',
      '-n',
      'istio-system',
    ]);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    const yes = await kubectl(sim.kubeconfigPath, [
      '--context',
      'cluster-west',
      'auth',
      'can-i',
      'patch',
      'gateways.gateway.networking.k8s.io',
      '-n',
      'istio-system',
    ]);
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    assert.equal(yes.code, 0);
  } finally {
    await client.close();
    await sim.stop();
  }
});
