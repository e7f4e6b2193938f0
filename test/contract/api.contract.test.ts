// The simulator held to a real kube-apiserver: the same requests go to both, and what a client
// observes (status code, media type, Status reason/message/details/causes, object and list
// shapes) must be equal after normalize() hides uids, resourceVersions and timestamps.
// Requests that change state use a namespace per test, created the same way on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractBackend } from './backends.ts';
import { useBothBackends } from './bothBackends.ts';
import { observe, normalize, parseJson, type Json, type Observed } from './normalize.ts';
import { openLogStream } from './harness/logStream.ts';
import { request as httpsRequest } from 'node:https';

const LOG_POD = { namespace: 'contract-logs', pod: 'logger', container: 'app' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

const both = useBothBackends({ logContainers: [LOG_POD] });
const { sameOnBoth } = both;

async function call(b: ContractBackend, method: string, path: string, body?: unknown, contentType?: string): Promise<Observed> {
  return observe(await b.request('admin', method, path, body, contentType));
}

async function ensureNamespace(b: ContractBackend, name: string): Promise<void> {
  const r = await b.request('admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`${b.name}: create namespace ${name}: ${r.status} ${r.body}`);
}

function configMap(name: string, labels: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { key: name } };
}

function gateway(namespace: string, name: string): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace, labels: { 'topology.istio.io/network': 'net1' } },
    spec: { gatewayClassName: 'istio-eastwest', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

function field(value: Json, ...path: string[]): Json {
  let at: Json = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return null;
    at = at[key] ?? null;
  }
  return at;
}

function itemNames(body: Json): Json {
  const items = field(body, 'items');
  return Array.isArray(items) ? items.map((i) => field(i, 'metadata', 'name')) : null;
}

test('contract: the simulator answers like kube-apiserver', async (t) => {
  const skip = both.skipReason();
  if (skip !== null) {
    t.skip(skip);
    return;
  }

  await t.test('list: label selector, field selector, limit and continue', async () => {
    const ns = 'contract-list';
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      for (const [name, app] of [
        ['cm-1', 'a'],
        ['cm-2', 'b'],
        ['cm-3', 'a'],
        ['cm-4', 'a'],
      ] as const) {
        assert.equal((await b.request('admin', 'POST', base, configMap(name, { app }))).status, 201);
      }
      const byLabel = await call(b, 'GET', `${base}?labelSelector=app%3Da`);
      const byLabelSet = await call(b, 'GET', `${base}?labelSelector=app+in+(b)`);
      const byField = await call(b, 'GET', `${base}?fieldSelector=metadata.name%3Dcm-2`);
      const badField = await call(b, 'GET', `${base}?fieldSelector=spec.nothing%3Dx`);
      const badLabel = await call(b, 'GET', `${base}?labelSelector=app%3D%3D%3Da`);
      const page1Raw = await b.request('admin', 'GET', `${base}?limit=3`);
      const page1 = observe(page1Raw);
      const continued = field(parseJson(page1Raw.body), 'metadata', 'continue');
      const token = typeof continued === 'string' ? continued : '';
      const page2 = await call(b, 'GET', `${base}?limit=3&continue=${encodeURIComponent(token)}`);
      // A token of another encoding version (Go's JSON syntax error texts are not modelled).
      const badContinue = await call(
        b,
        'GET',
        `${base}?limit=3&continue=${Buffer.from('{"v":"meta.k8s.io/v0","rv":5,"start":"x"}').toString('base64url')}`,
      );
      return {
        byLabel: { status: byLabel.status, names: itemNames(byLabel.body), kind: field(byLabel.body, 'kind') },
        byLabelSet: itemNames(byLabelSet.body),
        byField: itemNames(byField.body),
        badField,
        badLabel,
        page1: { status: page1.status, names: itemNames(page1.body), metadata: field(page1.body, 'metadata') },
        page2: { status: page2.status, names: itemNames(page2.body), metadata: field(page2.body, 'metadata') },
        badContinue,
      };
    });
  });

  await t.test('a created object and its list look the same', async () => {
    const ns = 'contract-shape';
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const created = await call(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('shape', { app: 'x' }));
      const got = await call(b, 'GET', `/api/v1/namespaces/${ns}/configmaps/shape`);
      const gw = await call(b, 'POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`, gateway(ns, 'gw'));
      const ns_ = await call(b, 'GET', `/api/v1/namespaces/${ns}`);
      return { created, got, gw, ns: ns_ };
    });
  });

  await t.test('merge and JSON patches on a Namespace', async () => {
    const ns = 'contract-patch-ns';
    const path = `/api/v1/namespaces/${ns}`;
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const merge = await call(
        b,
        'PATCH',
        path,
        { metadata: { labels: { 'topology.istio.io/network': 'net2' } } },
        'application/merge-patch+json',
      );
      const json = await call(
        b,
        'PATCH',
        path,
        [{ op: 'add', path: '/metadata/labels/tier', value: 'one' }],
        'application/json-patch+json',
      );
      const remove = await call(b, 'PATCH', path, [{ op: 'remove', path: '/metadata/labels/tier' }], 'application/json-patch+json');
      const failedTest = await call(
        b,
        'PATCH',
        path,
        [{ op: 'test', path: '/metadata/labels/topology.istio.io~1network', value: 'net9' }],
        'application/json-patch+json',
      );
      const missingPath = await call(b, 'PATCH', path, [{ op: 'remove', path: '/metadata/labels/absent' }], 'application/json-patch+json');
      const notJson = await call(b, 'PATCH', path, '{not json', 'application/merge-patch+json');
      return { merge, json, remove, failedTest, missingPath, notJson };
    });
  });

  await t.test('merge, JSON and strategic merge patches on a Gateway', async () => {
    const ns = 'contract-patch-gw';
    const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways/gw`;
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      await call(b, 'POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`, gateway(ns, 'gw'));
      const merge = await call(
        b,
        'PATCH',
        path,
        { metadata: { labels: { 'topology.istio.io/network': 'net2' } } },
        'application/merge-patch+json',
      );
      const json = await call(
        b,
        'PATCH',
        path,
        [{ op: 'replace', path: '/spec/listeners/0/port', value: 15009 }],
        'application/json-patch+json',
      );
      const strategic = await call(b, 'PATCH', path, { metadata: { labels: { x: 'y' } } }, 'application/strategic-merge-patch+json');
      const missing = await call(b, 'PATCH', `${path}-absent`, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
      return { merge, json, strategic, missing };
    });
    assert.equal(result.strategic.status, 415);
    assert.equal(result.missing.status, 404);
  });

  await t.test('delete with stale uid and resourceVersion preconditions', async () => {
    const ns = 'contract-delete';
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const path = `/api/v1/namespaces/${ns}/configmaps/victim`;
      await call(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('victim', {}));
      const staleUid = await call(b, 'DELETE', path, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { uid: '00000000-0000-0000-0000-000000000000' },
      });
      const staleRv = await call(b, 'DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: '1' } });
      const deleted = await call(b, 'DELETE', path);
      const again = await call(b, 'DELETE', path);
      return { staleUid, staleRv, deleted, again };
    });
    assert.equal(result.staleUid.status, 409);
    assert.equal(result.staleRv.status, 409);
    assert.equal(result.again.status, 404);
  });

  await t.test('dryRun=All on create, patch and delete changes nothing', async () => {
    const ns = 'contract-dryrun';
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const base = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`;
      const create = await call(b, 'POST', `${base}?dryRun=All`, gateway(ns, 'dry'));
      const afterCreate = await call(b, 'GET', `${base}/dry`);
      await call(b, 'POST', base, gateway(ns, 'real'));
      const patch = await call(
        b,
        'PATCH',
        `${base}/real?dryRun=All`,
        { metadata: { labels: { dry: 'run' } } },
        'application/merge-patch+json',
      );
      const afterPatch = await call(b, 'GET', `${base}/real`);
      const del = await call(b, 'DELETE', `${base}/real?dryRun=All`);
      const afterDelete = await call(b, 'GET', `${base}/real`);
      const badDryRun = await call(b, 'POST', `${base}?dryRun=Some`, gateway(ns, 'dry2'));
      return {
        create,
        afterCreate,
        patch,
        afterPatch: field(afterPatch.body, 'metadata', 'labels'),
        del,
        afterDelete: afterDelete.status,
        badDryRun,
      };
    });
  });

  await t.test('422 Invalid with causes', async () => {
    const ns = 'contract-invalid';
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const badName = await call(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('Bad_Name', {}));
      const badNamespace = await call(b, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'UPPER' },
      });
      const badLabel = await call(b, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('ok', { 'bad label': 'x' }));
      const exists = await call(b, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      return { badName, badNamespace, badLabel, exists };
    });
  });

  await t.test('forbidden: the restricted user lists secrets and reads logs', async () => {
    const ns = 'contract-forbidden';
    const result = await sameOnBoth(async (b) => {
      await ensureNamespace(b, ns);
      const inNamespace = observe(await b.request('restricted', 'GET', `/api/v1/namespaces/${ns}/secrets`));
      const clusterWide = observe(await b.request('restricted', 'GET', '/api/v1/secrets'));
      const create = observe(await b.request('restricted', 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('nope', {})));
      const allowed = observe(await b.request('restricted', 'GET', `/api/v1/namespaces/${ns}/configmaps`));
      const gateways = observe(await b.request('restricted', 'GET', '/apis/gateway.networking.k8s.io/v1/gateways'));
      return { inNamespace, clusterWide, create, allowed: allowed.status, gateways: gateways.status };
    });
    assert.equal(result.inNamespace.status, 403);
  });

  await t.test('a CRD that is not installed: 404 on its paths', async () => {
    await sameOnBoth(async (b) => ({
      namespaced: await call(b, 'GET', '/apis/admin.solo.io/v1alpha1/namespaces/default/segments'),
      clusterWide: await call(b, 'GET', '/apis/admin.solo.io/v1alpha1/segments'),
      named: await call(b, 'GET', '/apis/admin.solo.io/v1alpha1/namespaces/default/segments/x'),
      groupVersion: await call(b, 'GET', '/apis/admin.solo.io/v1alpha1'),
      unknownKind: await call(b, 'GET', '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes'),
    }));
  });

  await t.test('pod logs: sinceTime, tailLines, timestamps, follow', async () => {
    const lines = [0, 1, 2].map((i) => ({ time: new Date(T0 + i * 1000), text: `line-${i + 1}` }));
    const logPath = `/api/v1/namespaces/${LOG_POD.namespace}/pods/${LOG_POD.pod}/log`;
    await sameOnBoth(async (b) => {
      await ensureNamespace(b, LOG_POD.namespace);
      const pod = await call(b, 'POST', `/api/v1/namespaces/${LOG_POD.namespace}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: LOG_POD.pod },
        spec: { nodeName: b.nodeName, containers: [{ name: LOG_POD.container, image: 'registry.invalid/app:1' }] },
      });
      assert.equal(pod.status, 201, JSON.stringify(pod.body));
      // Without a kubelet nobody starts the container: say it runs, as the kubelet would.
      const running = await call(
        b,
        'PATCH',
        `/api/v1/namespaces/${LOG_POD.namespace}/pods/${LOG_POD.pod}/status`,
        {
          status: {
            phase: 'Running',
            podIP: '10.244.0.10',
            podIPs: [{ ip: '10.244.0.10' }],
            containerStatuses: [
              {
                name: LOG_POD.container,
                image: 'registry.invalid/app:1',
                imageID: '',
                ready: true,
                restartCount: 0,
                started: true,
                state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
              },
            ],
          },
        },
        'application/merge-patch+json',
      );
      assert.equal(running.status, 200, JSON.stringify(running.body));
      b.setLog(LOG_POD, lines);
      const text = async (query: string): Promise<{ status: number; body: string }> => {
        const r = await b.request('admin', 'GET', `${logPath}${query}`);
        return { status: r.status, body: r.body };
      };
      const stream = openLogStream(b.endpoint, b.token('admin'), `${logPath}?follow=true&sinceTime=2026-01-01T00:00:01Z`);
      let followed: string;
      try {
        await stream.waitFor('line-3\n');
        b.appendLog(LOG_POD, { time: new Date(T0 + 3000), text: 'line-4' });
        followed = await stream.waitFor('line-4\n');
      } finally {
        stream.close();
      }
      return {
        all: await text(''),
        since: await text('?sinceTime=2026-01-01T00:00:01Z&timestamps=true'),
        tail: await text('?tailLines=1'),
        badSince: observe(await b.request('admin', 'GET', `${logPath}?sinceTime=yesterday`)),
        badContainer: observe(await b.request('admin', 'GET', `${logPath}?container=nope`)),
        restricted: observe(await b.request('restricted', 'GET', logPath)),
        followed,
      };
    });
  });

  await t.test('port-forward over WebSocket: the restricted user is refused like the real server refuses it', async () => {
    // A WebSocket port-forward is a GET; kube-apiserver authorizes its verb (get) and, since
    // 1.35, create as well. The restricted user has neither.
    const path = `/api/v1/namespaces/${LOG_POD.namespace}/pods/${LOG_POD.pod}/portforward?ports=15014`;
    await sameOnBoth(
      (b) =>
        new Promise<Observed>((resolve, reject) => {
          const req = httpsRequest(new URL(path, b.endpoint.url), {
            ca: b.endpoint.caPem,
            agent: false,
            headers: {
              Authorization: `Bearer ${b.token('restricted')}`,
              Connection: 'Upgrade',
              Upgrade: 'websocket',
              'Sec-WebSocket-Version': '13',
              'Sec-WebSocket-Key': Buffer.from('contract-suite-k').toString('base64'),
              'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
            },
          });
          req.on('upgrade', (_res, socket) => {
            socket.destroy();
            resolve({ status: 101, contentType: '', body: 'upgraded' });
          });
          req.on('response', (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve(observe({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })),
            );
          });
          req.on('error', reject);
          req.end();
        }),
    );
  });

  await t.test('normalize() keeps what must match', () => {
    // The comparison would be vacuous if normalization erased messages or codes.
    const status = { code: 409, reason: 'Conflict', message: 'the ResourceVersion in the precondition (5) does not match' };
    assert.deepEqual(normalize(status), { ...status, message: 'the ResourceVersion in the precondition (<rv>) does not match' });
  });
});
