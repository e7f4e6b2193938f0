import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networkGatewayWorkload, spiffeIdentity, ztunnelLogLine } from '../../../src/sim/content/ztunnelLog.ts';
import type { Destination, Workload, ZtunnelEvent } from '../../../src/sim/content/ztunnelLog.ts';

const at = new Date('2026-03-01T10:20:30.456Z');

const sleep: Workload = {
  name: 'sleep-7bf44b8df8-rx25b',
  namespace: 'sample',
  ip: '10.244.0.9',
  port: 51948,
  identity: spiffeIdentity('cluster.local', 'sample', 'sleep'),
};
const viaGateway: Destination = {
  addr: '172.18.0.5:15008',
  hboneAddr: 'helloworld.sample.mesh.internal:5000',
  service: 'helloworld.sample.mesh.internal',
  workload: networkGatewayWorkload('network-b', '172.18.0.5'),
  namespace: 'istio-system',
  identity: spiffeIdentity('cluster.local', 'istio-system', 'istio-eastwest'),
};
const podDst: Destination = {
  addr: '10.244.1.7:15008',
  hboneAddr: '10.244.1.7:5000',
  service: 'helloworld.sample.svc.cluster.local',
  workload: 'helloworld-v1-6d65866976-xk2jv',
  namespace: 'sample',
  identity: spiffeIdentity('cluster.local', 'sample', 'helloworld'),
};

const everyEvent: ZtunnelEvent[] = [
  { kind: 'connection-complete', src: sleep, dst: podDst, bytesSent: 120, bytesRecv: 340, durationMs: 7 },
  { kind: 'hbone-timeout', src: sleep, dst: viaGateway },
  { kind: 'passthrough-240', src: sleep, vip: '240.240.0.7', port: 5000 },
  { kind: 'no-healthy-upstream', src: sleep, vip: '240.240.0.7', port: 5000 },
  { kind: 'unknown-issuer', src: sleep, dst: viaGateway },
  { kind: 'bad-signature', src: sleep, dst: viaGateway },
  { kind: 'san-mismatch', src: sleep, dst: viaGateway, expected: ['spiffe://a.local/ns/x/sa/y'], got: ['spiffe://b.local/ns/x/sa/y'] },
  { kind: 'policy-rejected', src: sleep, dst: podDst },
  { kind: 'policy-rejected', src: sleep, dst: podDst, side: 'outbound' },
  { kind: 'connection-refused', src: sleep, dst: podDst },
  { kind: 'connection-refused', src: sleep, dst: podDst, side: 'outbound' },
  { kind: 'dns-failure', src: sleep, host: 'api.example.com' },
  { kind: 'unknown-network-gateway', src: sleep, network: 'network-b', gateway: '172.18.0.5' },
  { kind: 'unknown-network-gateway', src: sleep, network: 'network-b', gateway: 'istio-eastwest.istio-gateways.svc.cluster.local' },
  { kind: 'xds-connection-error', address: 'https://istiod.istio-system.svc:15012' },
  { kind: 'xds-connected' },
  { kind: 'startup', version: '1.28.2' },
];

/** Parses ztunnel's k=v list: quoted values follow Rust Debug escapes, bare ones run to the next ` name=`. */
function parseTextFields(text: string): Map<string, string | number> {
  const fields = new Map<string, string | number>();
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    assert.ok(eq > i, `field name expected at ${i} in ${text}`);
    const name = text.slice(i, eq);
    i = eq + 1;
    if (text[i] === '"') {
      let value = '';
      i++;
      while (text[i] !== '"') {
        assert.ok(i < text.length, `unterminated string for ${name}`);
        if (text[i] === '\\') {
          const escaped = text[i + 1];
          value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : (escaped ?? '');
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
      fields.set(name, value);
    } else {
      // A bare value is Display or Debug output (addresses, numbers, `?err` structs with spaces):
      // it runs until the next ` name=`.
      const next = /\s[a-z_.]+=/.exec(text.slice(i));
      const end = next ? i + next.index : text.length;
      const raw = text.slice(i, end);
      fields.set(name, /^\d+$/.test(raw) ? Number(raw) : raw);
      i = end;
    }
    if (text[i] === ' ') i++;
  }
  return fields;
}

describe('ztunnel log lines', () => {
  it('the text form splits on tabs into time, level, target, message and k=v fields', () => {
    for (const event of everyEvent) {
      const line = ztunnelLogLine(event, 'text', at);
      assert.ok(!line.includes('\n'), `${event.kind}: one line`);
      const columns = line.split('\t');
      assert.equal(columns.length, 5, `${event.kind}: ${line}`);
      const [time, level, target, message, fields] = columns as [string, string, string, string, string];
      assert.equal(time, '2026-03-01T10:20:30.456000Z');
      assert.match(level, /^(trace|debug|info|warn|error)$/);
      assert.ok(!target.startsWith('ztunnel::'), `${event.kind}: target prefix is stripped`);
      assert.ok(message.length > 0);
      parseTextFields(fields);
    }
  });

  it('the JSON form carries the same fields under their dotted names', () => {
    for (const event of everyEvent) {
      const text = ztunnelLogLine(event, 'text', at).split('\t');
      const json = JSON.parse(ztunnelLogLine(event, 'json', at)) as Record<string, unknown>;
      assert.equal(json.level, text[1]);
      assert.equal(json.time, text[0]);
      assert.equal(json.message, text[3]);
      // The text target drops `ztunnel::` and appends spans (`xds::client:xds{id=1}`); JSON keeps the full target.
      const target = /^(?:[^:{]|::)+/.exec(text[2] ?? '')?.[0] ?? '';
      assert.ok(
        json.scope === target || json.scope === `ztunnel::${target}`,
        `${event.kind}: scope ${String(json.scope)} vs target ${text[2]}`,
      );
      for (const [name, value] of parseTextFields(text[4] ?? '')) {
        assert.deepEqual(json[name], value, `${event.kind}: ${name}`);
      }
    }
  });

  it('hbone-timeout reproduces the real line quoted from istio/ztunnel PR #1229', () => {
    const real =
      '2024-07-26T17:18:00.953004Z\terror\taccess\tconnection complete\t' +
      'src.addr=10.244.0.9:58592 src.workload="shell-56bd5dbdbf-gz6cq" src.namespace="default" src.identity="spiffe://cluster.local/ns/default/sa/default" ' +
      ('dst.addr=10.244.0.10:15008 dst.hbone_addr=10.244.0.10:80 dst.service="echo.default.svc.cluster.local" ' +
        'dst.workload="echo-66d88ff694-pnk6h" dst.namespace="default" dst.identity="spiffe://cluster.local/ns/default/sa/default" ') +
      ('direction="outbound" bytes_sent=0 bytes_recv=0 duration="10002ms" error="connection timed ' +
        'out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed"');
    const ours = ztunnelLogLine(
      {
        kind: 'hbone-timeout',
        src: {
          name: 'shell-56bd5dbdbf-gz6cq',
          namespace: 'default',
          ip: '10.244.0.9',
          port: 58592,
          identity: 'spiffe://cluster.local/ns/default/sa/default',
        },
        dst: {
          addr: '10.244.0.10:15008',
          hboneAddr: '10.244.0.10:80',
          service: 'echo.default.svc.cluster.local',
          workload: 'echo-66d88ff694-pnk6h',
          namespace: 'default',
          identity: 'spiffe://cluster.local/ns/default/sa/default',
        },
        durationMs: 10002,
      },
      'text',
      new Date('2024-07-26T17:18:00.953Z'),
    );
    // Same everything but the microseconds a JS Date cannot hold.
    assert.equal(ours.replace('.953000Z', '.953004Z'), real);
  });

  it('san-mismatch through an east-west gateway reproduces a real cross-network line', () => {
    const real =
      '2026-06-08T08:52:53.326278Z\terror\taccess\tconnection complete\tsrc.addr=10.244.0.9:51948 ' +
      'src.workload="sleep-7bf44b8df8-rx25b" src.namespace="sample" src.identity="spiffe://cluster.local/ns/sample/sa/sleep" ' +
      ('dst.addr=172.18.0.5:15008 dst.hbone_addr=helloworld.sample.svc.cluster.local:5000 dst.service="helloworld.sample.svc.cluster.local" ' +
        'dst.workload="NetworkGateway/network-b/172.18.0.5/0" dst.namespace="istio-system" dst.identity="spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway" ') +
      ('direction="outbound" bytes_sent=0 bytes_recv=0 duration="4ms" error="io error: invalid peer ' +
        'certificate: Other(OtherError(identity verification error: peer did not present the expected ' +
        'SAN (spiffe://cluster.local/ns/sample/sa/default), got spiffe://cluster.local/ns/sample/sa/waypoint))"');
    const ours = ztunnelLogLine(
      {
        kind: 'san-mismatch',
        src: sleep,
        dst: {
          ...viaGateway,
          workload: networkGatewayWorkload('network-b', '172.18.0.5', 0),
          hboneAddr: 'helloworld.sample.svc.cluster.local:5000',
          service: 'helloworld.sample.svc.cluster.local',
          identity: 'spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway',
        },
        expected: ['spiffe://cluster.local/ns/sample/sa/default'],
        got: ['spiffe://cluster.local/ns/sample/sa/waypoint'],
      },
      'text',
      new Date('2026-06-08T08:52:53.326Z'),
    );
    assert.equal(ours.replace('.326000Z', '.326278Z'), real);
  });

  it('a passthrough to an unknown 240.240 VIP has no dst.service and no identities', () => {
    const json = JSON.parse(ztunnelLogLine({ kind: 'passthrough-240', src: sleep, vip: '240.240.0.7', port: 5000 }, 'json', at)) as Record<
      string,
      unknown
    >;
    assert.equal(json['dst.addr'], '240.240.0.7:5000');
    assert.equal(json['dst.service'], undefined);
    assert.equal(json['dst.hbone_addr'], undefined);
    assert.equal(json['src.identity'], undefined);
    assert.equal(json.level, 'error');
  });

  it('early denials are warn-level "connection failed" lines with only addresses, direction and error', () => {
    const line = ztunnelLogLine({ kind: 'no-healthy-upstream', src: sleep, vip: '240.240.0.7', port: 5000 }, 'text', at);
    const [, level, target, message, fields] = line.split('\t');
    assert.deepEqual([level, target, message], ['warn', 'access', 'connection failed']);
    assert.deepEqual([...parseTextFields(fields ?? '').keys()], ['src.addr', 'dst.addr', 'direction', 'error']);
    assert.equal(parseTextFields(fields ?? '').get('error'), 'no healthy upstream: 240.240.0.7:5000');

    const gateway = JSON.parse(
      ztunnelLogLine({ kind: 'unknown-network-gateway', src: sleep, network: 'network-b', gateway: 'ew.example.com' }, 'json', at),
    ) as Record<string, unknown>;
    assert.equal(gateway.error, 'unknown network gateway: network gateway ew.example.com not found');
  });

  it('policy denials are logged by the server side; the client side sees the HTTP status', () => {
    const inbound = JSON.parse(
      ztunnelLogLine({ kind: 'policy-rejected', src: sleep, dst: podDst, reason: 'explicitly denied by: sample/deny-all' }, 'json', at),
    ) as Record<string, unknown>;
    assert.equal(inbound.direction, 'inbound');
    assert.equal(inbound.error, 'connection closed due to policy rejection: explicitly denied by: sample/deny-all');
    const outbound = JSON.parse(
      ztunnelLogLine({ kind: 'policy-rejected', src: sleep, dst: podDst, side: 'outbound' }, 'json', at),
    ) as Record<string, unknown>;
    assert.equal(outbound.error, 'http status: 401 Unauthorized');
  });

  it('quotes and backslashes inside string values are escaped the way Rust Debug does', () => {
    const odd: Workload = { ...sleep, name: 'we"ird\\pod' };
    const line = ztunnelLogLine({ kind: 'connection-complete', src: odd, dst: podDst }, 'text', at);
    assert.ok(line.includes('src.workload="we\\"ird\\\\pod"'), line);
    assert.equal(parseTextFields(line.split('\t')[4] ?? '').get('src.workload'), 'we"ird\\pod');
  });

  it('benign lines carry spans in the target, and the message tab even without fields', () => {
    const line = ztunnelLogLine({ kind: 'xds-connected' }, 'text', at);
    assert.equal(line, '2026-03-01T10:20:30.456000Z\tinfo\txds::client:xds{id=1}\tStream established\t');
    const json = JSON.parse(ztunnelLogLine({ kind: 'xds-connected' }, 'json', at)) as Record<string, unknown>;
    assert.deepEqual(json, {
      level: 'info',
      time: '2026-03-01T10:20:30.456000Z',
      scope: 'ztunnel::xds::client',
      message: 'Stream established',
      xds: { id: 1 },
    });
  });
});
