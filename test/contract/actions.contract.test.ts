// The guided actions' writes, held to a real kube-apiserver: the product's own write code
// (src/kube/objectWrites.ts through a ContextClient) relabels with a merge patch that carries
// the uid and resourceVersion seen, deletes with DeleteOptions preconditions, dry-runs both, and
// asks SelfSubjectAccessReview — and the simulator must answer every one of those the same way:
// same status, same refusal, same effect on the stored object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractBackend } from './backends.ts';
import { useBothBackends } from './bothBackends.ts';
import { parseJson, type Json } from './normalize.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { canI, deleteWithPreconditions, getObject, patchLabel, type ObjectRef, type WriteResult } from '../../src/kube/objectWrites.ts';

const both = useBothBackends();
const { sameOnBoth } = both;
const NS = 'contract-actions';
const LABEL = 'topology.istio.io/network';

async function send(b: ContractBackend, method: string, path: string, body?: unknown): Promise<Json> {
  const r = await b.request('admin', method, path, body);
  if (r.status >= 300 && r.status !== 409) throw new Error(`${b.name}: ${method} ${path}: ${r.status} ${r.body}`);
  return parseJson(r.body);
}

async function clientOf(b: ContractBackend, user: 'admin' | 'restricted'): Promise<ContextClient> {
  const loaded = loadKubeconfig({ kubeconfigPath: await b.writeKubeconfig(user), context: b.context });
  const resolved = loaded.contexts[0];
  if (!resolved) throw new Error(`${b.name}: no context in the written kubeconfig`);
  return new ContextClient(resolved);
}

/** What a write answered, without what differs by nature (uids, resourceVersions, message wording). */
function outcome(r: WriteResult): { ok: boolean; status: number; refusal?: string; reason?: string } {
  return r.ok ? { ok: true, status: r.status } : { ok: false, status: r.status, refusal: r.refusal, reason: r.reason };
}

function meta(r: WriteResult): { uid: string; resourceVersion: string; labels: Record<string, string> } {
  if (!r.ok || !r.object) throw new Error(`expected an object, got ${JSON.stringify(r)}`);
  const m = r.object['metadata'] as { uid: string; resourceVersion: string; labels?: Record<string, string> };
  return { uid: m.uid, resourceVersion: m.resourceVersion, labels: m.labels ?? {} };
}

test('contract: the actions write the same way on kube-apiserver and the simulator', async (t) => {
  const skip = both.skipReason();
  if (skip !== null) {
    t.skip(skip);
    return;
  }

  await t.test('relabel: merge patch with resourceVersion and uid preconditions, dry run first', async () => {
    const real = await sameOnBoth(async (b) => {
      const name = `${NS}-ns`;
      await send(b, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { [LABEL]: 'old-net' } },
      });
      const client = await clientOf(b, 'admin');
      try {
        const ref: ObjectRef = { apiVersion: 'v1', kind: 'Namespace', name };
        const seen = meta(await getObject(client, ref));
        const dry = await patchLabel(client, ref, { key: LABEL, value: 'new-net' }, seen, { dryRun: true });
        const afterDry = meta(await getObject(client, ref));
        const staleRv = await patchLabel(
          client,
          ref,
          { key: LABEL, value: 'new-net' },
          { uid: seen.uid, resourceVersion: '1' },
          { dryRun: false },
        );
        const staleRvDry = await patchLabel(
          client,
          ref,
          { key: LABEL, value: 'new-net' },
          { uid: seen.uid, resourceVersion: '1' },
          { dryRun: true },
        );
        const otherUid = await patchLabel(
          client,
          ref,
          { key: LABEL, value: 'new-net' },
          { uid: '00000000-0000-0000-0000-000000000000', resourceVersion: seen.resourceVersion },
          { dryRun: false },
        );
        const afterRefusals = meta(await getObject(client, ref));
        const applied = await patchLabel(client, ref, { key: LABEL, value: 'new-net' }, seen, { dryRun: false });
        const afterApply = meta(await getObject(client, ref));
        const replay = await patchLabel(client, ref, { key: LABEL, value: 'newer-net' }, seen, { dryRun: false });
        return {
          dry: outcome(dry),
          dryChangedNothing: afterDry.resourceVersion === seen.resourceVersion && afterDry.labels[LABEL] === 'old-net',
          staleRv: outcome(staleRv),
          staleRvDry: outcome(staleRvDry),
          otherUid: outcome(otherUid),
          refusalsChangedNothing: afterRefusals.resourceVersion === seen.resourceVersion && afterRefusals.labels[LABEL] === 'old-net',
          applied: outcome(applied),
          label: afterApply.labels[LABEL],
          // The plan's preconditions are now stale: replaying it must be refused.
          replay: outcome(replay),
        };
      } finally {
        await client.close();
      }
    });
    // What the real server says, spelled out: the facts the actions rely on.
    assert.deepEqual(real.dry, { ok: true, status: 200 });
    assert.equal(real.dryChangedNothing, true, 'dryRun=All stores nothing');
    assert.deepEqual(
      real.staleRv,
      { ok: false, status: 409, refusal: 'conflict', reason: 'Conflict' },
      'a stale resourceVersion in a merge patch is a 409',
    );
    assert.deepEqual(real.staleRvDry, real.staleRv, 'the dry run checks it too');
    assert.equal(real.otherUid.ok, false, 'a uid that is not the live object is refused');
    assert.equal(real.refusalsChangedNothing, true);
    assert.deepEqual(real.applied, { ok: true, status: 200 });
    assert.equal(real.label, 'new-net');
    assert.deepEqual(real.replay, real.staleRv, 'a plan replayed after its own write is refused');
  });

  await t.test('relabel a Gateway (custom resource): the same preconditions hold', async () => {
    const real = await sameOnBoth(async (b) => {
      await send(b, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      await send(b, 'POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways`, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'istio-remote-peer-x', namespace: NS, labels: { [LABEL]: 'old-net' } },
        spec: { gatewayClassName: 'istio-remote', listeners: [{ name: 'cross-network', port: 15008, protocol: 'HBONE' }] },
      });
      const client = await clientOf(b, 'admin');
      try {
        const ref: ObjectRef = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: NS, name: 'istio-remote-peer-x' };
        const seen = meta(await getObject(client, ref));
        const dry = await patchLabel(client, ref, { key: LABEL, value: 'new-net' }, seen, { dryRun: true });
        const stale = await patchLabel(client, ref, { key: LABEL, value: 'new-net' }, { ...seen, resourceVersion: '1' }, { dryRun: false });
        const applied = await patchLabel(client, ref, { key: LABEL, value: 'new-net' }, seen, { dryRun: false });
        return {
          dry: outcome(dry),
          stale: outcome(stale),
          applied: outcome(applied),
          label: meta(await getObject(client, ref)).labels[LABEL],
        };
      } finally {
        await client.close();
      }
    });
    assert.deepEqual(real.dry, { ok: true, status: 200 });
    assert.deepEqual(real.stale, { ok: false, status: 409, refusal: 'conflict', reason: 'Conflict' });
    assert.deepEqual(real.applied, { ok: true, status: 200 });
    assert.equal(real.label, 'new-net');
  });

  await t.test('delete a WorkloadEntry with uid and resourceVersion preconditions, dry run first', async () => {
    const real = await sameOnBoth(async (b) => {
      await send(b, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      const name = 'autogenflat.west.bookinfo.reviews-1.0123456789ab';
      await send(b, 'POST', `/apis/networking.istio.io/v1/namespaces/${NS}/workloadentries`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: { name, namespace: NS, labels: { 'solo.io/source-workload': 'autogenflat.west.bookinfo.reviews-1' } },
        spec: { address: '10.11.1.9' },
      });
      const client = await clientOf(b, 'admin');
      try {
        const ref: ObjectRef = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', namespace: NS, name };
        const seen = meta(await getObject(client, ref));
        const staleUid = await deleteWithPreconditions(
          client,
          ref,
          { uid: '00000000-0000-0000-0000-000000000000', resourceVersion: seen.resourceVersion },
          { dryRun: false },
        );
        const staleRv = await deleteWithPreconditions(client, ref, { uid: seen.uid, resourceVersion: '1' }, { dryRun: false });
        const dry = await deleteWithPreconditions(client, ref, seen, { dryRun: true });
        const stillThere = outcome(await getObject(client, ref));
        const deleted = await deleteWithPreconditions(client, ref, seen, { dryRun: false });
        const gone = outcome(await getObject(client, ref));
        const again = await deleteWithPreconditions(client, ref, seen, { dryRun: false });
        // Why dryRun goes in the body: next to a DeleteOptions body the query string is not read.
        await send(b, 'POST', `/apis/networking.istio.io/v1/namespaces/${NS}/workloadentries`, {
          apiVersion: 'networking.istio.io/v1',
          kind: 'WorkloadEntry',
          metadata: { name: 'query-dry-run', namespace: NS },
          spec: { address: '10.11.1.10' },
        });
        const path = `/apis/networking.istio.io/v1/namespaces/${NS}/workloadentries/query-dry-run`;
        const queryDryRun = await b.request('admin', 'DELETE', `${path}?dryRun=All`, {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          preconditions: {},
        });
        const afterQueryDryRun = (await b.request('admin', 'GET', path)).status;
        return {
          queryDryRun: queryDryRun.status,
          afterQueryDryRun,
          staleUid: outcome(staleUid),
          staleRv: outcome(staleRv),
          dry: outcome(dry),
          stillThere,
          deleted: outcome(deleted),
          gone,
          again: outcome(again),
        };
      } finally {
        await client.close();
      }
    });
    assert.deepEqual(real.staleUid, { ok: false, status: 409, refusal: 'conflict', reason: 'Conflict' });
    assert.deepEqual(real.staleRv, real.staleUid);
    assert.deepEqual(real.dry, { ok: true, status: 200 });
    assert.deepEqual(real.stillThere, { ok: true, status: 200 }, 'a dry-run delete deletes nothing');
    assert.deepEqual(real.deleted, { ok: true, status: 200 });
    assert.deepEqual(real.gone, { ok: false, status: 404, refusal: 'notFound', reason: 'NotFound' });
    assert.deepEqual(real.again, real.gone);
    assert.deepEqual([real.queryDryRun, real.afterQueryDryRun], [200, 404], '?dryRun=All beside a body deletes for real');
  });

  await t.test('SelfSubjectAccessReview: admin may, the restricted reader may read but not write', async () => {
    const real = await sameOnBoth(async (b) => {
      const admin = await clientOf(b, 'admin');
      const restricted = await clientOf(b, 'restricted');
      try {
        const patchGateways = { verb: 'patch', group: 'gateway.networking.k8s.io', resource: 'gateways', namespace: NS };
        const deleteEntries = { verb: 'delete', group: 'networking.istio.io', resource: 'workloadentries', namespace: NS };
        const patchNamespaces = { verb: 'patch', group: '', resource: 'namespaces' };
        const getPods = { verb: 'get', group: '', resource: 'pods', namespace: NS };
        const state = async (c: ContextClient, q: Parameters<typeof canI>[1]): Promise<string> => (await canI(c, q)).state;
        return {
          admin: await Promise.all([patchGateways, deleteEntries, patchNamespaces, getPods].map((q) => state(admin, q))),
          restricted: await Promise.all([patchGateways, deleteEntries, patchNamespaces, getPods].map((q) => state(restricted, q))),
        };
      } finally {
        await admin.close();
        await restricted.close();
      }
    });
    assert.deepEqual(real.admin, ['allowed', 'allowed', 'allowed', 'allowed']);
    assert.deepEqual(real.restricted, ['denied', 'denied', 'denied', 'allowed']);
  });
});
