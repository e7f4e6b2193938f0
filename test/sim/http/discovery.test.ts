// Discovery, health and authentication as clients see them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, ApisApi, CoreV1Api, CustomObjectsApi, VersionApi } from '@kubernetes/client-node';
import { startHarness, rawRequest, EXPIRED_TOKEN, type Harness } from './harness.ts';

describe('simulated apiserver discovery and authentication', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ crdsMissing: ['segments.admin.solo.io'] });
  });
  after(() => h.close());

  it('serves /version to client-node', async () => {
    const info = await h.kubeConfig().makeApiClient(VersionApi).getCode();
    assert.equal(info.major, '1');
    assert.match(info.gitVersion, /^v1\.\d+\.\d+$/);
  });

  it('lists API groups with their preferred versions, without CRDs that are not installed', async () => {
    const groups = await h.kubeConfig().makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    assert.ok(names.includes('apps'));
    assert.ok(names.includes('gateway.networking.k8s.io'));
    assert.ok(names.includes('networking.istio.io'));
    assert.ok(!names.includes('admin.solo.io'));
    const gw = groups.groups.find((g) => g.name === 'gateway.networking.k8s.io');
    assert.equal(gw?.preferredVersion?.groupVersion, 'gateway.networking.k8s.io/v1');
  });

  it('describes core resources with verbs, short names and subresources', async () => {
    const list = await h.kubeConfig().makeApiClient(CoreV1Api).getAPIResources();
    const pods = list.resources.find((r) => r.name === 'pods');
    assert.equal(pods?.kind, 'Pod');
    assert.equal(pods?.namespaced, true);
    assert.deepEqual(pods?.shortNames, ['po']);
    assert.ok(pods?.verbs.includes('watch'));
    assert.deepEqual(list.resources.find((r) => r.name === 'pods/portforward')?.verbs, ['create', 'get']);
    assert.equal(list.resources.find((r) => r.name === 'namespaces')?.namespaced, false);
  });

  it('describes a CRD group version; removing the CRD at run time makes it 404', async () => {
    const api = h.kubeConfig().makeApiClient(CustomObjectsApi);
    const res = await api.getAPIResources({ group: 'networking.istio.io', version: 'v1' });
    assert.deepEqual(res.resources.map((r) => r.name).sort(), [
      'serviceentries',
      'serviceentries/status',
      'workloadentries',
      'workloadentries/status',
    ]);
    h.faults.setCrdMissing('serviceentries.networking.istio.io', true);
    h.faults.setCrdMissing('workloadentries.networking.istio.io', true);
    try {
      await assert.rejects(
        api.getAPIResources({ group: 'networking.istio.io', version: 'v1' }),
        (err: unknown) => err instanceof ApiException && err.code === 404,
      );
      const list = await rawRequest(h, '/apis/networking.istio.io/v1/workloadentries');
      assert.equal(list.status, 404);
      // Outside the built-in groups the real server's last handler is Go's http.NotFound.
      assert.equal(list.text, '404 page not found\n');
    } finally {
      h.faults.setCrdMissing('serviceentries.networking.istio.io', false);
      h.faults.setCrdMissing('workloadentries.networking.istio.io', false);
    }
    const back = await rawRequest(h, '/apis/networking.istio.io/v1/workloadentries');
    assert.equal(back.status, 200);
  });

  it('a CRD missing from the scenario is absent: the plain 404 of a path nothing serves', async () => {
    // What kube-apiserver 1.37 answers (the contract suite compares the two): not a Status.
    const res = await rawRequest(h, '/apis/admin.solo.io/v1alpha1/segments');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(res.text, '404 page not found\n');
    // Built-in groups keep the generic Status.
    const core = await rawRequest(h, '/api/v1/nothings');
    assert.equal(core.json().message, 'the server could not find the requested resource');
  });

  it('answers health probes with ok, even anonymously', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const res = await rawRequest(h, path, { token: null });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'ok');
    }
  });

  it('answers 401 Unauthorized for an unknown or expired token', async () => {
    for (const token of ['no-such-token', EXPIRED_TOKEN]) {
      const res = await rawRequest(h, '/api/v1/namespaces', { token });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const api = h.kubeConfig(EXPIRED_TOKEN).makeApiClient(CoreV1Api);
    await assert.rejects(api.listNamespace(), (err: unknown) => err instanceof ApiException && err.code === 401);
  });

  it('treats a request without credentials as system:anonymous (403 on resources)', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces', { token: null });
    assert.equal(res.status, 403);
    assert.equal(
      res.json().message,
      'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    const api = await rawRequest(h, '/api', { token: null });
    assert.equal(api.status, 403);
    assert.equal(api.json().message, 'forbidden: User "system:anonymous" cannot get path "/api"');
  });

  it('answers unknown paths with the generic 404 Status', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces/default/nosuchthings');
    assert.equal(res.status, 404);
    assert.equal(res.json().reason, 'NotFound');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.ok(res.headers.get('audit-id'));
  });
});
