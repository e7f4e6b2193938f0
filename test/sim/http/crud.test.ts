// get/create/update/patch/delete through client-node, asserting what a client sees.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startHarness, rawRequest, type Harness } from './harness.ts';

function statusOf(err: unknown): { code: number; reason?: string; message?: string } {
  assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`);
  const body = typeof err.body === 'string' ? (JSON.parse(err.body) as { reason?: string; message?: string }) : {};
  return { code: err.code, ...body };
}

async function rejection(p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string }> {
  try {
    await p;
  } catch (err) {
    return statusOf(err);
  }
  assert.fail('expected the request to fail');
}

describe('simulated apiserver reads and writes', () => {
  let h: Harness;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  before(async () => {
    h = await startHarness();
    core = h.kubeConfig().makeApiClient(CoreV1Api);
    custom = h.kubeConfig().makeApiClient(CustomObjectsApi);
  });
  after(() => h.close());

  it('gets an object, and 404s with the real message when it is missing', async () => {
    const pod = await core.readNamespacedPod({ name: 'istiod-7d4b9c6f5-abcde', namespace: 'istio-system' });
    assert.equal(pod.status?.podIP, '10.244.0.5');
    assert.equal(pod.kind, 'Pod');
    const missing = await rejection(core.readNamespacedPod({ name: 'nope', namespace: 'istio-system' }));
    assert.deepEqual(missing, {
      code: 404,
      ...JSON.parse(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'pods "nope" not found',
          reason: 'NotFound',
          details: { name: 'nope', kind: 'pods' },
          code: 404,
        }),
      ),
    });
    const gw = await rejection(
      custom.getNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: 'istio-eastwest',
        plural: 'gateways',
        name: 'nope',
      }),
    );
    assert.equal(gw.message, 'gateways.gateway.networking.k8s.io "nope" not found');
  });

  it('creates with 201, refuses duplicates with 409 AlreadyExists, and dry-run stores nothing', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'created-cm' }, data: { a: '1' } };
    const res = await rawRequest(h, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    const created = res.json() as { metadata: { namespace: string; uid: string; resourceVersion: string } };
    assert.equal(created.metadata.namespace, 'default');
    assert.ok(created.metadata.uid);
    const dup = await rejection(core.createNamespacedConfigMap({ namespace: 'default', body }));
    assert.equal(dup.code, 409);
    assert.equal(dup.reason, 'AlreadyExists');
    assert.equal(dup.message, 'configmaps "created-cm" already exists');
    const dry = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { ...body, metadata: { name: 'dry-cm' } },
      dryRun: 'All',
    });
    assert.equal(dry.metadata?.name, 'dry-cm');
    assert.equal((await rejection(core.readNamespacedConfigMap({ name: 'dry-cm', namespace: 'default' }))).code, 404);
  });

  it('rejects a body whose namespace or API version does not match the URL', async () => {
    const wrongNs = await rejection(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'bookinfo' } },
      }),
    );
    assert.equal(wrongNs.code, 400);
    assert.equal(wrongNs.message, 'the namespace of the provided object does not match the namespace sent on the request');
    const res = await rawRequest(h, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'the API version in the data (apps/v1) does not match the expected API version (v1)');
  });

  it('updates with optimistic concurrency: a stale resourceVersion is 409 Conflict', async () => {
    const cm = await core.readNamespacedConfigMap({ name: 'istio', namespace: 'istio-system' });
    const updated = await core.replaceNamespacedConfigMap({
      name: 'istio',
      namespace: 'istio-system',
      body: { ...cm, data: { mesh: 'changed' } },
    });
    assert.equal(updated.data?.mesh, 'changed');
    assert.notEqual(updated.metadata?.resourceVersion, cm.metadata?.resourceVersion);
    const stale = await rejection(
      core.replaceNamespacedConfigMap({ name: 'istio', namespace: 'istio-system', body: { ...cm, data: { mesh: 'again' } } }),
    );
    assert.equal(stale.code, 409);
    assert.equal(
      stale.message,
      'Operation cannot be fulfilled on configmaps "istio": the object has been modified; please ' +
        'apply your changes to the latest version and try again',
    );
    const wrongName = await rejection(
      core.replaceNamespacedConfigMap({
        name: 'istio',
        namespace: 'istio-system',
        body: { ...updated, metadata: { ...updated.metadata, name: 'other' } },
      }),
    );
    assert.equal(wrongName.message, 'the name of the object (other) does not match the name on the URL (istio)');
  });

  it('writes status through the status subresource only', async () => {
    const gwPath = '/apis/gateway.networking.k8s.io/v1/namespaces/istio-eastwest/gateways/istio-eastwest';
    const live = (await rawRequest(h, gwPath)).json() as Record<string, unknown> & {
      status: { conditions: { type: string; status: string }[] };
    };
    const next = structuredClone(live);
    next.status.conditions[0]!.status = 'False';
    const put = await rawRequest(h, `${gwPath}/status`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(next),
    });
    assert.equal(put.status, 200);
    const after = (await rawRequest(h, `${gwPath}/status`)).json() as typeof live;
    assert.equal(after.status.conditions[0]!.status, 'False');
  });

  it('patches a namespace label with merge, JSON and strategic merge patches', async () => {
    const merge = await core.patchNamespace(
      { name: 'bookinfo', body: { metadata: { labels: { 'topology.istio.io/network': 'net1' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal(merge.metadata?.labels?.['topology.istio.io/network'], 'net1');
    const json = await core.patchNamespace(
      { name: 'bookinfo', body: [{ op: 'replace', path: '/metadata/labels/topology.istio.io~1network', value: 'net2' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.equal(json.metadata?.labels?.['topology.istio.io/network'], 'net2');
    const smp = await core.patchNamespace(
      { name: 'bookinfo', body: { metadata: { labels: { 'topology.istio.io/network': null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.equal(smp.metadata?.labels?.['topology.istio.io/network'], undefined);
    assert.equal(smp.metadata?.labels?.['istio.io/dataplane-mode'], 'ambient');
  });

  it('refuses a strategic merge patch on a custom resource with 415', async () => {
    const res = await rawRequest(h, '/apis/networking.istio.io/v1/namespaces/istio-system/workloadentries/stale-peer-entry', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { a: 'b' } } }),
    });
    assert.equal(res.status, 415);
    assert.equal(res.json().reason, 'UnsupportedMediaType');
    assert.equal(
      res.json().message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, ' +
        'application/merge-patch+json, application/apply-patch+yaml',
    );
    const merged: unknown = await custom.patchNamespacedCustomObject(
      {
        group: 'networking.istio.io',
        version: 'v1',
        namespace: 'istio-system',
        plural: 'workloadentries',
        name: 'stale-peer-entry',
        body: { metadata: { labels: { checked: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal((merged as { metadata: { labels: Record<string, string> } }).metadata.labels.checked, 'yes');
  });

  it('a JSON patch test operation that fails leaves the object unchanged', async () => {
    const before = await core.readNamespace({ name: 'bookinfo' });
    const res = await rawRequest(h, '/api/v1/namespaces/bookinfo', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([
        { op: 'test', path: '/metadata/resourceVersion', value: '1' },
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
      ]),
    });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    const after = await core.readNamespace({ name: 'bookinfo' });
    assert.equal(after.metadata?.resourceVersion, before.metadata?.resourceVersion);
  });

  it('deletes with preconditions and dry-run; a custom resource delete answers a Success Status', async () => {
    const path = '/apis/networking.istio.io/v1/namespaces/istio-system/workloadentries/stale-peer-entry';
    const live = (await rawRequest(h, path)).json() as { metadata: { uid: string; resourceVersion: string } };
    const wrongUid = await rawRequest(h, path, {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'other-uid' } }),
    });
    assert.equal(wrongUid.status, 409);
    assert.equal(wrongUid.json().reason, 'Conflict');
    assert.match(String(wrongUid.json().message), /other-uid/);
    const success = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'stale-peer-entry', group: 'networking.istio.io', kind: 'workloadentries', uid: live.metadata.uid },
    };
    const dry: unknown = await custom.deleteNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'istio-system',
      plural: 'workloadentries',
      name: 'stale-peer-entry',
      // With a DeleteOptions body kube-apiserver reads only the body (test/contract/actions.contract.test.ts):
      // the `dryRun` parameter alone would be ignored and the entry really deleted, so it goes in the body.
      body: { dryRun: ['All'], preconditions: { uid: live.metadata.uid } },
    });
    assert.deepEqual(dry, success);
    assert.equal((await rawRequest(h, path)).status, 200);
    const gone = await rawRequest(h, `${path}?propagationPolicy=Background`, {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ preconditions: { uid: live.metadata.uid } }),
    });
    assert.equal(gone.status, 200);
    assert.deepEqual(gone.json(), success);
    assert.equal((await rawRequest(h, path)).status, 404);
  });

  it('deleting a pod answers with the pod (its registry returns the deleted object)', async () => {
    const pod = await core.deleteNamespacedPod({ name: 'productpage-v1-6b746f74dc-9x8y7', namespace: 'bookinfo', gracePeriodSeconds: 0 });
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata?.name, 'productpage-v1-6b746f74dc-9x8y7');
    const cm = await core.deleteNamespacedConfigMap({ name: 'istio', namespace: 'istio-system' });
    assert.equal(cm.status, 'Success');
    assert.equal(cm.details?.kind, 'configmaps');
  });

  it('rejects an unsupported dryRun value', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces/default/configmaps?dryRun=Some', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' } }),
    });
    assert.equal(res.status, 422);
    assert.equal(res.json().reason, 'Invalid');
  });

  it('serves apps/v1 and answers 405 for a method the resource does not allow', async () => {
    const deploy = await h.kubeConfig().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'istiod', namespace: 'istio-system' });
    assert.equal(deploy.status?.readyReplicas, 1);
    const res = await rawRequest(h, '/api/v1/namespaces/default/configmaps/istio', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 405);
    assert.equal(res.json().reason, 'MethodNotAllowed');
  });

  it('deletes a collection by label selector, leaving the rest', async () => {
    for (const [name, team] of [
      ['dc-a', 'x'],
      ['dc-b', 'x'],
      ['dc-c', 'y'],
    ] as const) {
      await core.createNamespacedConfigMap({ namespace: 'bookinfo', body: { metadata: { name, labels: { team } } } });
    }
    const res = await rawRequest(h, '/api/v1/namespaces/bookinfo/configmaps?labelSelector=team%3Dx', { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.deepEqual((res.json() as { kind: string; items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort(), [
      'dc-a',
      'dc-b',
    ]);
    const left = await core.listNamespacedConfigMap({ namespace: 'bookinfo' });
    assert.deepEqual(
      left.items.map((i) => i.metadata?.name),
      ['dc-c'],
    );
  });

  it('server-side apply creates, then updates, and requires a fieldManager', async () => {
    const path = '/api/v1/namespaces/bookinfo/configmaps/applied';
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v1\n';
    const noManager = await rawRequest(h, path, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: doc,
    });
    assert.equal(noManager.status, 422);
    const created = await rawRequest(h, `${path}?fieldManager=mesh-tui`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: doc,
    });
    assert.equal(created.status, 201);
    const updated = await rawRequest(h, `${path}?fieldManager=mesh-tui`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: doc.replace('k: v1', 'k: v2'),
    });
    assert.equal(updated.status, 200);
    assert.deepEqual((updated.json() as { data: Record<string, string> }).data, { k: 'v2' });
  });

  it('serves a single object as a Table row and as YAML when asked', async () => {
    const table = await rawRequest(h, '/api/v1/namespaces/istio-system/pods/ztunnel-x1y2z', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const t = table.json() as { kind: string; rows: { cells: unknown[] }[] };
    assert.equal(t.kind, 'Table');
    assert.deepEqual(
      t.rows.map((r) => r.cells[0]),
      ['ztunnel-x1y2z'],
    );
    const yaml = await rawRequest(h, '/api/v1/namespaces/istio-system', { headers: { Accept: 'application/yaml' } });
    assert.equal(yaml.headers.get('content-type'), 'application/yaml');
    assert.match(yaml.text, /^apiVersion: v1\nkind: Namespace\n/);
  });

  it('answers 403 Forbidden with the real message for a forbidden user', async () => {
    const { VIEWER_TOKEN } = await import('./harness.ts');
    const viewer = h.kubeConfig(VIEWER_TOKEN).makeApiClient(CoreV1Api);
    const secret = await rejection(viewer.readNamespacedSecret({ name: 'cacerts', namespace: 'istio-system' }));
    assert.equal(secret.code, 403);
    assert.equal(
      secret.message,
      'secrets "cacerts" is forbidden: User "viewer" cannot get resource "secrets" in API group "" in the namespace "istio-system"',
    );
    const pods = await rejection(viewer.listNamespacedPod({ namespace: 'kube-system' }));
    assert.equal(
      pods.message,
      'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    const allowed = await viewer.listNamespacedPod({ namespace: 'istio-system' });
    assert.equal(allowed.items.length, 2);
  });
});
