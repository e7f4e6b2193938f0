import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLicenseKey } from '../../src/mesh/license.ts';
import { makeLicenseKey } from '../../src/sim/content/license.ts';

const now = new Date('2026-03-01T10:20:30Z');
const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('decodeLicenseKey', () => {
  it('reads type, product and expiry from a three-part key', () => {
    const key = makeLicenseKey({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 30 }, now);
    const decoded = decodeLicenseKey(key);
    assert.equal(decoded.ok, true);
    if (!decoded.ok) return;
    assert.equal(decoded.claims.type, 'enterprise');
    assert.equal(decoded.claims.product, 'gloo-mesh');
    assert.equal(decoded.claims.expiresAt?.toISOString(), '2026-03-31T10:20:30.000Z');
    assert.equal(decoded.claims.lt, 'ent');
  });

  it('reads a two-part key (payload.signature) and a trial key', () => {
    const decoded = decodeLicenseKey(`${b64({ lt: 'trial', product: 'gloo-trial', exp: 1_700_000_000 })}.c2lnbmF0dXJl`);
    assert.deepEqual(
      decoded.ok && { type: decoded.claims.type, product: decoded.claims.product, exp: decoded.claims.expiresAt?.getTime() },
      { type: 'trial', product: 'gloo-trial', exp: 1_700_000_000_000 },
    );
  });

  it('never returns the key, neither in claims nor in errors', () => {
    const key = makeLicenseKey({ type: 'trial', product: 'gloo-trial', expiresInDays: -3 }, now);
    const [header, payload, signature] = key.split('.');
    for (const input of [key, `${header}.${signature}`, `${payload}.${payload}.${payload}`, `${key}x`, `!${key}`]) {
      const text = JSON.stringify(decodeLicenseKey(input));
      assert.ok(!text.includes(key), 'whole key leaked');
      assert.ok(!text.includes(String(signature)), 'signature leaked');
      assert.ok(!text.includes(String(payload)), 'payload leaked');
    }
  });

  it('never throws on garbage, and says why it failed', () => {
    const garbage: unknown[] = [
      '',
      '   ',
      'a',
      'a.b',
      'a.b.c',
      'a.b.c.d',
      'a.b.c.d.e.f',
      '.',
      '...',
      '!!!.@@@.###',
      b64('{not json'),
      `${b64('{not json')}.${b64('[1,2]')}.${b64('null')}`,
      b64('"a string"'),
      b64('42'),
      `${b64({ alg: 'ES256' })}.${b64('{"lt":')}`,
      'eyJ',
      '=.=.=',
      '\u0000.\u0000',
      'é.ü.ß',
      'x'.repeat(5_000_000),
      '.'.repeat(100_000),
      `${b64({ lt: 'ent' })}${'.a'.repeat(10)}`,
      undefined,
      null,
      42,
      {},
      ['a.b'],
    ];
    for (const input of garbage) {
      const decoded = decodeLicenseKey(input);
      assert.equal(decoded.ok, false, `accepted ${JSON.stringify(input)?.slice(0, 40)}`);
      if (!decoded.ok) assert.ok(decoded.error.length > 0 && decoded.error.length < 200);
    }
  });

  it('keeps odd but decodable claims without letting them change the result object', () => {
    const decoded = decodeLicenseKey(`${b64('{"__proto__":{"polluted":true},"lt":5,"product":["x"],"exp":"soon","addOns":[]}')}.sig`);
    assert.equal(decoded.ok, true);
    if (!decoded.ok) return;
    assert.equal(decoded.claims.type, undefined);
    assert.equal(decoded.claims.product, undefined);
    assert.equal(decoded.claims.expiresAt, undefined);
    assert.deepEqual(decoded.claims.addOns, []);
    assert.equal((decoded.claims as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(decoded.claims), Object.prototype);
  });
});
