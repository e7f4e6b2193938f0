// Parsing and chain verification of Istio CA material, on certificates minted like the
// simulator's plug-in CA (tools/certs Makefile shape).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueCertificate, sha256Fingerprint } from '../../src/sim/pki.ts';
import { parseCertificateBundle, verifyChain, type ParsedCertificate } from '../../src/mesh/certificates.ts';

// ECDSA (P-256) CA certificates made once with openssl, valid for a century: node-forge cannot
// read EC keys, so these prove the fallback to Node's X509Certificate. Public material only.
const EC_ROOT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBsTCCAVegAwIBAgIUdkz7cu1Gvb7TeUDp1Zdx5ghmA+kwCgYIKoZIzj0EAwIw',
  'JTEOMAwGA1UECgwFSXN0aW8xEzARBgNVBAMMCkVDIFJvb3QgQ0EwIBcNMjYxMTI2',
  'MDU1NjM2WhgPMjEyNjExMDIwNTU2MzZaMCUxDjAMBgNVBAoMBUlzdGlvMRMwEQYD',
  'VQQDDApFQyBSb290IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0D9EuHN6',
  'q78cKeVksUDJZBVdm15itWBmk4wJXI/SqvPoDIP0PID9lz1eBkWl43B4sl0VjjAs',
  'nSH+ML3ggHAZE6NjMGEwHQYDVR0OBBYEFGrJCLqEKBDvWiGDWZpbNzQZFcUCMB8G',
  'A1UdIwQYMBaAFGrJCLqEKBDvWiGDWZpbNzQZFcUCMA8GA1UdEwEB/wQFMAMBAf8w',
  'DgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIQDrA/QW8dND0qTdo6TY',
  '64vxXdURN139nOcDKiEWjXEztgIgexBF88srquPXmHoTFkDqXtx1xfc2qS4xg01c',
  'yd0/oWc=',
  '-----END CERTIFICATE-----',
].join('\n');
const EC_INTERMEDIATE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBwTCCAWegAwIBAgIUdkwE5lfyXL8rfvG/Otm53ZFW5yYwCgYIKoZIzj0EAwIw',
  'JTEOMAwGA1UECgwFSXN0aW8xEzARBgNVBAMMCkVDIFJvb3QgQ0EwIBcNMjYxMTI2',
  'MDU1NjM3WhgPMjEyNTA2MjAwNTU2MzdaMDIxDjAMBgNVBAoMBUlzdGlvMSAwHgYD',
  'VQQDDBdFQyBJbnRlcm1lZGlhdGUgQ0EgZWFzdDBZMBMGByqGSM49AgEGCCqGSM49',
  'AwEHA0IABHnLrRhd1ksRlBF7f6BUbEgYNsVHeqc6dgC6LFyXoeT1T/s+Kflt8R1w',
  '3QmghnwLdMwBwRGIk56lcaqP2kXTXM2jZjBkMBIGA1UdEwEB/wQIMAYBAf8CAQAw',
  'DgYDVR0PAQH/BAQDAgGGMB0GA1UdDgQWBBTaxV/2Tk4Xc+B/jEz9Ut41iNWQdDAf',
  'BgNVHSMEGDAWgBRqyQi6hCgQ71ohg1maWzc0GRXFAjAKBggqhkjOPQQDAgNIADBF',
  'AiBoLdi/8am25YAtdXYtIC/6zKYgHQ/G7mYN3F5bMRWEGgIhAI+1QJU9buFVkls+',
  'lYlwFWhsWDKpXPJOc8OJAq5Rz8Hg',
  '-----END CERTIFICATE-----',
].join('\n');
// Same subject as EC_ROOT, another key.
const EC_OTHER_ROOT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBojCCAUegAwIBAgIUJu7GU03nKX5pwb1ukGg2d/W7xoAwCgYIKoZIzj0EAwIw',
  'JTEOMAwGA1UECgwFSXN0aW8xEzARBgNVBAMMCkVDIFJvb3QgQ0EwIBcNMjYxMTI2',
  'MDU1NjM3WhgPMjEyNjExMDIwNTU2MzdaMCUxDjAMBgNVBAoMBUlzdGlvMRMwEQYD',
  'VQQDDApFQyBSb290IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcLZmX+Me',
  'k1ZXdrjO0BOGiIgxyhDthHCKscT9MseoVbRU0lnmAmaaBa+jJdxWcj/eKQvSFS+7',
  'p6/xuWabui9u5qNTMFEwHQYDVR0OBBYEFOW0CvC0ihHB+7plbGy7TdR2KkzwMB8G',
  'A1UdIwQYMBaAFOW0CvC0ihHB+7plbGy7TdR2KkzwMA8GA1UdEwEB/wQFMAMBAf8w',
  'CgYIKoZIzj0EAwIDSQAwRgIhAMGxsTCm/YGE4m6koc4Bvql3ZXAePtH2XMabbJxG',
  'O5p1AiEA8b6999ZQ2Q/wWHP1HF5caMY9iokqVIjHXifLtU25MoU=',
  '-----END CERTIFICATE-----',
].join('\n');

function parse(pem: string): ParsedCertificate[] {
  const parsed = parseCertificateBundle(pem);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.certificates;
}

describe('certificates', () => {
  const root = issueCertificate({ commonName: 'Root CA', organization: 'Istio', isCa: true });
  const intermediate = issueCertificate({ commonName: 'Intermediate CA east', organization: 'Istio', isCa: true, issuer: root });
  // Same name as `root`, different key: what running the Makefile once per cluster produces.
  const otherRoot = issueCertificate({ commonName: 'Root CA', organization: 'Istio', isCa: true });

  it('reads every certificate of a bundle with subject, issuer, CA flag and an openssl-style SHA-256', () => {
    const [ca, top] = parse(intermediate.certPem + root.certPem);
    assert.equal(ca?.facts.subject, 'CN=Intermediate CA east, O=Istio');
    assert.equal(ca?.facts.issuer, 'CN=Root CA, O=Istio');
    assert.equal(ca?.facts.isCa, true);
    assert.equal(ca?.facts.selfSigned, false);
    assert.equal(top?.facts.selfSigned, true);
    assert.equal(top?.facts.sha256, sha256Fingerprint(root.cert));
  });

  it('verifies an intermediate against its root, through the chain file', () => {
    const [ca] = parse(intermediate.certPem);
    assert.ok(ca);
    const verdict = verifyChain(ca, parse(intermediate.certPem + root.certPem), parse(root.certPem));
    assert.ok(verdict.ok);
    assert.equal(verdict.root.sha256, sha256Fingerprint(root.cert));
  });

  it('rejects a root with the same name but another key, and says so', () => {
    const [ca] = parse(intermediate.certPem);
    assert.ok(ca);
    const verdict = verifyChain(ca, parse(intermediate.certPem + root.certPem), parse(otherRoot.certPem));
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /same name/);
  });

  it('reads and verifies ECDSA certificates, which node-forge cannot, and rejects a same-name EC root', () => {
    const [ca] = parse(EC_INTERMEDIATE);
    assert.ok(ca);
    assert.equal(ca.facts.subject, 'O=Istio, CN=EC Intermediate CA east');
    assert.equal(ca.facts.isCa, true);
    const [root] = parse(EC_ROOT);
    assert.equal(root?.facts.sha256, '32:33:C8:08:C5:97:90:25:E7:CC:2C:2D:6B:77:2F:BA:14:0D:0A:6C:37:11:98:AA:16:A6:F3:E6:87:D0:97:5B');
    assert.equal(root?.facts.selfSigned, true);
    assert.ok(verifyChain(ca, [], parse(EC_ROOT)).ok);
    const wrong = verifyChain(ca, [], parse(EC_OTHER_ROOT));
    assert.equal(wrong.ok, false);
    assert.match(wrong.ok ? '' : wrong.reason, /same name/);
  });

  it('says why a bundle cannot be read instead of throwing', () => {
    const empty = parseCertificateBundle('not a certificate');
    assert.deepEqual(empty, { ok: false, error: 'no PEM certificate found' });
    const broken = parseCertificateBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----');
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.error, /^certificate 1 of 1 cannot be parsed/);
  });

  it('parses a PEM once: the same text gives back the same parsed bundle, another text its own', () => {
    const first = parseCertificateBundle(intermediate.certPem + root.certPem);
    assert.equal(parseCertificateBundle(intermediate.certPem + root.certPem), first);
    const other = parseCertificateBundle(otherRoot.certPem);
    assert.notEqual(other, first);
    assert.ok(other.ok && other.certificates[0]?.facts.sha256 !== (first.ok ? first.certificates[1]?.facts.sha256 : ''));
  });

  it('still tells a same-name root with another key apart once verdicts are remembered', () => {
    const [ca] = parse(intermediate.certPem);
    const trusted = parse(root.certPem);
    const impostor = parse(otherRoot.certPem);
    for (let round = 0; round < 2; round++) {
      assert.equal(verifyChain(ca as ParsedCertificate, [], trusted).ok, true);
      assert.equal(verifyChain(ca as ParsedCertificate, [], impostor).ok, false);
    }
  });
});
