// Istio CA material as the checks need it (istio-internals §4): PEM bundles from the cacerts
// Secret (ca-cert.pem, cert-chain.pem, root-cert.pem) and the istio-ca-root-cert ConfigMap
// (root-cert.pem), parsed with node-forge into plain facts — subject, issuer, validity, SHA-256
// fingerprint — plus "does this chain verify against that root bundle", the question behind
// "every cluster's intermediate chains up to a common root". Nothing here throws: a bundle that
// does not parse says why. Only public certificates pass through here, never keys.
//
// node-forge reads RSA certificates only. ECDSA CAs (common with cert-manager / istio-csr) are
// read with Node's own X509Certificate instead, so they are checked rather than left unknown.
import forge from 'node-forge';
import { X509Certificate } from 'node:crypto';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER encoding, colon-separated upper-case hex (like `openssl x509 -fingerprint -sha256`). */
  sha256: string;
  isCa: boolean;
  selfSigned: boolean;
}

export interface ParsedCertificate {
  facts: CertificateFacts;
  /** The certificate as PEM: public material only. */
  pem: string;
  /** Set when node-forge could read it (RSA). */
  forgeCert?: forge.pki.Certificate;
}

export type ParsedBundle = { ok: true; certificates: ParsedCertificate[] } | { ok: false; error: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function distinguishedName(attributes: forge.pki.CertificateField[]): string {
  return attributes.map((a) => `${a.shortName ?? a.name ?? a.type ?? '?'}=${String(a.value)}`).join(', ');
}

function fingerprintOf(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const md = forge.md.sha256.create();
  md.update(der);
  return (md.digest().toHex().toUpperCase().match(/../g) ?? []).join(':');
}

function isCaCert(cert: forge.pki.Certificate): boolean {
  const bc = cert.getExtension('basicConstraints') as { cA?: boolean } | null;
  return bc?.cA === true;
}

function forgeIssued(issuer: forge.pki.Certificate, child: forge.pki.Certificate): boolean {
  try {
    // Checks the issuer name matches and the signature verifies with the issuer's public key.
    return issuer.verify(child);
  } catch {
    return false;
  }
}

/**
 * Signature verdicts by (issuer, child) fingerprints: every context's chain is verified against
 * every other context's roots, so twenty contexts ask the same few hundred questions on every
 * evaluation. Bounded like the bundle cache; a verdict about two fixed certificates never changes.
 */
const ISSUED_CACHE = new Map<string, boolean>();
const ISSUED_CACHE_SIZE = 4096;

/** Did `issuer` sign `child` (issuer name matches, signature verifies with the issuer's key)? */
function issued(issuer: ParsedCertificate, child: ParsedCertificate): boolean {
  const key = `${issuer.facts.sha256}>${child.facts.sha256}`;
  const known = ISSUED_CACHE.get(key);
  if (known !== undefined) return known;
  const verdict = verifiedIssued(issuer, child);
  ISSUED_CACHE.set(key, verdict);
  if (ISSUED_CACHE.size > ISSUED_CACHE_SIZE) ISSUED_CACHE.delete(ISSUED_CACHE.keys().next().value as string);
  return verdict;
}

function verifiedIssued(issuer: ParsedCertificate, child: ParsedCertificate): boolean {
  if (issuer.forgeCert && child.forgeCert) return forgeIssued(issuer.forgeCert, child.forgeCert);
  try {
    const parent = new X509Certificate(issuer.pem);
    const cert = new X509Certificate(child.pem);
    return cert.checkIssued(parent) && cert.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** Does `issuer`'s subject name equal `child`'s issuer name (whatever the keys)? */
function namesIssuer(issuer: ParsedCertificate, child: ParsedCertificate): boolean {
  return issuer.facts.subject === child.facts.issuer;
}

function forgeParsed(cert: forge.pki.Certificate, pem: string): ParsedCertificate {
  return {
    pem,
    forgeCert: cert,
    facts: {
      subject: distinguishedName(cert.subject.attributes),
      issuer: distinguishedName(cert.issuer.attributes),
      notBefore: cert.validity.notBefore,
      notAfter: cert.validity.notAfter,
      sha256: fingerprintOf(cert),
      isCa: isCaCert(cert),
      selfSigned: cert.isIssuer(cert) && forgeIssued(cert, cert),
    },
  };
}

/** Node prints names one attribute per line; forge's form is `CN=…, O=…`. */
function nodeName(name: string): string {
  return name
    .split('\n')
    .filter((part) => part !== '')
    .join(', ');
}

function nodeParsed(pem: string): ParsedCertificate {
  const cert = new X509Certificate(pem);
  let selfSigned = false;
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    selfSigned = false;
  }
  return {
    pem,
    facts: {
      subject: nodeName(cert.subject),
      issuer: nodeName(cert.issuer),
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      sha256: cert.fingerprint256,
      isCa: cert.ca,
      selfSigned,
    },
  };
}

/**
 * Parsed bundles by PEM text. Parsing is most of what the certificate checks cost (node-forge
 * decodes and hashes every certificate), and the same few roots and CAs are read on every
 * evaluation. Bounded, oldest first out; a parsed bundle is never mutated, so sharing it is safe.
 */
const BUNDLE_CACHE = new Map<string, ParsedBundle>();
export const BUNDLE_CACHE_SIZE = 256;

/** Every certificate of a PEM bundle, in order. Fails when the bundle holds none or one is unreadable. */
export function parseCertificateBundle(pem: string): ParsedBundle {
  const cached = BUNDLE_CACHE.get(pem);
  if (cached !== undefined) {
    // Refresh its place: the bundles in use stay, the ones of a rotated CA age out.
    BUNDLE_CACHE.delete(pem);
    BUNDLE_CACHE.set(pem, cached);
    return cached;
  }
  const parsed = parseBundleUncached(pem);
  BUNDLE_CACHE.set(pem, parsed);
  if (BUNDLE_CACHE.size > BUNDLE_CACHE_SIZE) BUNDLE_CACHE.delete(BUNDLE_CACHE.keys().next().value as string);
  return parsed;
}

function parseBundleUncached(pem: string): ParsedBundle {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, error: 'no PEM certificate found' };
  const certificates: ParsedCertificate[] = [];
  for (const [index, block] of blocks.entries()) {
    let forgeCert: forge.pki.Certificate | undefined;
    try {
      forgeCert = forge.pki.certificateFromPem(block);
    } catch {
      forgeCert = undefined;
    }
    try {
      certificates.push(forgeCert ? forgeParsed(forgeCert, block) : nodeParsed(block));
    } catch (err) {
      return {
        ok: false,
        error: `certificate ${index + 1} of ${blocks.length} cannot be parsed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  return { ok: true, certificates };
}

/** Decode a Secret data value (base64) to PEM text; undefined when it is not a string. */
export function pemOfSecretValue(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

export type ChainVerdict = { ok: true; root: CertificateFacts; path: CertificateFacts[] } | { ok: false; reason: string };

/**
 * Does `leaf` chain, through the certificates in `intermediates`, to a certificate of `roots`
 * (by name *and* signature, like x509.Verify)? Validity dates are not judged here: expiry has
 * its own check. Loops and overlong chains are cut off.
 */
export function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  roots: readonly ParsedCertificate[],
): ChainVerdict {
  const path: CertificateFacts[] = [leaf.facts];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => issued(r, current));
    if (root) return { ok: true, root: root.facts, path };
    if (roots.some((r) => r.facts.sha256 === current.facts.sha256)) return { ok: true, root: current.facts, path };
    const next = intermediates.find((i) => i.facts.sha256 !== current.facts.sha256 && issued(i, current));
    if (!next) {
      const ends = `the chain ends at "${current.facts.subject}" (SHA-256 ${current.facts.sha256})`;
      const sameName = roots.some((r) => namesIssuer(r, current));
      return {
        ok: false,
        reason: sameName
          ? `${ends}; a trusted root has its issuer's name "${current.facts.issuer}" but not its key, so ` +
            `the signature does not verify (a different root with the same name)`
          : `${ends}; no trusted root issued it (issuer "${current.facts.issuer}")`,
      };
    }
    path.push(next.facts);
    current = next;
  }
  return { ok: false, reason: 'the chain is longer than 8 certificates (a loop?)' };
}
