// The one gate every Kubernetes object passes on its way into the store. It drops what the
// console never needs and must never keep: managedFields (bulk), and anything secret —
// private keys, tokens, passwords, license keys. What remains is the object as received, plus
// the claims of any licence key it held (licenseClaims.ts), which replace the key.
import type { KubeObjectJson } from './types.ts';
import {
  LICENSE_CLAIMS_FIELD,
  LICENSE_DATA_KEYS,
  LICENSE_ENV_NAMES,
  claimsOfKey,
  claimsOfSecretValue,
  envSource,
  licenseClaimsOf,
  secretDataSource,
  type LicenseClaimsField,
} from './licenseClaims.ts';
import { projectPod } from './podProjection.ts';

/** Top-level field added to a stored Secret listing the data keys that were dropped. */
export const DROPPED_KEYS_FIELD = 'droppedDataKeys';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const REDACTED = '<redacted>';

// Names that say "secret material" whatever their extension (tls.key, ca-key.pem, token…).
const SECRET_NAME_WORDS = ['key', 'token', 'password', 'passwd', 'secret', 'credential', 'license', 'auth', 'jwt', 'p12', 'pfx', 'jks'];
// Public certificate material we keep, so checks can compare roots and read expiry.
const PUBLIC_SUFFIXES = ['.crt', '.pem', '.cert', '.cer', '.crl'];

/** Is this Secret data key public certificate material (kept) rather than secret (dropped)? */
export function isPublicSecretKey(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_NAME_WORDS.some((w) => lower.includes(w))) return false;
  return PUBLIC_SUFFIXES.some((s) => lower.endsWith(s));
}

/** Even a key named like a certificate is dropped when its content holds a private key. */
function holdsPrivateKey(base64: unknown): boolean {
  if (typeof base64 !== 'string') return true;
  // A data value is base64; a decode of a few MB is cheap and happens once per Secret change.
  const text = Buffer.from(base64, 'base64').toString('latin1');
  return text.includes('PRIVATE KEY');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sanitizeSecret(obj: KubeObjectJson): KubeObjectJson {
  const dropped: string[] = [];
  const data: Record<string, unknown> = {};
  // An object sanitized before (the feed sanitizes Secrets early, the store again) keeps its claims.
  const claims: LicenseClaimsField = { ...licenseClaimsOf(obj) };
  if (isRecord(obj['data'])) {
    for (const [k, v] of Object.entries(obj['data'])) {
      if (isPublicSecretKey(k) && !holdsPrivateKey(v)) data[k] = v;
      else dropped.push(k);
      if (LICENSE_DATA_KEYS.includes(k)) claims[secretDataSource(k)] = claimsOfSecretValue(v);
    }
  }
  // The API never returns stringData, but a hand-made object might carry it: never keep it.
  if (isRecord(obj['stringData'])) dropped.push(...Object.keys(obj['stringData']));
  const { stringData: _stringData, data: _data, ...rest } = obj;
  const annotations = obj.metadata.annotations;
  // kubectl apply keeps the whole Secret, data included, in this annotation.
  const safeAnnotations =
    annotations && LAST_APPLIED in annotations
      ? Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== LAST_APPLIED))
      : annotations;
  return {
    ...rest,
    metadata: { ...rest.metadata, ...(safeAnnotations ? { annotations: safeAnnotations } : {}) },
    ...('data' in obj ? { data } : {}),
    ...(dropped.length > 0 ? { [DROPPED_KEYS_FIELD]: dropped.sort() } : {}),
    ...(Object.keys(claims).length > 0 ? { [LICENSE_CLAIMS_FIELD]: claims } : {}),
  };
}

const SECRET_ENV = /(?:KEY|TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL)/i;
// Named like a secret but holding only where one is: SOLO_LICENSE_SECRET=<namespace>/<name>.
const SECRET_REFERENCE_ENV = ['SOLO_LICENSE_SECRET'];

function isSecretEnv(name: string): boolean {
  return SECRET_ENV.test(name) && !SECRET_REFERENCE_ENV.includes(name);
}

function redactContainers(containers: unknown, claims: LicenseClaimsField): { value: unknown; changed: boolean } {
  if (!Array.isArray(containers)) return { value: containers, changed: false };
  let changed = false;
  const value = containers.map((c: unknown) => {
    if (!isRecord(c) || !Array.isArray(c['env'])) return c;
    let containerChanged = false;
    const env = (c['env'] as unknown[]).map((e: unknown) => {
      if (isRecord(e) && typeof e['name'] === 'string' && typeof e['value'] === 'string' && isSecretEnv(e['name'])) {
        if (LICENSE_ENV_NAMES.includes(e['name']) && e['value'] !== REDACTED)
          claims[envSource(typeof c['name'] === 'string' ? c['name'] : '', e['name'])] = claimsOfKey(e['value']);
        containerChanged = true;
        return { ...e, value: REDACTED };
      }
      return e;
    });
    if (!containerChanged) return c;
    changed = true;
    return { ...c, env };
  });
  return { value, changed };
}

/** Pod specs (and the pod templates of workloads) may carry a license key or token as a literal env value. */
function redactPodSpec(spec: unknown, claims: LicenseClaimsField): { value: unknown; changed: boolean } {
  if (!isRecord(spec)) return { value: spec, changed: false };
  const containers = redactContainers(spec['containers'], claims);
  const init = redactContainers(spec['initContainers'], claims);
  if (!containers.changed && !init.changed) return { value: spec, changed: false };
  return { value: { ...spec, containers: containers.value, ...(init.changed ? { initContainers: init.value } : {}) }, changed: true };
}

function redactEnv(obj: KubeObjectJson, claims: LicenseClaimsField): KubeObjectJson {
  const spec = obj['spec'];
  if (!isRecord(spec)) return obj;
  const direct = redactPodSpec(spec, claims);
  if (direct.changed) return { ...obj, spec: direct.value };
  const template = spec['template'];
  if (isRecord(template)) {
    const inner = redactPodSpec(template['spec'], claims);
    if (inner.changed) return { ...obj, spec: { ...spec, template: { ...template, spec: inner.value } } };
  }
  return obj;
}

/** Env values redacted, with the claims of any inline licence key in their place. */
function sanitizeWorkload(obj: KubeObjectJson): KubeObjectJson {
  // Sanitizing twice keeps the claims found the first time (the env value is redacted by then).
  const claims: LicenseClaimsField = { ...licenseClaimsOf(obj) };
  const redacted = redactEnv(obj, claims);
  return Object.keys(claims).length > 0 ? { ...redacted, [LICENSE_CLAIMS_FIELD]: claims } : redacted;
}

/**
 * The object as it may be stored: a new top-level object and metadata (the caller's object is
 * never modified), managedFields removed, secrets dropped, secret-looking env values redacted,
 * and a Pod cut to what the console reads (podProjection.ts).
 */
export function sanitizeObject(obj: KubeObjectJson): KubeObjectJson {
  const { managedFields: _managed, ...metadata } = obj.metadata;
  const base: KubeObjectJson = { ...obj, metadata };
  if (obj.kind === 'Secret') return sanitizeSecret(base);
  const workload = sanitizeWorkload(base);
  return obj.kind === 'Pod' ? projectPod(workload) : workload;
}
