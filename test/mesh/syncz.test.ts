import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatProxyStatusTable, parseSyncz, proxyStatusCells, typeStatusLabel, unhealthyTypes } from '../../src/mesh/syncz.ts';
import type { ProxyStatusRow, SynczResult } from '../../src/mesh/syncz.ts';

const CC = 'type.googleapis.com/envoy.service.status.v3.ClientConfig';

function rowsOf(result: SynczResult): ProxyStatusRow[] {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.rows;
}

// XDS istio.io/debug/syncz response, shaped as reference/istio-internals.md §1.4/§1.7.
const xdsResponse = {
  versionInfo: '1',
  typeUrl: 'istio.io/debug/syncz',
  nonce: 'n1',
  controlPlane: {
    identifier: JSON.stringify({ Component: 'istiod', ID: 'istiod-5d8f9c7b6-abcde', Info: { version: '1.28.2' } }),
  },
  resources: [
    {
      '@type': CC,
      node: { id: 'ztunnel-7xk2p.istio-system', metadata: { CLUSTER_ID: 'cluster1', NAMESPACE: 'istio-system', ISTIO_VERSION: '1.28.2' } },
      genericXdsConfigs: [
        { typeUrl: 'type.googleapis.com/istio.security.Authorization', lastUpdated: '2026-01-10T12:00:02Z', configStatus: 'SYNCED' },
        { typeUrl: 'type.googleapis.com/istio.workload.Address', lastUpdated: '2026-01-10T12:00:02Z', configStatus: 'SYNCED' },
      ],
    },
    {
      '@type': CC,
      node: {
        id: 'productpage-v1-7f9c5d6b8-x2x7k.bookinfo',
        metadata: { CLUSTER_ID: 'cluster1', NAMESPACE: 'bookinfo', ISTIO_VERSION: '1.28.1' },
      },
      genericXdsConfigs: [
        { typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster', lastUpdated: '2026-01-10T12:00:01.234Z', configStatus: 'SYNCED' },
        {
          typeUrl: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
          lastUpdated: '2026-01-10T12:00:01.301Z',
          configStatus: 'SYNCED',
        },
        {
          typeUrl: 'type.googleapis.com/envoy.config.listener.v3.Listener',
          lastUpdated: '2026-01-10T12:00:01.250Z',
          configStatus: 'STALE',
        },
        {
          typeUrl: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
          lastUpdated: '2026-01-10T12:00:01.260Z',
          configStatus: 'ERROR',
          errorState: { lastUpdateAttempt: '2026-01-10T12:00:01.260Z', details: 'route: duplicate domain' },
        },
        {
          typeUrl: 'type.googleapis.com/istio.networking.nds.v1.NameTable',
          lastUpdated: '2026-01-10T12:00:01.270Z',
          configStatus: 'SYNCED',
        },
      ],
    },
    {
      // A peered istiod from cluster-a, seen by this istiod as a proxy (Solo peering).
      '@type': CC,
      node: {
        id: 'istiod-6d8f9-abcde.istio-system',
        metadata: { CLUSTER_ID: 'cluster-a', NAMESPACE: 'istio-system', ISTIO_VERSION: '1.28.2-solo' },
      },
      genericXdsConfigs: [
        { typeUrl: 'type.googleapis.com/istio.workload.FederatedService', configStatus: 'SYNCED' },
        { typeUrl: 'type.googleapis.com/istio.workload.Segment', configStatus: 'SYNCED' },
        { typeUrl: 'type.googleapis.com/istio.workload.Workload', configStatus: 'SYNCED' },
      ],
    },
  ],
};

describe('syncz: XDS DiscoveryResponse shape', () => {
  it('turns ClientConfigs into rows sorted by NAME', () => {
    const result = parseSyncz(JSON.stringify(xdsResponse));
    assert.ok(result.ok);
    assert.equal(result.shape, 'xds');
    const rows = rowsOf(result);
    assert.deepEqual(
      rows.map((r) => [r.name, r.cluster, r.istiod, r.version]),
      [
        ['istiod-6d8f9-abcde.istio-system', 'cluster-a', 'istiod-5d8f9c7b6-abcde', '1.28.2-solo'],
        ['productpage-v1-7f9c5d6b8-x2x7k.bookinfo', 'cluster1', 'istiod-5d8f9c7b6-abcde', '1.28.1'],
        ['ztunnel-7xk2p.istio-system', 'cluster1', 'istiod-5d8f9c7b6-abcde', '1.28.2'],
      ],
    );
  });

  it('renders SUBSCRIBED TYPES like istioctl 1.27+, Solo types included', () => {
    const cells = proxyStatusCells(rowsOf(parseSyncz(xdsResponse)));
    assert.deepEqual(
      cells.map((c) => c[4]),
      ['SUBSCRIBED TYPES', '3 (FSDS,SGDS,WDS)', '5 (CDS,LDS,EDS,RDS,NDS)', '2 (WADS,WDS)'],
    );
  });

  it('prints the table with istioctl column spacing', () => {
    const table = formatProxyStatusTable(rowsOf(parseSyncz(xdsResponse)));
    assert.equal(
      table,
      [
        'NAME                                        CLUSTER       ISTIOD                     VERSION         SUBSCRIBED TYPES',
        'istiod-6d8f9-abcde.istio-system             cluster-a     istiod-5d8f9c7b6-abcde     1.28.2-solo     3 (FSDS,SGDS,WDS)',
        'productpage-v1-7f9c5d6b8-x2x7k.bookinfo     cluster1      istiod-5d8f9c7b6-abcde     1.28.1          5 (CDS,LDS,EDS,RDS,NDS)',
        'ztunnel-7xk2p.istio-system                  cluster1      istiod-5d8f9c7b6-abcde     1.28.2          2 (WADS,WDS)',
        '',
      ].join('\n'),
    );
  });

  it('keeps per-type status with the NACK details', () => {
    const row = rowsOf(parseSyncz(xdsResponse)).find((r) => r.name.startsWith('productpage'));
    assert.ok(row);
    assert.deepEqual(
      unhealthyTypes(row).map((t) => [t.short, t.status, t.error]),
      [
        ['LDS', 'STALE', undefined],
        ['RDS', 'ERROR', 'route: duplicate domain'],
      ],
    );
  });

  it('says MISSING / INVALID for the istiod like istioctl', () => {
    const { controlPlane: _cp, ...noCp } = xdsResponse;
    assert.equal(rowsOf(parseSyncz(noCp))[0]?.istiod, 'MISSING');
    const bad = { ...xdsResponse, controlPlane: { identifier: '{not json' } };
    assert.equal(rowsOf(parseSyncz(bad))[0]?.istiod, 'INVALID');
  });

  it('does not count UNKNOWN (absent) statuses; a row with none shows 0', () => {
    const response = {
      resources: [
        {
          '@type': CC,
          node: { id: 'a.ns', metadata: {} },
          genericXdsConfigs: [{ typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster' }],
        },
        {
          '@type': CC,
          node: { id: 'b.ns', metadata: {} },
          genericXdsConfigs: [{ typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster', configStatus: 1 }],
        },
      ],
    };
    assert.deepEqual(
      proxyStatusCells(rowsOf(parseSyncz(response))).map((c) => c[4]),
      ['SUBSCRIBED TYPES', '0', '1 (CDS)'],
    );
  });

  it('prints unknown type URLs in full', () => {
    const response = {
      resources: [
        {
          '@type': CC,
          node: { id: 'a.ns' },
          genericXdsConfigs: [{ typeUrl: 'type.googleapis.com/example.Thing', configStatus: 'SYNCED' }],
        },
      ],
    };
    assert.equal(proxyStatusCells(rowsOf(parseSyncz(response)))[1]?.[4], '1 (type.googleapis.com/example.Thing)');
  });

  it('accepts an array of responses (one per istiod) as `istioctl ps -o json` prints', () => {
    const second = {
      ...xdsResponse,
      controlPlane: { identifier: JSON.stringify({ ID: 'istiod-other' }) },
      resources: [xdsResponse.resources[0]],
    };
    const rows = rowsOf(parseSyncz([xdsResponse, second]));
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows
        .filter((r) => r.name.startsWith('ztunnel'))
        .map((r) => r.istiod)
        .sort(),
      ['istiod-5d8f9c7b6-abcde', 'istiod-other'],
    );
  });
});

describe('syncz: HTTP /debug/syncz shape', () => {
  const http = [
    {
      cluster_id: 'cluster1',
      proxy: 'ztunnel-7xk2p.istio-system',
      proxy_type: 'ztunnel',
      istio_version: '1.28.2',
      resources: {
        'type.googleapis.com/istio.security.Authorization': { sent: '6a1f', acked: '6a1f', sentTime: '2026-01-10T12:00:01.2Z' },
        'type.googleapis.com/istio.workload.Address': { sent: 'b39c', acked: 'b39c', sentTime: '2026-01-10T12:00:01.2Z' },
      },
    },
    {
      cluster_id: 'cluster1',
      proxy: 'reviews-v1-abc.bookinfo',
      proxy_type: 'sidecar',
      istio_version: '1.28.2',
      cluster_sent: 'n1',
      cluster_acked: 'n1',
      resources: {
        'type.googleapis.com/envoy.config.cluster.v3.Cluster': { sent: 'n1', acked: 'n1' },
        'type.googleapis.com/envoy.config.listener.v3.Listener': { sent: 'n2', acked: 'n1' },
        'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment': { sent: 'n3' },
        'type.googleapis.com/envoy.config.route.v3.RouteConfiguration': { sent: 'n4', acked: 'n3', lastError: 'NACK: bad route' },
        'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig': {},
      },
    },
  ];

  it('derives status from nonces and lastError', () => {
    const result = parseSyncz(JSON.stringify(http), { istiodPod: 'istiod-1' });
    assert.ok(result.ok);
    assert.equal(result.shape, 'http');
    const row = result.rows.find((r) => r.proxyType === 'sidecar');
    assert.ok(row);
    assert.equal(row.istiod, 'istiod-1');
    assert.equal(row.namespace, 'bookinfo');
    const byShort = Object.fromEntries(row.types.map((t) => [t.short, t]));
    assert.equal(byShort['CDS']?.status, 'SYNCED');
    assert.equal(byShort['LDS']?.status, 'STALE');
    assert.equal(byShort['EDS']?.status, 'STALE');
    assert.equal(byShort['EDS']?.neverAcked, true);
    assert.equal(byShort['RDS']?.status, 'ERROR');
    assert.equal(byShort['RDS']?.error, 'NACK: bad route');
    assert.equal(byShort['ECDS']?.status, 'NOT_SENT');
  });

  it('renders the same SUBSCRIBED TYPES column as the XDS shape', () => {
    const cells = proxyStatusCells(rowsOf(parseSyncz(http, { istiodPod: 'istiod-1' })));
    assert.deepEqual(
      cells.slice(1).map((c) => [c[0], c[2], c[4]]),
      [
        ['reviews-v1-abc.bookinfo', 'istiod-1', '5 (CDS,LDS,EDS,RDS,ECDS)'],
        ['ztunnel-7xk2p.istio-system', 'istiod-1', '2 (WADS,WDS)'],
      ],
    );
  });

  it('falls back to the per-Envoy-type nonce pairs of older istiods', () => {
    const old = [
      {
        proxy: 'p.ns',
        cluster_id: 'c',
        proxy_version: '1.9',
        cluster_sent: 'a',
        cluster_acked: 'a',
        listener_sent: 'b',
        listener_acked: '',
      },
    ];
    const row = rowsOf(parseSyncz(old))[0];
    assert.ok(row);
    assert.equal(row.version, '1.9*');
    assert.deepEqual(
      row.types.map((t) => [t.short, t.status]),
      [
        ['CDS', 'SYNCED'],
        ['LDS', 'STALE'],
      ],
    );
  });

  it('an empty array is zero proxies, not an error', () => {
    const result = parseSyncz('[]');
    assert.ok(result.ok);
    assert.equal(result.rows.length, 0);
    assert.equal(formatProxyStatusTable(result.rows), 'NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n');
  });
});

describe('syncz: bad input', () => {
  it('reports invalid JSON', () => {
    const result = parseSyncz('{"resources": [');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /^syncz: invalid JSON/);
  });

  it('reports an unknown shape', () => {
    for (const input of ['42', '"x"', 'null', '{"hello":1}']) {
      const result = parseSyncz(input);
      assert.equal(result.ok, false, input);
      assert.match(result.ok ? '' : result.error, /^syncz: unexpected shape/);
    }
  });

  it('skips malformed entries with a warning instead of failing the whole payload', () => {
    const result = parseSyncz([{ proxy: 'ok.ns' }, 7, { nope: true }]);
    assert.ok(result.ok);
    assert.equal(result.rows.length, 1);
    assert.equal(result.warnings.length, 2);
  });

  it('never throws on random JSON-ish values', () => {
    let s = 99;
    const rand = (): number => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
    const atoms = [null, 1, 'x', true, [], {}];
    const build = (depth: number): unknown => {
      if (depth === 0 || rand() < 0.3) return atoms[Math.floor(rand() * atoms.length)];
      const keys = [
        'resources',
        'node',
        'id',
        'metadata',
        'genericXdsConfigs',
        'typeUrl',
        'configStatus',
        'controlPlane',
        'identifier',
        'proxy',
        'sent',
        'acked',
        '@type',
        'errorState',
      ];
      if (rand() < 0.4) return Array.from({ length: Math.floor(rand() * 4) }, () => build(depth - 1));
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++) obj[keys[Math.floor(rand() * keys.length)] as string] = build(depth - 1);
      return obj;
    };
    for (let i = 0; i < 3000; i++) {
      const input = build(5);
      const result = parseSyncz(input);
      assert.equal(typeof result.ok, 'boolean');
      if (result.ok) formatProxyStatusTable(result.rows);
    }
  });
});

describe('per-type status labels', () => {
  it('words statuses like istioctl and carries the NACK', () => {
    const base = { typeUrl: 'u', short: 'CDS' };
    assert.equal(typeStatusLabel({ ...base, status: 'SYNCED' }), 'SYNCED');
    assert.equal(typeStatusLabel({ ...base, status: 'NOT_SENT' }), 'NOT SENT');
    assert.equal(typeStatusLabel({ ...base, status: 'STALE', neverAcked: true }), 'STALE (Never Acknowledged)');
    assert.equal(typeStatusLabel({ ...base, status: 'ERROR', error: 'bad route' }), 'ERROR: bad route');
  });
});
