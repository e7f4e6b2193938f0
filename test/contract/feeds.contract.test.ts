// The product's convergence promise held on both backends: MeshFeeds (the real client code)
// pointed at a real kube-apiserver and at the simulator ends up holding exactly what the
// cluster serves for every watched resource — at start, after changes, and after the server
// has ended every watch many times (short timeoutSeconds) with changes made in between, so
// each watch must resume from its resourceVersion without missing or repeating anything, and
// after a 410 Expired (history gone) forces a relist that must replace what was held.
// "What the cluster serves" is read through the API, the same way on both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractBackend } from './backends.ts';
import { useBothBackends } from './bothBackends.ts';
import { parseJson, type Json } from './normalize.ts';
import { startFeeds, TEST_WATCH_OPTIONS } from '../feeds/feedHarness.ts';
import { storeVersions, type Versions } from '../feeds/watchExpectations.ts';
import type { WatchedResource } from '../../src/feeds/watchedResources.ts';
import type { WatchedObject, WatchLoopRequest, WatchTarget } from '../../src/kube/watchLoop.ts';
import { waitUntil } from '../helpers/waitFor.ts';
import type { MeshState } from '../../src/store/types.ts';

const both = useBothBackends();

async function send(b: ContractBackend, method: string, path: string, body?: unknown, contentType?: string): Promise<Json> {
  const r = await b.request('admin', method, path, body, contentType);
  if (r.status >= 300) throw new Error(`${b.name}: ${method} ${path}: ${r.status} ${r.body}`);
  return parseJson(r.body);
}

/** What the cluster serves for one watched resource, read through the API like the feed does. */
async function servedVersions(b: ContractBackend, resource: WatchedResource): Promise<Versions> {
  const query = new URLSearchParams();
  if (resource.target.labelSelector !== undefined) query.set('labelSelector', resource.target.labelSelector);
  if (resource.target.fieldSelector !== undefined) query.set('fieldSelector', resource.target.fieldSelector);
  const r = await b.request('admin', 'GET', `${resource.target.path}?${query.toString()}`);
  if (r.status === 404 && resource.custom) return {};
  if (r.status !== 200) throw new Error(`${b.name}: list ${resource.target.path}: ${r.status} ${r.body}`);
  const list = JSON.parse(r.body) as { items: WatchedObject[] };
  const out: Versions = {};
  for (const item of list.items) {
    const object = { ...item, apiVersion: resource.target.apiVersion, kind: resource.target.kind };
    if (resource.keep && !resource.keep(object)) continue;
    out[`${resource.target.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`] = String(item.metadata.resourceVersion);
  }
  return out;
}

function sorted(v: Versions): [string, string][] {
  return Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function differences(b: ContractBackend, state: MeshState, resources: readonly WatchedResource[]): Promise<string[]> {
  const out: string[] = [];
  for (const resource of resources) {
    const want = JSON.stringify(sorted(await servedVersions(b, resource)));
    const have = JSON.stringify(sorted(storeVersions(state, b.context, resource.id)));
    if (want !== have) out.push(`${resource.id}: store ${have} vs cluster ${want}`);
  }
  return out;
}

async function converged(b: ContractBackend, run: ReturnType<typeof startFeeds>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const diff = await differences(b, run.store.getState(), run.resources);
    if (diff.length === 0) return;
    if (Date.now() > deadline) assert.fail(`${b.name}: the store did not converge with the cluster:\n${diff.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function resourceVersionOf(list: Json): string {
  const meta = typeof list === 'object' && list !== null && !Array.isArray(list) ? list.metadata : null;
  const rv = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta.resourceVersion : null;
  if (typeof rv !== 'string') throw new Error('list without resourceVersion');
  return rv;
}

/** One watch of the feed, whatever object describes it. */
function targetKey(target: WatchTarget): string {
  return `${target.path}?${target.labelSelector ?? ''}&${target.fieldSelector ?? ''}`;
}

/** Every watch in `keys` has been opened again after `mark`, resuming from a resourceVersion. */
function renewedSince(requests: readonly WatchLoopRequest[], mark: number, keys: ReadonlySet<string>): boolean {
  const resumed = new Set(
    requests
      .slice(mark)
      .filter((r) => r.verb === 'watch' && r.resourceVersion !== '')
      .map((r) => targetKey(r.target)),
  );
  return [...keys].every((key) => resumed.has(key));
}

function gateway(name: string, gatewayClassName: string): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'istio-system' },
    spec: { gatewayClassName, listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

test('contract: MeshFeeds converges with what the cluster serves', async (t) => {
  const skip = both.skipReason();
  if (skip !== null) {
    t.skip(skip);
    return;
  }
  for (const b of both.all()) {
    await t.test(`${b.name}: at start, after changes, and across many ended watches`, async () => {
      const gateways = '/apis/gateway.networking.k8s.io/v1/namespaces/istio-system/gateways';
      await send(b, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'istio-system', labels: { 'topology.istio.io/network': 'net1' } },
      });
      await send(b, 'POST', gateways, gateway('istio-eastwest', 'istio-eastwest'));
      await send(b, 'POST', gateways, gateway('not-peering', 'istio-waypoint'));
      const requests: WatchLoopRequest[] = [];
      const run = startFeeds(await b.writeKubeconfig('admin'), {
        // Watches the server ends every 2 s: each resume must pick up exactly where it left off.
        contextFeed: { watch: { ...TEST_WATCH_OPTIONS, watchTimeoutSeconds: 2, onRequest: (r) => void requests.push(r) } },
      });
      try {
        await converged(b, run);
        await send(b, 'POST', gateways, gateway('istio-remote-peer', 'istio-remote'));
        await send(
          b,
          'PATCH',
          '/api/v1/namespaces/istio-system',
          { metadata: { labels: { 'topology.istio.io/network': 'net2' } } },
          'application/merge-patch+json',
        );
        await converged(b, run);
        // What is watched at all (a CRD that is not installed is only re-probed with lists, never
        // watched), and how often those watches have listed so far.
        const watched = new Set(requests.filter((r) => r.verb === 'watch').map((r) => targetKey(r.target)));
        const lists = (): number => requests.filter((r) => r.verb === 'list' && watched.has(targetKey(r.target))).length;
        const listsBefore = lists();
        for (let i = 0; i < 3; i++) {
          // Each round of changes lands after every watch has been ended by the server and
          // resumed; a later one moves a gateway out of peering.
          const mark = requests.length;
          await waitUntil(() => renewedSince(requests, mark, watched), {
            timeoutMs: 30_000,
            what: `${b.name}: every watch renewed (round ${i})`,
          });
          await send(b, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `churn-${i}` } });
          await send(
            b,
            'PATCH',
            `${gateways}/istio-remote-peer`,
            { metadata: { labels: { round: String(i) } } },
            'application/merge-patch+json',
          );
        }
        await converged(b, run);
        assert.equal(lists(), listsBefore, `${b.name}: every ended watch resumed from its resourceVersion, none had to list again`);

        // A forced relist: history the watches would resume from is gone (410 Expired).
        const before = resourceVersionOf(await send(b, 'GET', gateways));
        await send(b, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'before-expiry' } });
        await b.expireGatewayWatches();
        await send(
          b,
          'PATCH',
          `${gateways}/istio-remote-peer`,
          { spec: { gatewayClassName: 'istio-waypoint' } },
          'application/merge-patch+json',
        );
        await send(b, 'DELETE', `${gateways}/istio-eastwest`);
        await converged(b, run);
        if (b.name === 'kube-apiserver') {
          // The premise holds on the real server: resuming from before the change is 410.
          const stale = await b.request('admin', 'GET', `${gateways}?watch=true&resourceVersion=${before}&timeoutSeconds=1`);
          assert.match(stale.body, /"code":410/, stale.body);
        }
        const held = storeVersions(run.store.getState(), b.context, 'gateways.gateway.networking.k8s.io');
        assert.deepEqual(Object.keys(held), [], 'no peering gateway is left');
      } finally {
        await run.stop();
      }
    });
  }
});
