// A Solo licence key turned into what the console may keep: its type, product and dates. The
// store's sanitizer drops every secret value, and the licence key is one, so without this the
// expiry countdown could never fire. Decoding happens here, at the store's one gate, because it
// is the last place the key is seen: the claims replace it on the stored object (a Secret's data
// key or a container's env var) and the key itself goes no further — not into the store, a
// snapshot, a report or a capture. Dates are ISO strings so the claims stay plain JSON, like the
// rest of a stored object, and survive snapshots and captures unchanged.
import { decodeLicenseKey } from '../mesh/license.ts';

/** Top-level field of a sanitized object: the claims of each licence key it held, by where it was. */
export const LICENSE_CLAIMS_FIELD = 'licenseClaims';

/** Data keys a licence Secret may use (Helm license.secretRef, SOLO_LICENSE_SECRET; reference §1.8). */
export const LICENSE_DATA_KEYS: readonly string[] = ['license-key', 'gloo-mesh-license-key', 'gloo-trial-license-key'];
/** Env vars istiod reads an inline licence key from. */
export const LICENSE_ENV_NAMES: readonly string[] = ['SOLO_LICENSE_KEY', 'GLOO_MESH_LICENSE_KEY'];

export interface StoredLicenseClaims {
  /** `enterprise`, `trial`, or the raw `lt` claim. */
  type?: string;
  product?: string;
  /** ISO time. */
  expiresAt?: string;
  /** ISO time. */
  issuedAt?: string;
  /** Why the key could not be decoded; never quotes the key. */
  error?: string;
}

/**
 * Keyed by where the key was: `data/<data key>` on a Secret, `env/<container>/<var>` on a pod
 * or a workload's pod template.
 */
export type LicenseClaimsField = Record<string, StoredLicenseClaims>;

export function secretDataSource(dataKey: string): string {
  return `data/${dataKey}`;
}

export function envSource(container: string, name: string): string {
  return `env/${container}/${name}`;
}

/** Claims of a key given as plain text (an env value, a decoded Secret value). */
export function claimsOfKey(key: string): StoredLicenseClaims {
  const decoded = decodeLicenseKey(key);
  if (!decoded.ok) return { error: decoded.error };
  const { type, product, expiresAt, issuedAt } = decoded.claims;
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof product === 'string' ? { product } : {}),
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    ...(issuedAt ? { issuedAt: issuedAt.toISOString() } : {}),
  };
}

/** Claims of a Secret's data value (base64 of the key). */
export function claimsOfSecretValue(base64: unknown): StoredLicenseClaims {
  if (typeof base64 !== 'string') return { error: 'license key is not a string' };
  return claimsOfKey(Buffer.from(base64, 'base64').toString('utf8'));
}

/**
 * An unsigned, one-part stand-in holding only the kept claims, for a captured scenario: a replay
 * decodes it to the same type, product and dates, yet it carries nothing of the real key.
 */
export function claimsOnlyKey(claims: StoredLicenseClaims): string {
  const payload: Record<string, string | number> = {};
  if (claims.type !== undefined) payload['lt'] = claims.type === 'enterprise' ? 'ent' : claims.type;
  if (claims.product !== undefined) payload['product'] = claims.product;
  if (claims.expiresAt !== undefined) payload['exp'] = Math.floor(Date.parse(claims.expiresAt) / 1000);
  if (claims.issuedAt !== undefined) payload['iat'] = Math.floor(Date.parse(claims.issuedAt) / 1000);
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The claims field of a stored object, when it has a well-formed one. */
export function licenseClaimsOf(obj: Record<string, unknown>): LicenseClaimsField | undefined {
  const field = obj[LICENSE_CLAIMS_FIELD];
  if (typeof field !== 'object' || field === null || Array.isArray(field)) return undefined;
  return field as LicenseClaimsField;
}
