// Lists: selectors, pagination, Table and metadata-only representations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, setHeaderOptions } from '@kubernetes/client-node';
import { startHarness, rawRequest, type Harness } from './harness.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Table {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string };
  columnDefinitions: { name: string; priority: number; type: string }[];
  rows: { cells: unknown[]; object?: { kind: string; metadata: { name: string } } }[];
}

describe('simulated apiserver lists', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('lists every namespace with kind, apiVersion and a resourceVersion', async () => {
    const res = await rawRequest(h, '/api/v1/pods');
    const body = res.json() as {
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion: string };
      items: Record<string, unknown>[];
    };
    assert.equal(body.kind, 'PodList');
    assert.equal(body.apiVersion, 'v1');
    assert.match(body.metadata.resourceVersion, /^\d+$/);
    assert.equal(body.items.length, 4);
    // Typed lists carry no per-item kind, as the real server's typed encoding does not.
    assert.equal(body.items[0]!.kind, undefined);
    const crs = (await rawRequest(h, '/apis/gateway.networking.k8s.io/v1/gateways')).json() as { items: { kind: string }[] };
    assert.equal(crs.items[0]!.kind, 'Gateway');
  });

  it('filters by label and field selectors', async () => {
    const core = h.kubeConfig().makeApiClient(CoreV1Api);
    const byLabel = await core.listPodForAllNamespaces({ labelSelector: 'app in (istiod,ztunnel)' });
    assert.deepEqual(byLabel.items.map((p) => p.metadata?.name).sort(), ['istiod-7d4b9c6f5-abcde', 'ztunnel-x1y2z']);
    const byField = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=kube-system' });
    assert.deepEqual(
      byField.items.map((p) => p.metadata?.name),
      ['coredns-5d78c9869d-q2w3e'],
    );
    const bad = await rawRequest(h, '/api/v1/pods?fieldSelector=spec.nope%3Dx');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().reason, 'BadRequest');
  });

  it('pages with limit and continue', async () => {
    const core = h.kubeConfig().makeApiClient(CoreV1Api);
    const first = await core.listNamespace({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata?._continue);
    const names = first.items.map((n) => n.metadata?.name);
    let cont: string | undefined = first.metadata?._continue;
    while (cont) {
      const next = await core.listNamespace({ limit: 2, _continue: cont });
      names.push(...next.items.map((n) => n.metadata?.name));
      cont = next.metadata?._continue;
    }
    assert.deepEqual(names, ['bookinfo', 'default', 'istio-eastwest', 'istio-system', 'kube-system']);
  });

  it('renders pods as a Table with the real default columns', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces/istio-system/pods', { headers: { Accept: `${TABLE},application/json` } });
    assert.equal(res.status, 200);
    const t = res.json() as unknown as Table;
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(
      t.columnDefinitions.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    const istiod = t.rows.find((r) => r.cells[0] === 'istiod-7d4b9c6f5-abcde');
    assert.deepEqual(istiod?.cells.slice(0, 4), ['istiod-7d4b9c6f5-abcde', '1/1', 'Running', '0']);
    assert.equal(istiod?.cells[4], '3h');
    assert.equal(istiod?.cells[5], '10.244.0.5');
    assert.equal(istiod?.object?.kind, 'PartialObjectMetadata');
  });

  it('renders namespaces, gateways and CRDs without printer columns', async () => {
    const ns = (await rawRequest(h, '/api/v1/namespaces', { headers: { Accept: TABLE } })).json() as unknown as Table;
    assert.deepEqual(
      ns.columnDefinitions.map((c) => c.name),
      ['Name', 'Status', 'Age'],
    );
    assert.deepEqual(ns.rows.find((r) => r.cells[0] === 'default')?.cells.slice(0, 2), ['default', 'Active']);
    const gw = (
      await rawRequest(h, '/apis/gateway.networking.k8s.io/v1/gateways', { headers: { Accept: TABLE } })
    ).json() as unknown as Table;
    assert.deepEqual(
      gw.columnDefinitions.map((c) => c.name),
      ['Name', 'Class', 'Address', 'Programmed', 'Age'],
    );
    assert.deepEqual(gw.rows[0]?.cells.slice(0, 4), ['istio-eastwest', 'istio-eastwest', '172.18.0.10', 'True']);
    const seg = (await rawRequest(h, '/apis/admin.solo.io/v1alpha1/segments', { headers: { Accept: TABLE } })).json() as unknown as Table;
    assert.deepEqual(
      seg.columnDefinitions.map((c) => c.name),
      ['Name', 'Age'],
    );
  });

  it('includes the whole object in Table rows when asked (includeObject=Object)', async () => {
    const t = (await rawRequest(h, '/api/v1/namespaces?includeObject=Object', { headers: { Accept: TABLE } })).json() as unknown as Table;
    assert.equal(t.rows[0]?.object?.kind, 'Namespace');
  });

  it('serves metadata-only lists (PartialObjectMetadataList)', async () => {
    const custom = h.kubeConfig().makeApiClient(CustomObjectsApi);
    const list = (await custom.listClusterCustomObject(
      { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gatewayclasses' },
      setHeaderOptions('Accept', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'),
    )) as { kind: string; items: { kind: string; apiVersion: string; metadata: { name: string }; spec?: unknown }[] };
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.items[0]?.kind, 'PartialObjectMetadata');
    assert.equal(list.items[0]?.apiVersion, 'meta.k8s.io/v1');
    assert.equal(list.items[0]?.metadata.name, 'istio-eastwest');
    assert.equal(list.items[0]?.spec, undefined);
  });

  it('answers 406 when no acceptable representation is offered', async () => {
    const res = await rawRequest(h, '/api/v1/namespaces', { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(res.status, 406);
    assert.equal(res.json().reason, 'NotAcceptable');
  });
});
