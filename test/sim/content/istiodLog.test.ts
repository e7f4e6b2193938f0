import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { istiodLogLine } from '../../../src/sim/content/istiodLog.ts';
import type { IstiodEvent } from '../../../src/sim/content/istiodLog.ts';

const at = new Date('2026-03-01T10:20:30.456Z');

const everyEvent: IstiodEvent[] = [
  { kind: 'peering-informers-synced' },
  { kind: 'peering-starting-watch', cluster: 'cluster2', network: 'net2', address: '172.18.0.10:15012' },
  { kind: 'peering-sync-complete', cluster: 'cluster2', network: 'net2', mode: 'gateway' },
  { kind: 'network-label-missing' },
  { kind: 'peering-connected', cluster: 'cluster2' },
  { kind: 'peering-disconnected', cluster: 'cluster2', cause: 'unknown-authority' },
  { kind: 'peering-disconnected', cluster: 'cluster2', cause: 'dial-timeout', address: '172.18.0.10:15012', backoffMs: 1600 },
  { kind: 'peering-disconnected', cluster: 'cluster2', cause: 'connection-refused' },
  { kind: 'peering-disconnected', cluster: 'cluster2', cause: 'no-such-host', address: 'abc.elb.amazonaws.com:15012' },
  { kind: 'peering-disconnected', cluster: 'cluster2', cause: 'unauthenticated' },
  { kind: 'license-skipping-feature' },
  { kind: 'license-skipping-feature', reason: 'non-enterprise' },
  { kind: 'license-expired-grace' },
  { kind: 'peering-incompatible-select-workload-entries' },
  { kind: 'peering-disabled-no-ambient' },
  { kind: 'ads-new-connection', proxyId: 'ztunnel-7xk2p.istio-system' },
  { kind: 'wds-push', proxyId: 'ztunnel-7xk2p.istio-system', resources: 57 },
];

interface TextLine {
  time: string;
  level: string;
  scope?: string;
  message: string;
  labels: Record<string, string>;
}

/** Splits an istiod console line; the scope column is only there for non-default scopes. */
function parseText(line: string): TextLine {
  const columns = line.split('\t');
  assert.ok(columns.length >= 3 && columns.length <= 5, line);
  const [time = '', level = ''] = columns;
  const rest = columns.slice(2);
  // A scope is one word (no spaces, colons, commas or dots); a message never is, in these lines.
  const scope = rest.length > 1 && /^[a-z]+$/.test(rest[0] ?? '') ? rest.shift() : undefined;
  const [message = '', labelText] = rest;
  const labels: Record<string, string> = {};
  for (const pair of labelText ? labelText.split(' ') : []) {
    const eq = pair.indexOf('=');
    assert.ok(eq > 0, `label ${pair} in ${line}`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { time, level, ...(scope ? { scope } : {}), message, labels };
}

describe('istiod log lines', () => {
  it('every line parses back, and text and JSON say the same thing', () => {
    for (const event of everyEvent) {
      const text = parseText(istiodLogLine(event, 'text', at));
      assert.equal(text.time, '2026-03-01T10:20:30.456000Z');
      assert.match(text.level, /^(debug|info|warn|error)$/);
      const json = JSON.parse(istiodLogLine(event, 'json', at)) as Record<string, unknown>;
      assert.equal(json.time, text.time);
      assert.equal(json.level, text.level);
      assert.equal(json.scope, text.scope, event.kind);
      assert.equal(json.msg, text.message);
      for (const [key, value] of Object.entries(text.labels)) assert.equal(String(json[key]), value, `${event.kind}: ${key}`);
      assert.deepEqual(Object.keys(json).slice(0, 2), ['level', 'time']);
    }
  });

  it('peering success is "cluster X sync complete" in scope peering with cluster, network and mode labels', () => {
    const line = istiodLogLine({ kind: 'peering-sync-complete', cluster: 'cluster2', network: 'net2' }, 'text', at);
    assert.equal(
      line,
      '2026-03-01T10:20:30.456000Z\tinfo\tpeering\tcluster cluster2 sync complete\tcluster=cluster2 network=net2 mode=gateway',
    );
  });

  it('a peer rejecting our CA shows as a deltaadsc disconnect for target=peering-<cluster>', () => {
    const parsed = parseText(istiodLogLine({ kind: 'peering-disconnected', cluster: 'cluster2', cause: 'unknown-authority' }, 'text', at));
    assert.equal(parsed.level, 'warn');
    assert.equal(parsed.scope, 'deltaadsc');
    assert.match(parsed.message, /^disconnected, retrying in 5s: .*tls: unknown certificate authority"$/);
    assert.deepEqual(parsed.labels, { target: 'peering-cluster2' });
  });

  it('licensing and startup guards are default-scope lines with the documented wording', () => {
    const skipping = parseText(istiodLogLine({ kind: 'license-skipping-feature' }, 'text', at));
    assert.equal(skipping.scope, undefined);
    assert.equal(skipping.level, 'error');
    assert.equal(skipping.message, 'SKIPPING FEATURE MultiCluster due to licensing issue: expired');
    assert.equal(
      parseText(istiodLogLine({ kind: 'license-expired-grace' }, 'text', at)).message,
      'WARNING: found expired license key, temporarily allowing for a grace period',
    );
    assert.equal(
      parseText(istiodLogLine({ kind: 'peering-incompatible-select-workload-entries' }, 'text', at)).message,
      'peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false',
    );
    const json = JSON.parse(istiodLogLine({ kind: 'license-expired-grace' }, 'json', at)) as Record<string, unknown>;
    assert.equal('scope' in json, false);
  });

  it('a missing network label is an error that says it will retry', () => {
    const parsed = parseText(istiodLogLine({ kind: 'network-label-missing', retryInMs: 2500 }, 'text', at));
    assert.equal(parsed.level, 'error');
    assert.equal(parsed.scope, 'peering');
    assert.equal(parsed.message, "fetched namespace istio-system but 'topology.istio.io/network' is not set; will retry in 2.5s");
  });
});
