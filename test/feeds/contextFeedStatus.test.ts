// How a context's status line is derived from the state of its watches (contextStatus.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveContextStatus, type ResourceHealth } from '../../src/feeds/contextStatus.ts';
import { describeStatus } from '../../src/store/selectors.ts';
import type { ClassifiedError } from '../../src/kube/errors.ts';

const error = (kind: ClassifiedError['kind'], message: string): ClassifiedError => ({ kind, message: `ctx: ${message}`, retryable: true });
const line = (resources: ResourceHealth[]): string => {
  const status = deriveContextStatus('ctx', resources);
  return describeStatus({ phase: status.phase, reasons: status.reasons, since: '' });
};
const ok = (id: string): ResourceHealth => ({ id, phase: 'watching', everSynced: true });

describe('context status from its watches', () => {
  it('is connecting until every watch has listed once, then ready', () => {
    assert.equal(line([ok('namespaces'), { id: 'pods#eastwest', phase: 'listing', everSynced: false }]), 'connecting');
    assert.equal(line([ok('namespaces'), ok('pods#eastwest')]), 'ready');
  });

  it('one-shot lists: ready once every resource has listed; a list that came back proves the connection', () => {
    const listed = (id: string): ResourceHealth => ({ id, phase: 'listed', everSynced: true });
    assert.equal(line([listed('namespaces'), listed('pods#eastwest')]), 'ready');
    const down = {
      id: 'gateways.gateway.networking.k8s.io',
      phase: 'failing',
      everSynced: false,
      error: error('unreachable', 'cannot reach https://h: connection reset (ECONNRESET)'),
    } as const;
    assert.equal(line([listed('namespaces'), down]), 'degraded: error on gateways.gateway.networking.k8s.io');
  });

  it('stays ready while a synced watch lists again (after a 410)', () => {
    assert.equal(line([ok('namespaces'), { id: 'pods#eastwest', phase: 'listing', everSynced: true }]), 'ready');
  });

  it('names each unhealthy resource once, by resource, not by watch', () => {
    const status = line([
      ok('namespaces'),
      {
        id: 'pods#eastwest',
        phase: 'forbidden',
        everSynced: false,
        error: error('forbidden', 'forbidden: user "u" cannot list pods at cluster scope'),
      },
      {
        id: 'pods#istio-cni',
        phase: 'forbidden',
        everSynced: false,
        error: error('forbidden', 'forbidden: user "u" cannot list pods at cluster scope'),
      },
      {
        id: 'gateways.gateway.networking.k8s.io',
        phase: 'notInstalled',
        everSynced: false,
        error: error('notInstalled', 'gateways not served'),
      },
      { id: 'services#global', phase: 'failing', everSynced: true, error: error('throttled', 'throttled') },
      { id: 'segments.admin.solo.io', phase: 'stalled', everSynced: true },
    ]);
    assert.equal(status, 'degraded: gateways not installed, forbidden on pods, stale segments.admin.solo.io, throttled on services');
  });

  it('says auth failed with the reason when credentials fail, whatever else is wrong', () => {
    assert.equal(
      line([
        { id: 'namespaces', phase: 'failing', everSynced: false, error: error('unreachable', 'cannot reach x') },
        { id: 'pods#eastwest', phase: 'failing', everSynced: false, error: error('exec', 'exec plugin "aws" failed with exit code 255') },
      ]),
      'auth failed: exec plugin "aws" failed with exit code 255',
    );
  });

  it('is unreachable only while no watch is open', () => {
    const down = {
      id: 'namespaces',
      phase: 'failing',
      everSynced: true,
      error: error('unreachable', 'cannot reach https://h: connection refused (ECONNREFUSED)'),
    } as const;
    assert.equal(line([down, { ...down, id: 'pods#eastwest' }]), 'unreachable: cannot reach https://h: connection refused (ECONNREFUSED)');
    assert.equal(line([down, ok('pods#eastwest')]), 'degraded: error on namespaces');
  });
});
