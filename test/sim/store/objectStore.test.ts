import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sim/api/status.ts';
import type { KubeObject } from '../../../src/sim/api/types.ts';
import { configMap, gateway, namespace, newStore, pod } from './fixtures.ts';

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return { code: e.status.code, reason: e.status.reason, message: e.status.message };
  }
  assert.fail('expected an ApiError');
}

function setup(): ReturnType<typeof newStore> {
  const s = newStore();
  s.store.seed([namespace('default'), namespace('istio-system')]);
  return s;
}

describe('create', () => {
  it('fills uid, resourceVersion, creationTimestamp, generation and managedFields', () => {
    const { store, rt } = setup();
    const before = Number(store.currentResourceVersion());
    const created = store.create(rt('v1', 'Pod'), pod('default', 'p1'), { fieldManager: 'kubectl-create' });
    assert.match(created.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.metadata.resourceVersion, String(before + 1));
    assert.equal(store.currentResourceVersion(), String(before + 1));
    assert.match(created.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(created.metadata.generation, 1);
    const mf = created.metadata.managedFields?.[0];
    assert.equal(mf?.manager, 'kubectl-create');
    assert.equal(mf?.operation, 'Update');
    assert.equal(mf?.apiVersion, 'v1');
    assert.equal(mf?.fieldsType, 'FieldsV1');
    assert.deepEqual(created.status, { phase: 'Pending', qosClass: 'BestEffort' }, 'a client cannot create a pod with status');
  });

  it('ConfigMaps have no generation; custom resources do and lose status on create', () => {
    const { store, rt } = setup();
    assert.equal(store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {}).metadata.generation, undefined);
    const gw = store.create(rt('gateway.networking.k8s.io/v1', 'Gateway'), { ...gateway('default', 'g'), status: { x: 1 } }, {});
    assert.equal(gw.metadata.generation, 1);
    assert.equal(gw.status, undefined);
  });

  it('namespaces get the metadata.name label, the kubernetes finalizer and phase Active', () => {
    const { store, rt } = setup();
    const ns = store.create(rt('v1', 'Namespace'), namespace('team-a'), {});
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'team-a');
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
  });

  it('refuses an existing name with 409 AlreadyExists', () => {
    const { store, rt } = setup();
    store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    assert.deepEqual(
      statusOf(() => store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {})),
      {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "c" already exists',
      },
    );
  });

  it('refuses a namespaced object in a missing namespace with 404 for the namespace', () => {
    const { store, rt } = setup();
    assert.deepEqual(
      statusOf(() => store.create(rt('v1', 'ConfigMap'), configMap('nope', 'c'), {})),
      {
        code: 404,
        reason: 'NotFound',
        message: 'namespaces "nope" not found',
      },
    );
  });

  it('validates names, labels and required fields with the real 422 wording', () => {
    const { store, rt } = setup();
    const bad = statusOf(() => store.create(rt('v1', 'ConfigMap'), configMap('default', 'Bad_Name'), {}));
    assert.equal(bad.code, 422);
    assert.equal(bad.reason, 'Invalid');
    assert.equal(
      bad.message,
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC ` +
        `1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start ` +
        `and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    const noName = statusOf(() => store.create(rt('v1', 'ConfigMap'), configMap('default', ''), {}));
    assert.equal(noName.message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const badLabel = statusOf(() => store.create(rt('v1', 'ConfigMap'), configMap('default', 'c', {}, { app: 'has space' }), {}));
    assert.match(
      badLabel.message,
      /^ConfigMap "c" is invalid: metadata\.labels: Invalid value: "has space": a valid label must be an empty string/,
    );
    const noContainers: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: {} };
    assert.equal(
      statusOf(() => store.create(rt('v1', 'Pod'), noContainers, {})).message,
      'Pod "p" is invalid: spec.containers: Required value',
    );
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1svc', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    };
    assert.match(
      statusOf(() => store.create(rt('v1', 'Service'), svc, {})).message,
      /a DNS-1035 label must consist of lower case alphanumeric characters/,
    );
    assert.match(
      statusOf(() => store.create(rt('v1', 'Namespace'), namespace('a.b'), {})).message,
      /metadata\.name: Invalid value: "a\.b": must not contain dots/,
    );
  });

  it('generateName makes a name with a random suffix', () => {
    const { store, rt } = setup();
    const obj = configMap('default', '');
    obj.metadata.generateName = 'cfg-';
    const created = store.create(rt('v1', 'ConfigMap'), obj, {});
    assert.match(created.metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('dryRun returns the would-be object and stores nothing, bumping no resourceVersion', () => {
    const { store, rt } = setup();
    const rv = store.currentResourceVersion();
    const created = store.create(rt('v1', 'ConfigMap'), configMap('default', 'dry'), { dryRun: true });
    assert.equal(created.metadata.name, 'dry');
    assert.equal(created.metadata.resourceVersion, undefined);
    assert.equal(store.currentResourceVersion(), rv);
    assert.equal(statusOf(() => store.get(rt('v1', 'ConfigMap'), 'default', 'dry')).code, 404);
  });

  it('never lets a caller change what is stored', () => {
    const { store, rt } = setup();
    const input = configMap('default', 'c', { a: '1' });
    const created = store.create(rt('v1', 'ConfigMap'), input, {});
    (input.data as Record<string, string>).a = 'changed';
    assert.throws(() => {
      (created.data as Record<string, string>).a = 'changed';
    }, TypeError);
    assert.throws(() => {
      created.metadata.name = 'x';
    }, TypeError);
    assert.deepEqual(store.get(rt('v1', 'ConfigMap'), 'default', 'c').data, { a: '1' });
  });
});

describe('get', () => {
  it('404 with the group-qualified resource for custom resources', () => {
    const { store, rt } = setup();
    assert.equal(
      statusOf(() => store.get(rt('gateway.networking.k8s.io/v1', 'Gateway'), 'default', 'x')).message,
      'gateways.gateway.networking.k8s.io "x" not found',
    );
  });
});

describe('update', () => {
  it('bumps resourceVersion; a stale resourceVersion is a 409 Conflict with the real message', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c', { a: '1' }), {});
    const updated = store.update(rt('v1', 'ConfigMap'), { ...cm, data: { a: '2' } }, {});
    assert.ok(Number(updated.metadata.resourceVersion) > Number(cm.metadata.resourceVersion));
    assert.deepEqual(
      statusOf(() => store.update(rt('v1', 'ConfigMap'), { ...cm, data: { a: '3' } }, {})),
      {
        code: 409,
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply ' +
          'your changes to the latest version and try again',
      },
    );
  });

  it('a no-op update keeps the resourceVersion', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c', { a: '1' }), {});
    const same = store.update(rt('v1', 'ConfigMap'), { ...cm }, {});
    assert.equal(same.metadata.resourceVersion, cm.metadata.resourceVersion);
  });

  it('built-ins accept an update without resourceVersion; custom resources answer 422', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    const unconditional = { ...cm, metadata: { ...cm.metadata, resourceVersion: undefined }, data: { b: '1' } };
    assert.deepEqual(store.update(rt('v1', 'ConfigMap'), unconditional, {}).data, { b: '1' });
    const gwType = rt('gateway.networking.k8s.io/v1', 'Gateway');
    const gw = store.create(gwType, gateway('default', 'g'), {});
    const err = statusOf(() => store.update(gwType, { ...gw, metadata: { ...gw.metadata, resourceVersion: undefined } }, {}));
    assert.equal(err.code, 422);
    assert.equal(
      err.message,
      'gateways.gateway.networking.k8s.io "g" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
  });

  it('main resource ignores status, the status subresource changes only status; generation follows spec', () => {
    const { store, rt } = setup();
    const gwType = rt('gateway.networking.k8s.io/v1', 'Gateway');
    const gw = store.create(gwType, gateway('default', 'g'), {});
    const withStatus = store.update(
      gwType,
      { ...gw, status: { conditions: [{ type: 'Programmed', status: 'True' }] } },
      { subresource: 'status' },
    );
    assert.deepEqual(withStatus.status, { conditions: [{ type: 'Programmed', status: 'True' }] });
    assert.equal(withStatus.metadata.generation, 1);
    const ignored = store.update(
      gwType,
      { ...withStatus, status: { conditions: [] }, metadata: { ...withStatus.metadata, labels: { a: 'b' } } },
      {},
    );
    assert.deepEqual(ignored.status, withStatus.status);
    assert.deepEqual(ignored.metadata.labels, { a: 'b' });
    assert.equal(ignored.metadata.generation, 1, 'metadata changes keep generation');
    const specChange = store.update(gwType, { ...ignored, spec: { gatewayClassName: 'istio-remote', listeners: [] } }, {});
    assert.equal(specChange.metadata.generation, 2);
    const specViaStatus = store.update(gwType, { ...specChange, spec: { gatewayClassName: 'other' } }, { subresource: 'status' });
    assert.deepEqual(specViaStatus.spec, { gatewayClassName: 'istio-remote', listeners: [] });
  });

  it("updating a missing object is 404; system fields stay the server's", () => {
    const { store, rt } = setup();
    assert.equal(statusOf(() => store.update(rt('v1', 'ConfigMap'), configMap('default', 'nope'), {})).code, 404);
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    const changed = store.update(
      rt('v1', 'ConfigMap'),
      { ...cm, metadata: { ...cm.metadata, creationTimestamp: '2000-01-01T00:00:00Z' }, data: { x: 'y' } },
      {},
    );
    assert.equal(changed.metadata.creationTimestamp, cm.metadata.creationTimestamp);
    assert.equal(changed.metadata.uid, cm.metadata.uid);
    const otherUid = statusOf(() =>
      store.update(rt('v1', 'ConfigMap'), { ...changed, metadata: { ...changed.metadata, uid: 'other' } }, {}),
    );
    assert.equal(otherUid.message, 'ConfigMap "c" is invalid: metadata.uid: Invalid value: "other": field is immutable');
  });

  it('a second field manager gets its own managedFields entry', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), { fieldManager: 'a' });
    const updated = store.update(rt('v1', 'ConfigMap'), { ...cm, data: { k: 'v' } }, { fieldManager: 'b' });
    assert.deepEqual(
      updated.metadata.managedFields?.map((m) => m.manager),
      ['a', 'b'],
    );
  });
});

describe('delete', () => {
  it('returns the final state with a new resourceVersion and removes the object', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    const gone = store.delete(rt('v1', 'ConfigMap'), 'default', 'c', {});
    assert.ok(Number(gone.metadata.resourceVersion) > Number(cm.metadata.resourceVersion));
    assert.equal(gone.metadata.uid, cm.metadata.uid);
    assert.equal(statusOf(() => store.get(rt('v1', 'ConfigMap'), 'default', 'c')).code, 404);
    assert.equal(statusOf(() => store.delete(rt('v1', 'ConfigMap'), 'default', 'c', {})).message, 'configmaps "c" not found');
  });

  it('pods go at once, carrying deletionTimestamp and grace period', () => {
    const { store, rt } = setup();
    store.create(rt('v1', 'Pod'), pod('default', 'p'), {});
    const gone = store.delete(rt('v1', 'Pod'), 'default', 'p', {});
    assert.ok(gone.metadata.deletionTimestamp);
    assert.equal(gone.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(store.list(rt('v1', 'Pod'), { namespace: 'default' }).items.length, 0);
  });

  it('preconditions refuse with 409 worded like BeforeDelete', () => {
    const { store, rt } = setup();
    const cm = store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    assert.deepEqual(
      statusOf(() => store.delete(rt('v1', 'ConfigMap'), 'default', 'c', { preconditions: { uid: 'abc' } })),
      {
        code: 409,
        reason: 'Conflict',
        message:
          `Operation cannot be fulfilled on ConfigMap "c": the UID in the precondition (abc) does not ` +
          `match the UID in record (${cm.metadata.uid}). The object might have been deleted and then ` +
          `recreated`,
      },
    );
    assert.deepEqual(
      statusOf(() => store.delete(rt('v1', 'ConfigMap'), 'default', 'c', { preconditions: { resourceVersion: '1' } })),
      {
        code: 409,
        reason: 'Conflict',
        message:
          `Operation cannot be fulfilled on ConfigMap "c": the ResourceVersion in the precondition (1) ` +
          `does not match the ResourceVersion in record (${cm.metadata.resourceVersion}). The object ` +
          `might have been modified`,
      },
    );
    const ok = store.delete(rt('v1', 'ConfigMap'), 'default', 'c', {
      preconditions: { uid: cm.metadata.uid ?? '', resourceVersion: cm.metadata.resourceVersion ?? '' },
    });
    assert.equal(ok.metadata.name, 'c');
  });

  it('dryRun deletes nothing', () => {
    const { store, rt } = setup();
    store.create(rt('v1', 'ConfigMap'), configMap('default', 'c'), {});
    const rv = store.currentResourceVersion();
    store.delete(rt('v1', 'ConfigMap'), 'default', 'c', { dryRun: true });
    assert.equal(store.currentResourceVersion(), rv);
    assert.equal(store.get(rt('v1', 'ConfigMap'), 'default', 'c').metadata.name, 'c');
  });

  it('deleting a namespace deletes what is in it; default and kube-system cannot be deleted', () => {
    const { store, rt } = setup();
    store.create(rt('v1', 'Namespace'), namespace('team'), {});
    store.create(rt('v1', 'Pod'), pod('team', 'p'), {});
    store.create(rt('v1', 'ConfigMap'), configMap('team', 'c'), {});
    store.create(rt('gateway.networking.k8s.io/v1', 'Gateway'), gateway('team', 'g'), {});
    store.create(rt('v1', 'ConfigMap'), configMap('default', 'keep'), {});
    const ns = store.delete(rt('v1', 'Namespace'), undefined, 'team', {});
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    assert.equal(store.list(rt('v1', 'Pod'), { namespace: 'team' }).items.length, 0);
    assert.equal(store.list(rt('v1', 'ConfigMap'), {}).items.length, 1);
    assert.equal(store.list(rt('gateway.networking.k8s.io/v1', 'Gateway'), {}).items.length, 0);
    assert.equal(statusOf(() => store.get(rt('v1', 'Namespace'), undefined, 'team')).code, 404);
    assert.deepEqual(
      statusOf(() => store.delete(rt('v1', 'Namespace'), undefined, 'default', {})),
      {
        code: 403,
        reason: 'Forbidden',
        message: 'namespaces "default" is forbidden: this namespace may not be deleted',
      },
    );
  });

  it('finalizers hold an object until an update removes the last one', () => {
    const { store, rt } = setup();
    const cmType = rt('v1', 'ConfigMap');
    store.create(
      cmType,
      { ...configMap('default', 'c'), metadata: { name: 'c', namespace: 'default', finalizers: ['example.com/hold'] } },
      {},
    );
    const marked = store.delete(cmType, 'default', 'c', {});
    assert.ok(marked.metadata.deletionTimestamp);
    assert.equal(store.get(cmType, 'default', 'c').metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
    store.update(cmType, { ...marked, metadata: { ...marked.metadata, finalizers: [] } }, {});
    assert.equal(statusOf(() => store.get(cmType, 'default', 'c')).code, 404);
  });
});

describe('seed', () => {
  it('loads namespaces first and keeps given status; CRs of missing CRDs are kept out of routing', () => {
    const { store, rt, registry } = newStore({ crdsMissing: ['segments.admin.solo.io'] });
    store.seed([pod('istio-system', 'istiod-1', { phase: 'Running' }), namespace('istio-system')]);
    const p = store.get(rt('v1', 'Pod'), 'istio-system', 'istiod-1');
    assert.deepEqual(p.status, { phase: 'Running' });
    assert.ok(p.metadata.uid);
    assert.equal(registry.byKind('admin.solo.io/v1alpha1', 'Segment'), undefined);
    assert.equal(registry.find('admin.solo.io', 'v1alpha1', 'segments'), undefined);
    registry.setInstalled('segments.admin.solo.io', true);
    assert.ok(registry.served().some((t) => t.kind === 'Segment'));
  });
});

describe('defaulting', () => {
  it('fills pod and container defaults like SetDefaults_Pod', () => {
    const { store, rt } = setup();
    const p = store.create(rt('v1', 'Pod'), pod('default', 'p'), {});
    const spec = p.spec as Record<string, unknown> & { containers: Record<string, unknown>[] };
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.containers[0]?.imagePullPolicy, 'Always', 'untagged images are pulled always');
    assert.equal(spec.containers[0]?.terminationMessagePath, '/dev/termination-log');
  });

  it('allocates distinct cluster IPs and defaults service ports', () => {
    const { store, rt } = setup();
    const svcType = rt('v1', 'Service');
    const make = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { ports: [{ port: 15008 }] },
    });
    const a = store.create(svcType, make('a'), {}).spec as Record<string, unknown> & { ports: Record<string, unknown>[] };
    const b = store.create(svcType, make('b'), {}).spec as Record<string, unknown>;
    assert.match(String(a.clusterIP), /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    assert.notEqual(a.clusterIP, b.clusterIP);
    assert.deepEqual(a.clusterIPs, [a.clusterIP]);
    assert.equal(a.type, 'ClusterIP');
    assert.deepEqual(a.ports[0], { port: 15008, protocol: 'TCP', targetPort: 15008 });
  });

  it('seeded objects are defaulted: a no-op keeps resourceVersion, a metadata change keeps generation', () => {
    const { store, rt } = newStore();
    store.seed([namespace('default'), pod('default', 'bare')]);
    const seeded = store.get(rt('v1', 'Pod'), 'default', 'bare');
    assert.equal((seeded.spec as { restartPolicy?: string }).restartPolicy, 'Always', 'seeded objects are stored defaulted');
    assert.equal(store.update(rt('v1', 'Pod'), seeded, {}).metadata.resourceVersion, seeded.metadata.resourceVersion);
    const relabelled = store.update(rt('v1', 'Pod'), { ...seeded, metadata: { ...seeded.metadata, labels: { a: 'b' } } }, {});
    assert.equal(relabelled.metadata.generation, 1);
    const changed = store.update(
      rt('v1', 'Pod'),
      { ...relabelled, spec: { ...(relabelled.spec as object), activeDeadlineSeconds: 5 } },
      {},
    );
    assert.equal(changed.metadata.generation, 2);
  });
});

describe('annotation size', () => {
  it('refuses more than 256 KiB of annotations with Too long', () => {
    const { store, rt } = setup();
    const big = configMap('default', 'big');
    big.metadata.annotations = { 'example.com/blob': 'x'.repeat(256 * 1024) };
    const err = statusOf(() => store.create(rt('v1', 'ConfigMap'), big, {}));
    assert.equal(err.code, 422);
    assert.equal(err.message, 'ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes');
    big.metadata.annotations = { 'example.com/blob': 'x'.repeat(1024) };
    assert.equal(store.create(rt('v1', 'ConfigMap'), big, {}).metadata.name, 'big');
  });
});
