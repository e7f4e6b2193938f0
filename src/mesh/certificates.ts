// Istio CA material as the checks need it (istio-internals §4): PEM bundles from the cacerts
// Secret (ca-cert.pem, cert-chain.pem, root-cert.pem) and the istio-ca-root-cert ConfigMap
// (root-cert.pem), parsed with node-forge into plain facts — subject, issuer, validity, SHA-256
// fingerprint — plus "does this chain verify against that root bundle", the question behind
// "every cluster's intermediate chains up to a common root". Nothing here throws: a bundle that
// does not parse says why. Only public certificates pass through here, never keys.
import forge from 'node-forge';

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
  cert: forge.pki.Certificate;
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

function issued(issuer: forge.pki.Certificate, child: forge.pki.Certificate): boolean {
  try {
    // Checks the issuer name matches and the signature verifies with the issuer's public key.
    return issuer.verify(child);
  } catch {
    return false;
  }
}

/** Every certificate of a PEM bundle, in order. Fails when the bundle holds none or one is unreadable. */
export function parseCertificateBundle(pem: string): ParsedBundle {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, error: 'no PEM certificate found' };
  const certificates: ParsedCertificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      const cert = forge.pki.certificateFromPem(block);
      certificates.push({
        cert,
        facts: {
          subject: distinguishedName(cert.subject.attributes),
          issuer: distinguishedName(cert.issuer.attributes),
          notBefore: cert.validity.notBefore,
          notAfter: cert.validity.notAfter,
          sha256: fingerprintOf(cert),
          isCa: isCaCert(cert),
          selfSigned: cert.isIssuer(cert) && issued(cert, cert),
        },
      });
    } catch (err) {
      // node-forge reads RSA certificates only; an ECDSA CA ends up here, with its reason.
      return { ok: false, error: `certificate ${index + 1} of ${blocks.length} cannot be parsed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { ok: true, certificates };
}

/** Decode a Secret data value (base64) to PEM text; undefined when it is not a string. */
export function pemOfSecretValue(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

export type ChainVerdict =
  | { ok: true; root: CertificateFacts; path: CertificateFacts[] }
  | { ok: false; reason: string };

/**
 * Does `leaf` chain, through the certificates in `intermediates`, to a certificate of `roots`
 * (by name *and* signature, like x509.Verify)? Validity dates are not judged here: expiry has
 * its own check. Loops and overlong chains are cut off.
 */
export function verifyChain(leaf: ParsedCertificate, intermediates: readonly ParsedCertificate[], roots: readonly ParsedCertificate[]): ChainVerdict {
  const path: CertificateFacts[] = [leaf.facts];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => issued(r.cert, current.cert));
    if (root) return { ok: true, root: root.facts, path };
    if (roots.some((r) => r.facts.sha256 === current.facts.sha256)) return { ok: true, root: current.facts, path };
    const next = intermediates.find((i) => i.facts.sha256 !== current.facts.sha256 && issued(i.cert, current.cert));
    if (!next) {
      const sameName = roots.find((r) => r.cert.isIssuer(current.cert));
      return {
        ok: false,
        reason: sameName
          ? `"${current.facts.subject}" names "${current.facts.issuer}" as issuer, and a root of that name exists, but its signature does not verify with that root's key (a different root with the same name)`
          : `no certificate in the root bundle or chain issued "${current.facts.subject}" (issuer "${current.facts.issuer}")`,
      };
    }
    path.push(next.facts);
    current = next;
  }
  return { ok: false, reason: 'the chain is longer than 8 certificates (a loop?)' };
}
