// Certificates for the simulator, made with node-forge: the CA and serving certificate of
// each simulated API server, and the mesh's roots and intermediates (Istio plug-in CA files).
// Keys are RSA 2048; node-forge hands generation to Node's native crypto when it can, so a
// key costs milliseconds, not seconds.
import forge from 'node-forge';
import { randomBytes } from 'node:crypto';

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface CertificateRequest {
  commonName: string;
  organization?: string;
  /** Validity window; defaults to one hour ago until ten years from now. */
  notBefore?: Date;
  notAfter?: Date;
  isCa: boolean;
  /** For serving certificates: IP addresses and DNS names. */
  ipAddresses?: string[];
  dnsNames?: string[];
  /** SPIFFE or other URIs. */
  uris?: string[];
  /** Signs the new certificate; self-signed when absent. */
  issuer?: IssuedCertificate;
}

const HOUR_MS = 3_600_000;

export function issueCertificate(request: CertificateRequest): IssuedCertificate {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // Positive serial: a leading 0x00..0x7f byte keeps the DER integer positive.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = request.notBefore ?? new Date(Date.now() - HOUR_MS);
  cert.validity.notAfter = request.notAfter ?? new Date(Date.now() + 10 * 365 * 24 * HOUR_MS);
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: request.commonName }];
  if (request.organization) subject.push({ name: 'organizationName', value: request.organization });
  cert.setSubject(subject);
  cert.setIssuer(request.issuer ? request.issuer.cert.subject.attributes : subject);

  const altNames: { type: number; value?: string; ip?: string }[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.uris ?? []).map((value) => ({ type: 6, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  const extensions: object[] = [
    { name: 'basicConstraints', cA: request.isCa, critical: true },
    request.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (!request.isCa) extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);

  const signingKey = request.issuer ? request.issuer.key : keys.privateKey;
  cert.sign(signingKey, forge.md.sha256.create());
  return {
    cert,
    key: keys.privateKey,
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

/** A self-signed CA and a serving certificate for 127.0.0.1/localhost, as an API server needs. */
export function issueServingPair(name: string): { ca: IssuedCertificate; serving: IssuedCertificate } {
  const ca = issueCertificate({ commonName: `${name}-ca`, organization: 'mesh-tui simulator', isCa: true });
  const serving = issueCertificate({
    commonName: `${name}-apiserver`,
    isCa: false,
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default.svc'],
    issuer: ca,
  });
  return { ca, serving };
}

/** SHA-256 fingerprint of a certificate's DER encoding, colon-separated upper-case hex (like openssl). */
export function sha256Fingerprint(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const md = forge.md.sha256.create();
  md.update(der);
  return md.digest().toHex().toUpperCase().match(/../g)!.join(':');
}
