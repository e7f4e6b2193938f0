// The last gate before a captured scenario is written: whatever got past the store's sanitizer
// (a private key pasted into a log line, a bearer token in an annotation, a license key in an
// env value) is cut out of every string. Over-redacting a captured incident is harmless;
// leaking one key into incident notes is not.

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Anything still naming a private key (a truncated block, a header on its own).
const PRIVATE_KEY_WORDS = /PRIVATE KEY/g;
// JWTs (service-account tokens, Solo license keys): base64url JSON header, payload, signature.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export const REDACTED = '<redacted>';

export function scrubText(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(PRIVATE_KEY_WORDS, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`);
}

/** Every string of a JSON-like value scrubbed, keys included; a new value, the input untouched. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k), scrubDeep(v)])) as T;
  }
  return value;
}
