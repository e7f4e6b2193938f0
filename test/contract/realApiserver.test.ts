// Smoke test of the contract harness: real etcd + two real kube-apiservers, driven with the
// product's client library (@kubernetes/client-node), raw HTTPS and kubectl. It proves the
// harness can do what the contract suite needs: pods with status, pod logs through the
// apiserver from the fake kubelet, and RBAC answers for a restricted user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { ApiException, CoreV1Api, KubeConfig, VersionApi, type V1Pod } from '@kubernetes/client-node';
import { contractBinaries } from './harness/binaries.ts';
import { startContractClusters, type ContractCluster } from './harness/contractClusters.ts';
import { kubeRequest } from './harness/kubeRequest.ts';
import { openLogStream } from './harness/logStream.ts';

const NAMESPACE = 'contract-smoke';
const POD = 'smoke';
const CONTAINER = 'app';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const LINES = [0, 1, 2].map((i) => ({ time: new Date(T0 + i * 1000), text: `line-${i + 1}` }));

const podPath = `/api/v1/namespaces/${NAMESPACE}/pods/${POD}`;

const debianKubectl = new URL('../../.cache/kubectl-deb/usr/bin/kubectl', import.meta.url).pathname;
const kubectl = process.env.KUBECTL ?? (existsSync(debianKubectl) ? debianKubectl : 'kubectl');

async function clientFor(cluster: ContractCluster, user: 'admin' | 'restricted'): Promise<KubeConfig> {
  const kc = new KubeConfig();
  kc.loadFromFile(await cluster.writeKubeconfig(user));
  return kc;
}

test('real kube-apiserver harness: pods, logs through the fake kubelet, RBAC', async (t) => {
  const binaries = contractBinaries();
  if (binaries.missing.length > 0) {
    const why = `real kube-apiserver/etcd not built (missing ${binaries.missing.join(', ')}); run test/contract/build-binaries.sh`;
    if (process.env.CI === 'true') assert.fail(`${why} — under CI=true the contract binaries are required`);
    t.skip(`SKIPPED: ${why}`);
    return;
  }

  const run = await startContractClusters({ names: ['cluster-a', 'cluster-b'] });
  try {
    const [a, b] = run.clusters;
    assert.ok(a && b);
    const admin = (await clientFor(a, 'admin')).makeApiClient(CoreV1Api);
    const restricted = (await clientFor(a, 'restricted')).makeApiClient(CoreV1Api);

    const version = await (await clientFor(a, 'admin')).makeApiClient(VersionApi).getCode();
    t.diagnostic(
      `kube-apiserver ${version.gitVersion} (${version.goVersion}), etcd ${binaries.etcdVersion}; ` +
        run.clusters
          .map((c) => `${c.name}: ready in ${c.apiserver.startupMs} ms, RSS ${Math.round(c.apiserver.process.rssBytes() / 2 ** 20)} MiB`)
          .join('; ') +
        `; etcd RSS ${Math.round(run.etcd.process.rssBytes() / 2 ** 20)} MiB`,
    );
    assert.equal(version.gitVersion, binaries.kubeVersion);

    await admin.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await admin.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: POD, labels: { app: POD } },
        spec: { nodeName: a.nodeName, containers: [{ name: CONTAINER, image: 'registry.invalid/app:1' }] },
      },
    });
    const created = await admin.readNamespacedPod({ name: POD, namespace: NAMESPACE });
    assert.equal(created.status?.phase, 'Pending', 'the apiserver drops status sent on create');
    const withStatus: V1Pod = {
      ...created,
      status: {
        phase: 'Running',
        hostIP: '127.0.0.1',
        podIP: '10.244.0.10',
        podIPs: [{ ip: '10.244.0.10' }],
        startTime: new Date(T0),
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(T0) }],
        containerStatuses: [
          {
            name: CONTAINER,
            image: 'registry.invalid/app:1',
            imageID: '',
            ready: true,
            restartCount: 0,
            started: true,
            state: { running: { startedAt: new Date(T0) } },
          },
        ],
      },
    };
    await admin.replaceNamespacedPodStatus({ name: POD, namespace: NAMESPACE, body: withStatus });
    a.kubelet.setLog(NAMESPACE, POD, CONTAINER, LINES);

    await t.test('pod status written through pods/status is what clients read', async () => {
      const pod = await admin.readNamespacedPod({ name: POD, namespace: NAMESPACE });
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(pod.spec?.nodeName, a.nodeName);
    });

    await t.test('pods/log through the apiserver: whole log, tailLines, timestamps, sinceTime', async () => {
      assert.equal(await admin.readNamespacedPodLog({ name: POD, namespace: NAMESPACE }), 'line-1\nline-2\nline-3\n');
      assert.equal(await admin.readNamespacedPodLog({ name: POD, namespace: NAMESPACE, container: CONTAINER, tailLines: 1 }), 'line-3\n');
      assert.equal(
        await admin.readNamespacedPodLog({ name: POD, namespace: NAMESPACE, timestamps: true, tailLines: 1 }),
        '2026-01-01T00:00:02.000000000Z line-3\n',
      );
      // The generated client has no sinceTime parameter, so this one is a plain request.
      const since = await kubeRequest(a, a.users.admin.token, 'GET', `${podPath}/log?sinceTime=2026-01-01T00:00:01Z&timestamps=true`);
      assert.equal(since.status, 200);
      assert.equal(since.body, '2026-01-01T00:00:01.000000000Z line-2\n2026-01-01T00:00:02.000000000Z line-3\n');
    });

    await t.test('pods/log follow=true streams lines appended later', async () => {
      const stream = openLogStream(a, a.users.admin.token, `${podPath}/log?follow=true&container=${CONTAINER}`);
      try {
        await stream.waitFor('line-3\n');
        a.kubelet.appendLog(NAMESPACE, POD, CONTAINER, { time: new Date(T0 + 3000), text: 'line-4' });
        assert.equal(await stream.waitFor('line-4\n'), 'line-1\nline-2\nline-3\nline-4\n');
      } finally {
        stream.close();
      }
    });

    await t.test('restricted user may list pods but gets 403 for pods/log', async () => {
      const list = await restricted.listNamespacedPod({ namespace: NAMESPACE });
      assert.deepEqual(
        list.items.map((p) => p.metadata?.name),
        [POD],
      );
      await assert.rejects(restricted.readNamespacedPodLog({ name: POD, namespace: NAMESPACE }), (error: unknown) => {
        assert.ok(error instanceof ApiException);
        assert.equal(error.code, 403);
        const status = JSON.parse(String(error.body)) as { reason: string; message: string };
        assert.equal(status.reason, 'Forbidden');
        assert.equal(
          status.message,
          `pods "${POD}" is forbidden: User "restricted" cannot get resource "pods/log" in API group "" in the namespace "${NAMESPACE}"`,
        );
        return true;
      });
    });

    await t.test('restricted user gets 403 for pods/portforward', async () => {
      const response = await kubeRequest(a, a.users.restricted.token, 'POST', `${podPath}/portforward`);
      assert.equal(response.status, 403);
      const status = JSON.parse(response.body) as { reason: string; message: string };
      assert.equal(status.reason, 'Forbidden');
      assert.equal(
        status.message,
        `pods "${POD}" is forbidden: User "restricted" cannot create resource "pods/portforward" in API group "" in the namespace "${NAMESPACE}"`,
      );
    });

    await t.test('clusters on one etcd are separate (own --etcd-prefix)', async () => {
      const other = (await clientFor(b, 'admin')).makeApiClient(CoreV1Api);
      const namespaces = await other.listNamespace();
      assert.ok(!namespaces.items.some((n) => n.metadata?.name === NAMESPACE));
    });

    const noKubectl = process.env.KUBECTL === undefined && !existsSync(debianKubectl) ? 'kubectl not found (set KUBECTL)' : false;
    await t.test('kubectl reads the log through the real apiserver', { skip: noKubectl }, async () => {
      const { stdout } = await promisify(execFile)(kubectl, [
        '--kubeconfig',
        await a.writeKubeconfig('admin'),
        'logs',
        '-n',
        NAMESPACE,
        POD,
        '--tail=2',
      ]);
      assert.equal(stdout, 'line-3\nline-4\n');
    });
  } finally {
    await run.stop();
  }
});
