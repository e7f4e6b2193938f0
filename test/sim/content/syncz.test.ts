import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSyncz, peerIstiodSubscriptions, sidecarSubscriptions, ztunnelSubscriptions } from '../../../src/sim/content/syncz.ts';
import type { SynczProxy } from '../../../src/sim/content/syncz.ts';
import { TYPE_URL, xdsShortType } from '../../../src/sim/content/xdsTypes.ts';

const now = new Date('2026-03-01T10:20:30.456Z');
const istiod = { pod: 'istiod-5d8f9c7b6-abcde', version: '1.28.2-solo' };

const proxies: SynczProxy[] = [
  {
    id: 'ztunnel-7xk2p.istio-system',
    clusterId: 'cluster1',
    namespace: 'istio-system',
    istioVersion: '1.28.2-solo',
    proxyType: 'ztunnel',
    types: ztunnelSubscriptions(),
  },
  {
    id: 'istiod-7c9d8-xyz12.istio-system',
    clusterId: 'cluster2',
    namespace: 'istio-system',
    istioVersion: '1.28.1-solo',
    proxyType: 'sidecar',
    peerIstiod: true,
    types: peerIstiodSubscriptions(),
  },
  {
    id: 'productpage-v1-7f9c5d6b8-x2x7k.bookinfo',
    clusterId: 'cluster1',
    namespace: 'bookinfo',
    istioVersion: '1.28.2-solo',
    proxyType: 'sidecar',
    types: [
      { typeUrl: TYPE_URL.CDS, status: 'SYNCED' },
      { typeUrl: TYPE_URL.LDS, status: 'STALE' },
      { typeUrl: TYPE_URL.EDS, status: 'NOT_SENT' },
      { typeUrl: TYPE_URL.RDS, status: 'ERROR', error: 'route: duplicate virtual host' },
      { typeUrl: TYPE_URL.NDS, status: 'SYNCED' },
    ],
  },
];

type Json = Record<string, unknown>;

/** istiod's debugSyncStatus rule, applied to the HTTP shape's nonces. */
function statusFromNonces(resource: Json): string {
  if (typeof resource.lastError === 'string' && resource.lastError !== '') return 'ERROR';
  if (!resource.sent) return 'NOT_SENT';
  return resource.sent === resource.acked ? 'SYNCED' : 'STALE';
}

describe('istiod syncz', () => {
  it('the HTTP shape is an array of SyncStatus with per-type nonces, sorted by proxy', () => {
    const body = buildSyncz('syncStatus', istiod, proxies, now) as Json[];
    assert.ok(Array.isArray(body));
    assert.deepEqual(
      body.map((entry) => entry.proxy),
      ['istiod-7c9d8-xyz12.istio-system', 'productpage-v1-7f9c5d6b8-x2x7k.bookinfo', 'ztunnel-7xk2p.istio-system'],
    );
    const ztunnel = body[2] as Json;
    assert.equal(ztunnel.cluster_id, 'cluster1');
    assert.equal(ztunnel.proxy_type, 'ztunnel');
    assert.equal(ztunnel.istio_version, '1.28.2-solo');
    assert.equal('proxy_version' in ztunnel, false, 'istiod never fills proxy_version');
    assert.equal('cluster_sent' in ztunnel, false, 'no Envoy nonce fields for ztunnel');
    const resources = ztunnel.resources as Record<string, Json>;
    assert.deepEqual(Object.keys(resources).sort(), [TYPE_URL.WADS, TYPE_URL.WDS_ADDRESS]);
    for (const resource of Object.values(resources)) {
      assert.equal(statusFromNonces(resource), 'SYNCED');
      assert.match(String(resource.sentTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
  });

  it("the HTTP nonces reproduce STALE, NOT_SENT and ERROR under istiod's rule", () => {
    const body = buildSyncz('syncStatus', istiod, proxies, now) as Json[];
    const sidecar = body[1] as Json;
    const resources = sidecar.resources as Record<string, Json>;
    assert.equal(statusFromNonces(resources[TYPE_URL.LDS] as Json), 'STALE');
    assert.equal(statusFromNonces(resources[TYPE_URL.EDS] as Json), 'NOT_SENT');
    assert.equal((resources[TYPE_URL.EDS] as Json).sentTime, '0001-01-01T00:00:00Z');
    assert.equal((resources[TYPE_URL.RDS] as Json).lastError, 'route: duplicate virtual host');
    assert.equal(sidecar.cluster_sent, sidecar.cluster_acked);
    assert.notEqual(sidecar.listener_sent, sidecar.listener_acked);
    assert.equal('endpoint_sent' in sidecar, false);
  });

  it('the XDS shape is a DiscoveryResponse of ClientConfigs with the control-plane identifier', () => {
    const response = buildSyncz('clientConfig', istiod, proxies, now) as Json;
    assert.equal(response.typeUrl, 'istio.io/debug/syncz');
    assert.match(String(response.versionInfo), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/\d+$/);
    assert.ok(String(response.nonce).startsWith(String(response.versionInfo)));
    const identifier = JSON.parse(String((response.controlPlane as Json).identifier)) as Json;
    assert.equal(identifier.Component, 'istiod');
    assert.equal(identifier.ID, 'istiod-5d8f9c7b6-abcde');
    assert.equal((identifier.Info as Json).version, '1.28.2-solo');

    const resources = response.resources as Json[];
    assert.equal(resources.length, 3);
    for (const resource of resources) {
      assert.equal(resource['@type'], 'type.googleapis.com/envoy.service.status.v3.ClientConfig');
      const node = resource.node as Json;
      assert.deepEqual(Object.keys(node.metadata as Json).sort(), ['CLUSTER_ID', 'ISTIO_VERSION', 'NAMESPACE']);
      const typeUrls = (resource.genericXdsConfigs as Json[]).map((config) => String(config.typeUrl));
      assert.deepEqual(typeUrls, [...typeUrls].sort(), 'sorted by type URL');
    }
  });

  it('a peered istiod shows up with FSDS, SGDS and WDS, and ztunnel with WADS and WDS', () => {
    const response = buildSyncz('clientConfig', istiod, proxies, now) as Json;
    const byId = new Map((response.resources as Json[]).map((r) => [String((r.node as Json).id), r]));
    const shortTypes = (id: string): string[] =>
      ((byId.get(id)?.genericXdsConfigs ?? []) as Json[]).map((c) => xdsShortType(String(c.typeUrl)));
    assert.deepEqual(shortTypes('istiod-7c9d8-xyz12.istio-system'), ['FSDS', 'SGDS', 'WDS']);
    assert.deepEqual(shortTypes('ztunnel-7xk2p.istio-system'), ['WADS', 'WDS']);
    const peer = byId.get('istiod-7c9d8-xyz12.istio-system') as Json;
    assert.equal(((peer.node as Json).metadata as Json).CLUSTER_ID, 'cluster2');
  });

  it("both shapes agree on every proxy's status per type, and ERROR carries the NACK details", () => {
    const http = buildSyncz('syncStatus', istiod, proxies, now) as Json[];
    const xds = buildSyncz('clientConfig', istiod, proxies, now) as Json;
    for (const resource of xds.resources as Json[]) {
      const id = String((resource.node as Json).id);
      const entry = http.find((e) => e.proxy === id) as Json;
      for (const config of resource.genericXdsConfigs as Json[]) {
        const nonces = (entry.resources as Record<string, Json>)[String(config.typeUrl)] as Json;
        assert.equal(config.configStatus, statusFromNonces(nonces), `${id} ${String(config.typeUrl)}`);
        if (config.configStatus === 'ERROR') {
          assert.equal((config.errorState as Json).details, 'route: duplicate virtual host');
        }
        if (config.configStatus === 'NOT_SENT') assert.equal(config.lastUpdated, '0001-01-01T00:00:00Z');
      }
    }
  });

  it('a sidecar subscribes to the four Envoy types plus NDS', () => {
    assert.deepEqual(
      sidecarSubscriptions().map((t) => xdsShortType(t.typeUrl)),
      ['CDS', 'LDS', 'EDS', 'RDS', 'NDS'],
    );
    assert.equal(xdsShortType('type.googleapis.com/example.Unknown'), 'type.googleapis.com/example.Unknown');
  });
});
