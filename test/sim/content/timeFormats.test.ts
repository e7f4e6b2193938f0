import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration, goJsonTime, protoJsonTimestamp, rfc3339Micros } from '../../../src/sim/content/timeFormats.ts';

describe('time formats of the simulated components', () => {
  it('log stamps have six fractional digits in UTC, like ztunnel and istiod', () => {
    assert.equal(rfc3339Micros(new Date('2024-07-26T17:18:00.953Z')), '2024-07-26T17:18:00.953000Z');
    assert.equal(rfc3339Micros(new Date('2024-07-26T17:18:00Z')), '2024-07-26T17:18:00.000000Z');
  });

  it('Go JSON times trim trailing zeros; protojson keeps 0 or 3 digits; never is year 1', () => {
    assert.equal(goJsonTime(new Date('2026-01-10T12:00:01.200Z')), '2026-01-10T12:00:01.2Z');
    assert.equal(goJsonTime(new Date('2026-01-10T12:00:01Z')), '2026-01-10T12:00:01Z');
    assert.equal(goJsonTime(undefined), '0001-01-01T00:00:00Z');
    assert.equal(protoJsonTimestamp(new Date('2026-01-10T12:00:01.200Z')), '2026-01-10T12:00:01.200Z');
    assert.equal(protoJsonTimestamp(new Date('2026-01-10T12:00:02Z')), '2026-01-10T12:00:02Z');
    assert.equal(protoJsonTimestamp(undefined), '0001-01-01T00:00:00Z');
  });

  it("durations read like Go's time.Duration", () => {
    assert.deepEqual([320, 1000, 1600, 5000, 20_000, 90_000, 120_000, 3_723_000].map(goDuration), [
      '320ms',
      '1s',
      '1.6s',
      '5s',
      '20s',
      '1m30s',
      '2m0s',
      '1h2m3s',
    ]);
  });
});
