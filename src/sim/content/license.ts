// A simulated Solo license key and istiod's /debug/license answer (reference mission-anchors §1.8).
// The real key is a signed JWT-like token whose payload field scripts read for `lt` (ent|trial),
// `product` and expiry; we mint one with those claims and a signature nobody can verify, exactly
// as unverifiable client-side as the real one. The key is a secret: callers put it in a Secret or
// an env var and never print it.
import { createHash, randomBytes } from 'node:crypto';
import type { JsonValue } from '../api/types.ts';

export interface LicenseSpec {
  type: 'enterprise' | 'trial';
  /** The `product` claim, e.g. `gloo-mesh` or `gloo-trial`. */
  product: string;
  /** Negative for an already expired key. */
  expiresInDays: number;
  /** Force istiod's reported State (UNSET, INVALID, EXPIRED, BYPASSED, OK) instead of deriving it. */
  state?: string;
}

const DAY_MS = 86_400_000;

export function makeLicenseKey(spec: LicenseSpec, now: Date): string {
  const header = { alg: 'ES256', typ: 'JWT' };
  const issuedAt = Math.floor(now.getTime() / 1000) - 30 * 86_400;
  const payload = {
    exp: Math.floor((now.getTime() + spec.expiresInDays * DAY_MS) / 1000),
    iat: issuedAt,
    // A per-key id, so two keys with the same claims still differ (as real keys do).
    k: randomBytes(6).toString('hex'),
    lt: spec.type === 'enterprise' ? 'ent' : 'trial',
    product: spec.product,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // 64 bytes like an ES256 signature; derived from the content, verifiable by no one.
  const signature = createHash('sha512').update(signingInput).digest().toString('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * istiod's `/debug/license` body: Go's `LicenseInfo{State, Product}` marshalled as-is. The
 * state follows Solo's rules: an expired trial is EXPIRED; an expired enterprise key stays OK
 * (istiod only logs the grace-period warning).
 */
// `now` is unused: expiresInDays is already relative to it; kept so the call reads like makeLicenseKey's.
export function debugLicenseResponse(spec: LicenseSpec, _now: Date): JsonValue {
  return { State: licenseState(spec), Product: spec.product };
}

/** What istiod decides from the key: OK, or EXPIRED for an expired trial. */
export function licenseState(spec: LicenseSpec): string {
  if (spec.state) return spec.state;
  return spec.expiresInDays < 0 && spec.type === 'trial' ? 'EXPIRED' : 'OK';
}

/**
 * Which warning istiod repeats for this key (reference §3.2): an expired enterprise key →
 * grace period; an expired trial → MultiCluster skipped; otherwise none.
 */
export function licenseLogWarning(spec: LicenseSpec): 'expired-grace' | 'skipping-feature' | undefined {
  if (spec.expiresInDays >= 0) return undefined;
  return spec.type === 'enterprise' ? 'expired-grace' : 'skipping-feature';
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
