import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXAMPLES, aggregateRecords, classifyRecord, mergeSignatureTables } from '../../src/mesh/logSignatures.ts';
import type { SignatureTable } from '../../src/mesh/logSignatures.ts';
import { parseLogLine, parseIstiodLine, parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';

const T = '2026-01-10T12:00:01.000001Z';

/** A ztunnel access-log line with the given fields. */
function access(level: string, fields: string): string {
  return `${T}\t${level}\taccess\tconnection complete\t${fields}`;
}

describe('classifyRecord', () => {
  const cases: [string, string, string][] = [
    [
      'HBONE timeout (real line, istio/ztunnel PR #1229)',
      access(
        'error',
        'src.addr=10.244.0.9:58592 dst.addr=10.244.0.10:15008 dst.service="echo.default.svc.cluster.local" ' +
          'direction="outbound" error="connection timed out, maybe a NetworkPolicy is blocking HBONE ' +
          'port 15008: deadline has elapsed"',
      ),
      'hbone-timeout',
    ],
    [
      'passthrough to a 240.240 VIP ztunnel does not know',
      access('error', 'src.addr=10.244.0.9:1 dst.addr=240.240.0.12:8080 direction="outbound" error="io error: deadline has elapsed"'),
      'network-identity-mismatch',
    ],
    [
      'no healthy upstream for a known global VIP',
      `${T}\twarn\taccess\tconnection failed\tsrc.addr=10.244.0.9:1 dst.addr=240.240.0.12:8080 direction="outbound" ` +
        `error="no healthy upstream: 240.240.0.12:8080"`,
      'no-healthy-upstream',
    ],
    [
      'no healthy upstream for a local service (istio/istio #53306)',
      `${T}\twarn\taccess\tconnection failed\tsrc.addr=10.244.0.9:1 dst.addr=10.43.0.1:443 direction="outbound" ` +
        `error="no healthy upstream: 10.43.0.1:443"`,
      'no-healthy-upstream-local',
    ],
    [
      'different roots (UnknownIssuer)',
      access('error', 'dst.workload="NetworkGateway/net2/172.18.0.10/15008" error="io error: invalid peer certificate: UnknownIssuer"'),
      'root-of-trust',
    ],
    ['different roots (BadSignature)', access('error', 'error="io error: invalid peer certificate: BadSignature"'), 'root-of-trust'],
    [
      'trust-domain mismatch (istio/istio #61608)',
      access(
        'error',
        'error="io error: invalid peer certificate: Other(OtherError(identity verification error: peer ' +
          'did not present the expected SAN (spiffe://domain1.local/ns/istio-system/sa/istio-eastwestgateway), ' +
          'got spiffe://domain2.local/ns/istio-system/sa/istio-eastwestgateway))"',
      ),
      'identity-mismatch',
    ],
    [
      'policy rejection on the inbound side',
      access('error', 'direction="inbound" error="connection closed due to policy rejection: allow policies exist, but none allowed"'),
      'policy-rejection',
    ],
    [
      'connection refused',
      access('error', 'dst.addr=10.244.0.10:15008 error="io error: Connection refused (os error 111)"'),
      'connection-refused',
    ],
    [
      'DNS failure reaching istiod (istio/istio #52487)',
      `${T}\twarn\txds::client:xds{id=8}\tXDS client connection error: gRPC connection error connecting ` +
        `to https://istiod.kube-system.svc:15012: status: Unknown, message: "client error (Connect)", ` +
        `source: dns error: failed to lookup address information: Temporary failure in name resolution ` +
        `(hint: is the DNS server reachable?), retrying in 2.56s`,
      'dns-failure',
    ],
    [
      'unknown network gateway',
      access('error', 'error="unknown network gateway: network gateway net2/172.18.0.10 not found"'),
      'unknown-network-gateway',
    ],
    [
      'istiod peering stream losing its peer',
      `${T}\twarn\tdeltaadsc\tdisconnected, retrying in 2s: delta stream: rpc error: code = Unavailable ` +
        `desc = connection error\ttarget=peering-cluster2`,
      'peer-disconnected',
    ],
    [
      'istiod peering rejected by a foreign CA',
      `${T}\twarn\tdeltaadsc\tdisconnected, retrying in 2s: delta stream: rpc error: code = Unavailable ` +
        `desc = connection error: desc = "error reading server preface: remote error: tls: unknown ` +
        `certificate authority"\ttarget=peering-cluster2`,
      'root-of-trust',
    ],
    [
      "istiod's own refusal to start peering (istio-internals §3.2)",
      `${T}\terror\tpeering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false`,
      'peering-incompatible-env',
    ],
    ['an error nobody named', access('error', 'error="pool draining"'), 'other-error'],
  ];
  for (const [title, line, expected] of cases) {
    it(`${title} → ${expected}`, () => {
      assert.equal(classifyRecord(parseLogLine(line)), expected);
    });
  }

  it('ignores info lines without an error', () => {
    assert.equal(classifyRecord(parseZtunnelLine(access('info', 'src.addr=1.1.1.1:1 bytes_sent=10'))), undefined);
    assert.equal(classifyRecord(parseIstiodLine(`${T}\tinfo\tpeering\tcluster c2 sync complete`)), undefined);
  });
});

describe('aggregateRecords', () => {
  const timeout = (i: number): string =>
    `2026-01-10T12:00:${String(i % 60).padStart(2, '0')}.000000Z\terror\taccess\tconnection complete\tsrc.addr=10.0.0.${i % 250}:1 ` +
    `dst.addr=10.0.1.1:15008 error="connection timed out, maybe a NetworkPolicy is blocking HBONE ` +
    `port 15008: deadline has elapsed"`;

  it('counts, keeps first/last seen and a bounded set of examples', () => {
    const records = Array.from({ length: 500 }, (_, i) => parseZtunnelLine(timeout(i)));
    const table = aggregateRecords({}, records, { context: 'ctx-a', source: 'istio-system/ztunnel-abc', seenAt: T });
    const agg = table['hbone-timeout'];
    assert.ok(agg);
    assert.equal(agg.count, 500);
    assert.equal(agg.title, 'HBONE 15008 timeout');
    assert.equal(agg.firstSeen, '2026-01-10T12:00:00.000000Z');
    assert.equal(agg.lastSeen, '2026-01-10T12:00:59.000000Z');
    assert.deepEqual(agg.contexts, ['ctx-a']);
    assert.deepEqual(agg.sources, ['istio-system/ztunnel-abc']);
    assert.equal(agg.examples.length, MAX_EXAMPLES);
    assert.equal(agg.examples.at(-1), parseZtunnelLine(timeout(499)).raw);
  });

  it('returns the same table when nothing was a failure', () => {
    const table: SignatureTable = {};
    const info = parseZtunnelLine(access('info', 'bytes_sent=1'));
    assert.equal(aggregateRecords(table, [info], { context: 'c', seenAt: T }), table);
  });

  it('uses the time the line was seen when it has no timestamp', () => {
    const table = aggregateRecords({}, [parseLogLine('{"level":"error","message":"boom"}')], {
      context: 'c',
      seenAt: '2026-02-02T00:00:00Z',
    });
    assert.equal(table['other-error']?.firstSeen, '2026-02-02T00:00:00Z');
  });

  it('merges tables of several contexts, most frequent first', () => {
    const a = aggregateRecords({}, [parseZtunnelLine(timeout(1)), parseZtunnelLine(timeout(2))], { context: 'a', seenAt: T });
    const b = aggregateRecords(
      {},
      [parseZtunnelLine(timeout(3)), parseZtunnelLine(access('error', 'error="io error: invalid peer certificate: BadSignature"'))],
      { context: 'b', seenAt: T },
    );
    const merged = mergeSignatureTables([a, b]);
    assert.deepEqual(
      merged.map((s) => [s.id, s.count, s.contexts]),
      [
        ['hbone-timeout', 3, ['a', 'b']],
        ['root-of-trust', 1, ['b']],
      ],
    );
  });
});
