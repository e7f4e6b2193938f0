import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TYPE_URLS, isSoloPeeringType, shortTypeName, typeUrlsForShortName } from '../../src/mesh/typeUrls.ts';

describe('type URL abbreviations', () => {
  it('abbreviates the upstream types as istioctl does', () => {
    assert.equal(shortTypeName('type.googleapis.com/envoy.config.cluster.v3.Cluster'), 'CDS');
    assert.equal(shortTypeName('type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig'), 'ECDS');
    assert.equal(shortTypeName('type.googleapis.com/istio.security.Authorization'), 'WADS');
    assert.equal(shortTypeName('type.googleapis.com/istio.workload.Address'), 'WDS');
    assert.equal(shortTypeName('type.googleapis.com/istio.workload.Workload'), 'WDS');
  });

  it("knows Solo's peering types", () => {
    assert.equal(shortTypeName('type.googleapis.com/istio.workload.FederatedService'), 'FSDS');
    assert.equal(shortTypeName('type.googleapis.com/istio.workload.Segment'), 'SGDS');
    assert.equal(isSoloPeeringType(TYPE_URLS.FSDS), true);
    assert.equal(isSoloPeeringType(TYPE_URLS.CDS), false);
  });

  it('shows an unknown type URL in full', () => {
    assert.equal(shortTypeName('type.googleapis.com/foo.Bar'), 'type.googleapis.com/foo.Bar');
  });

  it('maps a short name back to its type URLs', () => {
    assert.deepEqual(typeUrlsForShortName('wds'), [TYPE_URLS.WDS_ADDRESS, TYPE_URLS.WDS_WORKLOAD]);
    assert.deepEqual(typeUrlsForShortName('SGDS'), [TYPE_URLS.SGDS]);
    assert.deepEqual(typeUrlsForShortName('XYZ'), []);
  });
});
