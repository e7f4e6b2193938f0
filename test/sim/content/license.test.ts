import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { debugLicenseResponse, licenseLogWarning, makeLicenseKey } from '../../../src/sim/content/license.ts';

const now = new Date('2026-03-01T10:20:30Z');

describe('simulated Solo license', () => {
  it('mints a JWT-shaped key whose payload field scripts can read', () => {
    const key = makeLicenseKey({ type: 'trial', product: 'gloo-trial', expiresInDays: 14 }, now);
    const parts = key.split('.');
    assert.equal(parts.length, 3);
    assert.ok(key.startsWith('eyJ'));
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(payload.lt, 'trial');
    assert.equal(payload.product, 'gloo-trial');
    assert.equal(payload.exp, Math.floor(now.getTime() / 1000) + 14 * 86_400);
    assert.notEqual(makeLicenseKey({ type: 'trial', product: 'gloo-trial', expiresInDays: 14 }, now), key, 'keys are unique');
  });

  it('/debug/license answers {State, Product} the way istiod decides them', () => {
    assert.deepEqual(debugLicenseResponse({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 90 }, now), {
      State: 'OK',
      Product: 'gloo-mesh',
    });
    // An expired enterprise key keeps working (grace period); an expired trial does not.
    assert.deepEqual(debugLicenseResponse({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: -1 }, now), {
      State: 'OK',
      Product: 'gloo-mesh',
    });
    assert.deepEqual(debugLicenseResponse({ type: 'trial', product: 'gloo-trial', expiresInDays: -1 }, now), {
      State: 'EXPIRED',
      Product: 'gloo-trial',
    });
    assert.deepEqual(debugLicenseResponse({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 5, state: 'INVALID' }, now), {
      State: 'INVALID',
      Product: 'gloo-mesh',
    });
  });

  it('names the warning istiod repeats for an expired key', () => {
    assert.equal(licenseLogWarning({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: -1 }), 'expired-grace');
    assert.equal(licenseLogWarning({ type: 'trial', product: 'gloo-trial', expiresInDays: -1 }), 'skipping-feature');
    assert.equal(licenseLogWarning({ type: 'trial', product: 'gloo-trial', expiresInDays: 1 }), undefined);
  });
});
