// Decode a Solo license key's claims for display (type, product, expiry countdown) without ever
// handing the key itself back. Keys are JWT-like but field scripts disagree on whether they
// have two or three dot-separated parts, so every part is tried and the one that parses as a
// claims object wins. The signature cannot be verified here (no public key): claims are
// informational; istiod's /debug/license is the authority.
//
// Input may be anything read from a Secret, an env var or a Helm value, so nothing here throws
// and no error message quotes the input.

export interface LicenseClaims {
  /** `enterprise` for lt=ent, `trial` for lt=trial, otherwise the raw `lt` value. */
  type?: string;
  product?: string;
  expiresAt?: Date;
  issuedAt?: Date;
  [claim: string]: unknown;
}

export type DecodedLicense = { ok: true; claims: LicenseClaims } | { ok: false; error: string };

/** Real keys are a few hundred bytes; anything far larger is not a key and is not worth decoding. */
const MAX_KEY_CHARS = 16 * 1024;
const MAX_PARTS = 5;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export function decodeLicenseKey(key: unknown): DecodedLicense {
  if (typeof key !== 'string') return { ok: false, error: 'license key is not a string' };
  const trimmed = key.trim();
  if (trimmed === '') return { ok: false, error: 'license key is empty' };
  if (trimmed.length > MAX_KEY_CHARS) return { ok: false, error: `license key is longer than ${MAX_KEY_CHARS} characters` };

  const parts = trimmed.split('.');
  if (parts.length > MAX_PARTS) return { ok: false, error: `license key has ${parts.length} dot-separated parts; expected 2 or 3` };

  const objects = parts.map(decodeJsonObject).filter((value): value is Record<string, unknown> => value !== undefined);
  const claims = objects.find(looksLikeClaims) ?? objects.find((value) => !looksLikeHeader(value));
  if (!claims) {
    return { ok: false, error: 'license key has no decodable claims (no part is base64url-encoded JSON)' };
  }
  return { ok: true, claims: toClaims(claims, trimmed) };
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const text = Buffer.from(part, 'base64url').toString('utf8');
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function looksLikeClaims(value: Record<string, unknown>): boolean {
  return 'lt' in value || 'product' in value || 'exp' in value;
}

function looksLikeHeader(value: Record<string, unknown>): boolean {
  return 'alg' in value || 'typ' in value;
}

function toClaims(raw: Record<string, unknown>, key: string): LicenseClaims {
  const claims: LicenseClaims = {};
  for (const [name, value] of Object.entries(raw)) {
    // JSON.parse makes "__proto__" an own key; assigning it would swap our object's prototype.
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') continue;
    // A claim that echoes the key (or a large part of it) would leak it through the claims.
    if (typeof value === 'string' && value.length >= 16 && key.includes(value)) continue;
    claims[name] = value;
  }
  if (typeof raw.lt === 'string') claims.type = raw.lt === 'ent' ? 'enterprise' : raw.lt;
  else if (typeof claims.type !== 'string') delete claims.type;
  if (typeof claims.product !== 'string') delete claims.product;
  const expiresAt = unixSeconds(raw.exp);
  if (expiresAt) claims.expiresAt = expiresAt;
  else delete claims.expiresAt;
  const issuedAt = unixSeconds(raw.iat);
  if (issuedAt) claims.issuedAt = issuedAt;
  else delete claims.issuedAt;
  return claims;
}

function unixSeconds(value: unknown): Date | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Licence products restricted to FIPS/LTS builds: valid, but without MultiCluster (mission-anchors §1.8). */
const RESTRICTED_PRODUCTS: readonly string[] = ['gloocore', 'istiosupportbasic'];

/** Whether a licence for this product excludes MultiCluster; spelling variants (`Gloo-Core`, `gloo_core`) count. */
export function isRestrictedProduct(product: string | undefined): boolean {
  return RESTRICTED_PRODUCTS.includes((product ?? '').toLowerCase().replace(/[-_ ]/g, ''));
}
