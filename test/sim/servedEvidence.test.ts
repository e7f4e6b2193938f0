// Each built-in scenario's declared root cause is visible to a real client: in the objects the
// simulated API serves, in the pod logs it streams, or in the answers it refuses. This goes
// through HTTPS, auth and @kubernetes/client-node exactly as the console will.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, AppsV1Api, ApiException, type KubeConfig } from '@kubernetes/client-node';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';

async function podLogs(kc: KubeConfig, namespace: string, labelSelector: string, extra: { previous?: boolean } = {}): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector });
  const texts: string[] = [];
  for (const pod of pods.items) {
    const name = pod.metadata?.name ?? '';
    try {
      texts.push(await core.readNamespacedPodLog({ name, namespace, ...extra }));
    } catch (err) {
      if (!(err instanceof ApiException) || err.code !== 400) throw err; // no previous instance
    }
  }
  return texts.join('\n');
}

async function gateway(kc: KubeConfig, namespace: string, name: string): Promise<Record<string, unknown>> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return (await custom.getNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace,
    plural: 'gateways',
    name,
  })) as Record<string, unknown>;
}

function conditions(obj: Record<string, unknown>): { type: string; status: string; reason?: string; message?: string }[] {
  const status = obj.status as { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined;
  return status?.conditions ?? [];
}

function withScenario(name: string, body: (t: () => TestSimulator) => void): void {
  describe(name, () => {
    let sim: TestSimulator | undefined;
    before(async () => {
      sim = await startScenario(name);
    });
    after(async () => {
      await sim?.stop();
    });
    body(() => {
      if (!sim) throw new Error('simulator not started');
      return sim;
    });
  });
}

withScenario('healthy', (t) => {
  it('every remote peer Gateway carries all five conditions True', async () => {
    for (const context of t().sim.contexts()) {
      const custom = t().kubeConfig(context).makeApiClient(CustomObjectsApi);
      const list = (await custom.listClusterCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways' })) as {
        items: Record<string, unknown>[];
      };
      const remotes = list.items.filter((g) => (g.spec as { gatewayClassName?: string }).gatewayClassName === 'istio-remote');
      assert.ok(remotes.length >= 1, `${context} has a remote peer`);
      for (const g of remotes) {
        const types = conditions(g)
          .filter((c) => c.status === 'True')
          .map((c) => c.type)
          .sort();
        assert.deepEqual(types, [
          'Accepted',
          'Programmed',
          'gloo.solo.io/PeerConnected',
          'gloo.solo.io/PeerDataPlaneProgrammed',
          'gloo.solo.io/PeeringSucceeded',
        ]);
      }
    }
  });
});

withScenario('network-mismatch', (t) => {
  it('the istio namespace, the east-west Gateway and ztunnel disagree on the network; ztunnel logs 240.240 destinations', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    const kc = t().kubeConfig(root.context);
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'istio-system' });
    const nsNetwork = ns.metadata?.labels?.['topology.istio.io/network'];
    const ew = await gateway(kc, 'istio-eastwest', 'istio-eastwest');
    const ewNetwork = (ew.metadata as { labels?: Record<string, string> }).labels?.['topology.istio.io/network'];
    const ztunnel = await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: 'ztunnel', namespace: 'istio-system' });
    const envNetwork = ztunnel.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'NETWORK')?.value;
    assert.ok(nsNetwork && ewNetwork);
    assert.notEqual(nsNetwork, ewNetwork);
    assert.equal(envNetwork, ewNetwork);
    assert.match(await podLogs(kc, 'istio-system', 'app=ztunnel'), /dst\.addr=240\.240\.\d+\.\d+:\d+/);
  });
});

withScenario('peer-disconnected', (t) => {
  it('PeerConnected is False "not connected to peer" and ztunnel logs HBONE 15008 timeouts', async () => {
    const root = t().scenario.rootCauses.find((r) => r.check === 'MC-PEER-001');
    assert.ok(root);
    const kc = t().kubeConfig(root.context);
    const g = await gateway(kc, root.subject.namespace ?? '', root.subject.name);
    const connected = conditions(g).find((c) => c.type === 'gloo.solo.io/PeerConnected');
    assert.equal(connected?.status, 'False');
    assert.equal(connected?.message, 'not connected to peer');
    assert.match(await podLogs(kc, 'istio-system', 'app=ztunnel'), /maybe a NetworkPolicy is blocking HBONE port 15008/);
  });
});

withScenario('root-ca-mismatch', (t) => {
  it('the clusters serve different roots; istiod logs unknown certificate authority', async () => {
    const roots = new Set<string>();
    for (const context of t().sim.contexts()) {
      const cm = await t()
        .kubeConfig(context)
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: 'istio-ca-root-cert', namespace: 'istio-system' });
      roots.add(cm.data?.['root-cert.pem'] ?? '');
    }
    assert.equal(roots.size, t().sim.contexts().length);
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    assert.match(await podLogs(t().kubeConfig(root.context), 'istio-system', 'app=istiod'), /unknown certificate authority/);
  });
});

withScenario('eastwest-no-address', (t) => {
  it('the east-west Gateway is Programmed=False with AddressNotAssigned and has no address', async () => {
    const root = t().scenario.rootCauses.find((r) => r.check === 'MC-EW-001');
    assert.ok(root);
    const g = await gateway(t().kubeConfig(root.context), root.subject.namespace ?? '', root.subject.name);
    const programmed = conditions(g).find((c) => c.type === 'Programmed');
    assert.equal(programmed?.status, 'False');
    assert.equal(programmed?.reason, 'AddressNotAssigned');
    assert.deepEqual((g.status as { addresses?: unknown[] }).addresses ?? [], []);
  });
});

withScenario('ztunnel-crashloop', (t) => {
  it('the named ztunnel pod waits in CrashLoopBackOff and its previous log holds the failure', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    const kc = t().kubeConfig(root.context);
    const pod = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: root.subject.name, namespace: root.subject.namespace ?? '' });
    const status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.ok((status?.restartCount ?? 0) > 0);
    const previous = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPodLog({ name: root.subject.name, namespace: root.subject.namespace ?? '', previous: true });
    assert.match(previous, /Error: failed to start ztunnel/);
  });
});

withScenario('license-invalid', (t) => {
  it('istiod logs that the multicluster feature is skipped for licensing', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    assert.match(
      await podLogs(t().kubeConfig(root.context), 'istio-system', 'app=istiod'),
      /SKIPPING FEATURE MultiCluster due to licensing issue/,
    );
  });
});

withScenario('env-incompatible', (t) => {
  it("istiod's discovery container does not enable peering discovery", async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    const d = await t()
      .kubeConfig(root.context)
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'istiod', namespace: 'istio-system' });
    const discovery = d.spec?.template.spec?.containers.find((c) => c.name === 'discovery');
    assert.ok(discovery);
    assert.notEqual(discovery.env?.find((e) => e.name === 'ENABLE_PEERING_DISCOVERY')?.value, 'true');
  });
});

withScenario('dns-capture-off', (t) => {
  it('the CNI config turns DNS capture off', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    const cm = await t()
      .kubeConfig(root.context)
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: root.subject.name, namespace: root.subject.namespace ?? '' });
    assert.equal(cm.data?.AMBIENT_DNS_CAPTURE, 'false');
  });
});

withScenario('asymmetric-link', (t) => {
  it('one cluster links to the other, which has no remote Gateway back', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    await assert.rejects(
      gateway(t().kubeConfig(root.context), root.subject.namespace ?? '', root.subject.name),
      (err: unknown) => err instanceof ApiException && err.code === 404,
    );
  });
});

withScenario('stale-autogenflat', (t) => {
  it('autogenflat WorkloadEntries name source pods the source cluster does not have', async () => {
    for (const root of t().scenario.rootCauses) {
      const custom = t().kubeConfig(root.context).makeApiClient(CustomObjectsApi);
      const we = (await custom.getNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: root.subject.namespace ?? '',
        plural: 'workloadentries',
        name: root.subject.name,
      })) as { metadata: { annotations?: Record<string, string> } };
      const uid = we.metadata.annotations?.['solo.io/peered-workload-uid'] ?? '';
      const [sourceCluster, , kind, namespace, name] = uid.split('/');
      assert.equal(kind, 'Pod');
      const source = t().scenario.clusters.find((c) => c.clusterId === sourceCluster);
      assert.ok(source, `source cluster ${String(sourceCluster)} is simulated`);
      await assert.rejects(
        t()
          .kubeConfig(source.context)
          .makeApiClient(CoreV1Api)
          .readNamespacedPod({ name: name ?? '', namespace: namespace ?? '' }),
        (err: unknown) => err instanceof ApiException && err.code === 404,
      );
    }
  });
});

withScenario('forbidden', (t) => {
  it('the kubeconfig user may list pods but not read their logs', async () => {
    const root = t().scenario.rootCauses[0];
    assert.ok(root);
    const core = t().kubeConfig(root.context).makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=ztunnel' });
    const first = pods.items[0]?.metadata?.name;
    assert.ok(first);
    await assert.rejects(core.readNamespacedPodLog({ name: first, namespace: 'istio-system' }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 403);
      assert.match(String(err.body), /cannot get resource \\?"pods\/log\\?" in API group \\?"\\?"/);
      return true;
    });
  });
});
