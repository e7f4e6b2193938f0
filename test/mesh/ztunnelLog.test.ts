import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FIELDS, MAX_RAW_CHARS, MAX_VALUE_CHARS, parseIstiodLine, parseLogLine, parseZtunnelLine } from '../../src/mesh/ztunnelLog.ts';
import type { LogRecord } from '../../src/mesh/ztunnelLog.ts';

// Quoted from istio/ztunnel PR #1229 (reference/istio-internals.md §2.1); columns are tabs.
const REAL_TIMEOUT_LINE = [
  '2024-07-26T17:18:00.953004Z',
  'error',
  'access',
  'connection complete',
  'src.addr=10.244.0.9:58592 src.workload="shell-56bd5dbdbf-gz6cq" src.namespace="default" src.identity="spiffe://cluster.local/ns/default/sa/default" ' +
    'dst.addr=10.244.0.10:15008 dst.hbone_addr=10.244.0.10:80 dst.service="echo.default.svc.cluster.local" ' +
    'dst.workload="echo-66d88ff694-pnk6h" dst.namespace="default" dst.identity="spiffe://cluster.local/ns/default/sa/default" ' +
    'direction="outbound" bytes_sent=0 bytes_recv=0 duration="10002ms" error="connection timed ' +
    'out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed"',
].join('\t');

// Real (istio/istio #52487): a span on the target.
const REAL_XDS_LINE =
  '2024-08-07T08:11:50.646570Z\twarn\txds::client:xds{id=8}\tXDS client connection error: gRPC ' +
  'connection error connecting to https://istiod.kube-system.svc:15012: status: Unknown, message: ' +
  '"client error (Connect)", source: dns error: failed to lookup address information: Temporary ' +
  'failure in name resolution (hint: is the DNS server reachable?), retrying in 2.56s';

function assertTimeoutRecord(rec: LogRecord): void {
  assert.equal(rec.source, 'ztunnel');
  assert.equal(rec.format, 'text');
  assert.equal(rec.time, '2024-07-26T17:18:00.953004Z');
  assert.equal(rec.level, 'error');
  assert.equal(rec.target, 'access');
  assert.equal(rec.message, 'connection complete');
  assert.equal(rec.fields['src.addr'], '10.244.0.9:58592');
  assert.equal(rec.fields['src.workload'], 'shell-56bd5dbdbf-gz6cq');
  assert.equal(rec.fields['dst.addr'], '10.244.0.10:15008');
  assert.equal(rec.fields['dst.service'], 'echo.default.svc.cluster.local');
  assert.equal(rec.fields['direction'], 'outbound');
  assert.equal(rec.fields['bytes_sent'], 0);
  assert.equal(rec.fields['duration'], '10002ms');
  assert.equal(rec.fields['error'], 'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed');
  assert.equal(rec.truncated, false);
}

describe('ztunnel text format', () => {
  it('parses the real HBONE timeout access log line', () => {
    assertTimeoutRecord(parseZtunnelLine(REAL_TIMEOUT_LINE));
  });

  it('parses the same line when its tabs became runs of spaces', () => {
    const spaced = REAL_TIMEOUT_LINE.replace(/\t/g, '     ');
    assertTimeoutRecord(parseZtunnelLine(spaced));
  });

  it('guesses the source without a hint', () => {
    assert.equal(parseLogLine(REAL_TIMEOUT_LINE).source, 'ztunnel');
  });

  it('splits the target from its spans', () => {
    const rec = parseZtunnelLine(REAL_XDS_LINE);
    assert.equal(rec.level, 'warn');
    assert.equal(rec.target, 'xds::client');
    assert.deepEqual(rec.spans, [{ name: 'xds', fields: { id: 8 } }]);
    assert.match(rec.message, /^XDS client connection error: .*retrying in 2\.56s$/);
  });

  it('unescapes Debug-quoted strings and neutralises control characters', () => {
    const line =
      '2026-01-10T12:00:01.000001Z\terror\taccess\tconnection complete\terror="a \\"quoted\\" word, a \\\\ and \\u{1b}[31mred" n=3';
    const rec = parseZtunnelLine(line);
    assert.equal(rec.fields['error'], 'a "quoted" word, a \\ and \\x1b[31mred');
    assert.equal(rec.fields['n'], 3);
    assert.ok(!rec.raw.includes('\u001b'));
  });

  it('keeps an unbalanced quote to the end of the line and says it was cut', () => {
    const rec = parseZtunnelLine('2026-01-10T12:00:01.000001Z\terror\taccess\tconnection complete\tsrc.addr=1.2.3.4:5 error="never closed');
    assert.equal(rec.fields['src.addr'], '1.2.3.4:5');
    assert.equal(rec.fields['error'], 'never closed');
    assert.equal(rec.truncated, true);
  });

  it('reads the older format with uppercase level and "access:"', () => {
    const rec = parseLogLine('2024-04-11T15:38:42.182974Z  INFO access: connection complete src.addr=10.0.0.1:1234');
    assert.equal(rec.level, 'info');
    assert.equal(rec.target, 'access');
    assert.equal(rec.message, 'connection complete');
    assert.equal(rec.fields['src.addr'], '10.0.0.1:1234');
  });
});

describe('ztunnel JSON format (LOG_FORMAT=json)', () => {
  it('maps level, time, scope, message, fields and spans', () => {
    const line = JSON.stringify({
      level: 'error',
      time: '2026-01-10T12:00:01.234567Z',
      scope: 'access',
      message: 'connection complete',
      'src.addr': '10.244.0.9:58592',
      'dst.addr': '240.240.0.7:8080',
      bytes_sent: 0,
      error: 'io error: invalid peer certificate: UnknownIssuer',
      outbound: { id: 'a1b2' },
    });
    const rec = parseZtunnelLine(line);
    assert.equal(rec.format, 'json');
    assert.equal(rec.level, 'error');
    assert.equal(rec.target, 'access');
    assert.equal(rec.message, 'connection complete');
    assert.equal(rec.fields['dst.addr'], '240.240.0.7:8080');
    assert.equal(rec.fields['bytes_sent'], 0);
    assert.deepEqual(rec.spans, [{ name: 'outbound', fields: { id: 'a1b2' } }]);
  });

  it('strips the ztunnel:: prefix from a full target', () => {
    const rec = parseLogLine('{"level":"info","time":"2026-01-10T12:00:01Z","scope":"ztunnel::proxy::outbound","message":"x"}');
    assert.equal(rec.source, 'ztunnel');
    assert.equal(rec.target, 'proxy::outbound');
  });
});

describe('istiod log format', () => {
  it('reads a default-scope line (no scope column)', () => {
    const rec = parseIstiodLine('2020-08-11T01:18:22.001876Z\tinfo\tAdding Kubernetes registry adapter');
    assert.equal(rec.source, 'istiod');
    assert.equal(rec.level, 'info');
    assert.equal(rec.target, undefined);
    assert.equal(rec.message, 'Adding Kubernetes registry adapter');
  });

  it('reads a scoped line', () => {
    const rec = parseLogLine(
      '2020-08-11T01:18:22.053249Z\tinfo\tpkica\tLoad signing key and cert from existing secret istio-system:istio-ca-secret',
    );
    assert.equal(rec.source, 'istiod');
    assert.equal(rec.target, 'pkica');
    assert.equal(rec.message, 'Load signing key and cert from existing secret istio-system:istio-ca-secret');
  });

  it('reads labels appended after the message', () => {
    const rec = parseIstiodLine(
      '2026-01-10T12:00:01.000000Z\twarn\tdeltaadsc\tdisconnected, retrying in 1.5s: delta stream: ' +
        'rpc error: code = Unavailable\ttarget=peering-cluster2 node=istiod-1',
    );
    assert.equal(rec.level, 'warn');
    assert.equal(rec.target, 'deltaadsc');
    assert.equal(rec.message, 'disconnected, retrying in 1.5s: delta stream: rpc error: code = Unavailable');
    assert.deepEqual(rec.fields, { target: 'peering-cluster2', node: 'istiod-1' });
  });

  it('reads labels on a default-scope line', () => {
    const rec = parseIstiodLine('2026-01-10T12:00:01.000000Z\terror\tSomething failed badly\tcluster=c2');
    assert.equal(rec.target, undefined);
    assert.equal(rec.message, 'Something failed badly');
    assert.deepEqual(rec.fields, { cluster: 'c2' });
  });

  it('reads --log_as_json lines (msg instead of message)', () => {
    const rec = parseLogLine(
      '{"time":"2026-01-10T12:00:01.000000Z","level":"warn","scope":"deltaadsc","msg":"disconnected, retrying in 1s: x","target":"peering-c2"}',
    );
    assert.equal(rec.source, 'istiod');
    assert.equal(rec.format, 'json');
    assert.equal(rec.message, 'disconnected, retrying in 1s: x');
    assert.equal(rec.fields['target'], 'peering-c2');
  });
});

// A small deterministic PRNG so a failure can be reproduced.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function assertBounded(rec: LogRecord): void {
  assert.ok(rec.raw.length <= MAX_RAW_CHARS, `raw kept ${rec.raw.length} chars`);
  assert.ok(Object.keys(rec.fields).length <= MAX_FIELDS);
  for (const v of Object.values(rec.fields)) if (typeof v === 'string') assert.ok(v.length <= MAX_VALUE_CHARS);
  assert.doesNotMatch(rec.raw, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  assert.doesNotMatch(rec.message, /[\u0000-\u0008\u000b-\u001f\u007f]/);
}

describe('hostile input', () => {
  it('never throws on random bytes and keeps records bounded', () => {
    const rand = prng(42);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(rand() * 300));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      const rec = parseLogLine(bytes.toString('utf8'));
      assertBounded(rec);
    }
  });

  it('never throws on mutated real lines (cut, spliced, quotes removed)', () => {
    const rand = prng(7);
    const sources = [REAL_TIMEOUT_LINE, REAL_XDS_LINE, JSON.stringify({ level: 'error', message: 'x', error: 'y' })];
    for (let i = 0; i < 2000; i++) {
      const base = sources[i % sources.length] as string;
      const at = Math.floor(rand() * base.length);
      const mutated =
        i % 3 === 0
          ? base.slice(0, at)
          : i % 3 === 1
            ? base.slice(0, at) + '"\\{' + base.slice(at)
            : base.replace(/"/g, (m) => (rand() < 0.5 ? '' : m));
      assertBounded(parseLogLine(mutated, i % 2 === 0 ? 'ztunnel' : undefined));
    }
  });

  it('cuts a 1 MB line and says so', () => {
    const huge = `2026-01-10T12:00:01.000001Z\terror\taccess\tconnection complete\tsrc.addr=1.2.3.4:5 error="${'x'.repeat(1024 * 1024)}"`;
    const rec = parseZtunnelLine(huge);
    assert.equal(rec.level, 'error');
    assert.equal(rec.fields['src.addr'], '1.2.3.4:5');
    assert.equal(rec.truncated, true);
    assertBounded(rec);
  });

  it('survives 1 MB of pathological characters', () => {
    for (const ch of ['=', '"', '\\', '{', ':', ' ', '\t', 'a=', '2026-01-10T12:00:01Z\t']) {
      const rec = parseLogLine(ch.repeat(Math.ceil((1024 * 1024) / ch.length)));
      assertBounded(rec);
    }
    const nested = `2026-01-10T12:00:01Z\terror\t${'a{'.repeat(200000)}\tmsg`;
    assertBounded(parseLogLine(nested));
  });

  it('treats a 1 MB JSON line as raw text rather than parsing it', () => {
    const rec = parseLogLine(JSON.stringify({ level: 'error', message: 'm', blob: 'b'.repeat(1024 * 1024) }));
    assert.equal(rec.format, 'raw');
    assert.equal(rec.truncated, true);
    assertBounded(rec);
  });

  it('returns an empty raw record for an empty line', () => {
    const rec = parseLogLine('');
    assert.equal(rec.format, 'raw');
    assert.equal(rec.message, '');
  });
});
