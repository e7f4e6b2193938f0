import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMeshStore } from '../../src/store/meshStore.ts';
import { DROPPED_KEYS_FIELD, isPublicSecretKey, sanitizeObject } from '../../src/store/sanitizeObject.ts';
import { selectObject } from '../../src/store/selectors.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { contextId } from '../../src/store/types.ts';
import type { KubeObjectJson } from '../../src/store/types.ts';
import { ManualTimers } from './manualTimers.ts';
import { b64 } from './fixtures.ts';
import { LICENSE_CLAIMS_FIELD } from '../../src/store/licenseClaims.ts';
import { makeLicenseKey } from '../../src/sim/content/license.ts';

const NOW = new Date('2026-12-02T12:00:00Z');
const KEY = makeLicenseKey({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 3 }, NOW);
const KEY_EXPIRES = new Date(Math.floor((NOW.getTime() + 3 * 86_400_000) / 1000) * 1000).toISOString();

function licenseSecret(): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'solo-istio-license', namespace: 'istio-system' },
    data: { 'license-key': b64(KEY) },
  };
}

function istiodWithInlineKey(): KubeObjectJson {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: 'istio-system' },
    spec: { template: { spec: { containers: [{ name: 'discovery', env: [{ name: 'SOLO_LICENSE_KEY', value: KEY }] }] } } },
  };
}

/** Every form the key could leak in: itself, its base64, and each of its dot-separated parts. */
function assertHoldsNoKey(json: string, where: string): void {
  for (const needle of [KEY, b64(KEY), ...KEY.split('.')]) assert.equal(json.includes(needle), false, `${where} holds the licence key`);
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUDummyCertificateBody\n-----END CERTIFICATE-----\n';
const PRIVATE = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretsecretsecret\n-----END RSA PRIVATE KEY-----\n';

function cacerts(): KubeObjectJson {
  const data = {
    'ca-cert.pem': b64(CERT),
    'ca-key.pem': b64(PRIVATE),
    'root-cert.pem': b64(CERT),
    'cert-chain.pem': b64(CERT),
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: 'cacerts',
      namespace: 'istio-system',
      resourceVersion: '7',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data }),
        team: 'mesh',
      },
      managedFields: [{ manager: 'kubectl' }],
    },
    data,
  };
}

describe('secrets never enter the store', () => {
  it('keeps certificates and drops ca-key.pem', () => {
    const stored = sanitizeObject(cacerts());
    assert.deepEqual(Object.keys(stored['data'] as object).sort(), ['ca-cert.pem', 'cert-chain.pem', 'root-cert.pem']);
    assert.deepEqual(stored[DROPPED_KEYS_FIELD], ['ca-key.pem']);
    assert.deepEqual(stored.metadata.annotations, { team: 'mesh' }, 'last-applied holds the whole Secret');
    assert.equal('managedFields' in stored.metadata, false);
  });

  it('drops anything key-like, and certificate-named keys that hold a private key', () => {
    const secret: KubeObjectJson = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mixed', namespace: 'istio-system' },
      data: {
        'tls.crt': b64(CERT),
        'tls.key': b64(PRIVATE),
        'ca.crt': b64(CERT),
        token: b64('eyJhbGciOi...'),
        'license-key': b64('solo-license'),
        'bundle.pem': b64(CERT + PRIVATE),
        password: b64('hunter2'),
      },
      stringData: { 'extra.pem': CERT },
    };
    const stored = sanitizeObject(secret);
    assert.deepEqual(Object.keys(stored['data'] as object).sort(), ['ca.crt', 'tls.crt']);
    assert.equal('stringData' in stored, false);
    assert.deepEqual(stored[DROPPED_KEYS_FIELD], ['bundle.pem', 'extra.pem', 'license-key', 'password', 'tls.key', 'token']);
  });

  it('classifies key names', () => {
    for (const k of ['ca-cert.pem', 'root-cert.pem', 'cert-chain.pem', 'tls.crt', 'ca.crt', 'ca-crl.pem'])
      assert.equal(isPublicSecretKey(k), true, k);
    for (const k of ['ca-key.pem', 'tls.key', 'key.pem', 'token', 'ca.key', 'private-key.pem', 'keystore.jks', 'istio-generated']) {
      assert.equal(isPublicSecretKey(k), false, k);
    }
  });

  it('does not modify the object it was given', () => {
    const original = cacerts();
    const copy = structuredClone(original);
    sanitizeObject(original);
    assert.deepEqual(original, copy);
  });

  it('redacts secret-looking literal env values in pod templates', () => {
    const deployment: KubeObjectJson = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'discovery',
                env: [
                  { name: 'SOLO_LICENSE_KEY', value: 'eyJsaWNlbnNlIjoiZW50In0.sig' },
                  { name: 'CLUSTER_ID', value: 'cluster1' },
                  { name: 'TOKEN_AUDIENCES', valueFrom: { secretKeyRef: { name: 'x', key: 'y' } } },
                ],
              },
            ],
          },
        },
      },
    };
    const stored = sanitizeObject(deployment);
    const env =
      (stored['spec'] as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0]
        ?.env ?? [];
    assert.deepEqual(
      env.map((e) => [e.name, e.value]),
      [
        ['SOLO_LICENSE_KEY', '<redacted>'],
        ['CLUSTER_ID', 'cluster1'],
        ['TOKEN_AUDIENCES', undefined],
      ],
    );
  });

  it('holds no private key anywhere in the store or its snapshot', () => {
    const store = createMeshStore({ timers: new ManualTimers() });
    const ctx = contextId('ctx');
    store.actions.watchEvents(ctx, 'secrets', [{ type: 'ADDED', object: cacerts() }]);
    store.actions.relist(ctx, 'secrets', [cacerts()]);
    store.flush();
    const stored = selectObject(store.getState(), ctx, 'Secret', 'istio-system', 'cacerts');
    assert.ok(stored);
    const json = JSON.stringify(toSnapshot(store.getState()));
    assert.equal(json.includes(b64(PRIVATE)), false);
    assert.equal(json.includes('PRIVATE KEY'), false);
    assert.equal(json.includes(b64(CERT)), true, 'public certificates are kept for the trust checks');
  });
});

describe('a licence key is kept only as its claims', () => {
  const claims = {
    type: 'enterprise',
    product: 'gloo-mesh',
    expiresAt: KEY_EXPIRES,
    issuedAt: new Date(NOW.getTime() - 30 * 86_400_000).toISOString(),
  };

  it('replaces a Secret licence key by its type, product and dates', () => {
    const stored = sanitizeObject(licenseSecret());
    assert.deepEqual(stored['data'], {});
    assert.deepEqual(stored[DROPPED_KEYS_FIELD], ['license-key']);
    assert.deepEqual(stored[LICENSE_CLAIMS_FIELD], { 'data/license-key': claims });
    assertHoldsNoKey(JSON.stringify(stored), 'the sanitized Secret');
  });

  it('replaces an inline SOLO_LICENSE_KEY by its claims, by container and variable', () => {
    const stored = sanitizeObject(istiodWithInlineKey());
    assert.deepEqual(stored[LICENSE_CLAIMS_FIELD], { 'env/discovery/SOLO_LICENSE_KEY': claims });
    assert.match(JSON.stringify(stored['spec']), /"SOLO_LICENSE_KEY","value":"<redacted>"/);
    assertHoldsNoKey(JSON.stringify(stored), 'the sanitized Deployment');
  });

  it('keeps the claims when an object is sanitized twice (the feed, then the store)', () => {
    assert.deepEqual(sanitizeObject(sanitizeObject(licenseSecret()))[LICENSE_CLAIMS_FIELD], { 'data/license-key': claims });
    assert.deepEqual(sanitizeObject(sanitizeObject(istiodWithInlineKey()))[LICENSE_CLAIMS_FIELD], {
      'env/discovery/SOLO_LICENSE_KEY': claims,
    });
  });

  it('keeps SOLO_LICENSE_SECRET, which names a Secret rather than holding one', () => {
    const deployment = istiodWithInlineKey();
    deployment['spec'] = {
      template: {
        spec: { containers: [{ name: 'discovery', env: [{ name: 'SOLO_LICENSE_SECRET', value: 'istio-system/solo-license' }] }] },
      },
    };
    assert.match(JSON.stringify(sanitizeObject(deployment)['spec']), /"SOLO_LICENSE_SECRET","value":"istio-system\/solo-license"/);
  });

  it('says a key is undecodable without quoting it', () => {
    const secret = licenseSecret();
    secret['data'] = { 'gloo-mesh-license-key': b64('not-a-licence-key-at-all') };
    const stored = sanitizeObject(secret);
    const field = stored[LICENSE_CLAIMS_FIELD] as Record<string, { error?: string }>;
    assert.match(field['data/gloo-mesh-license-key']?.error ?? '', /no decodable claims/);
    assert.equal(JSON.stringify(stored).includes('not-a-licence-key-at-all'), false);
  });

  it('the claims survive the store and its snapshot; the key does not enter them', () => {
    const store = createMeshStore({ timers: new ManualTimers() });
    const ctx = contextId('ctx');
    store.actions.relist(ctx, 'secrets#license', [licenseSecret()]);
    store.actions.relist(ctx, 'deployments.apps#istiod', [istiodWithInlineKey()]);
    store.flush();
    const snapshot = toSnapshot(store.getState());
    const secret = selectObject(store.getState(), ctx, 'Secret', 'istio-system', 'solo-istio-license');
    assert.deepEqual(secret?.[LICENSE_CLAIMS_FIELD], { 'data/license-key': claims });
    const deployment = selectObject(store.getState(), ctx, 'Deployment', 'istio-system', 'istiod');
    assert.deepEqual(deployment?.[LICENSE_CLAIMS_FIELD], { 'env/discovery/SOLO_LICENSE_KEY': claims });
    assertHoldsNoKey(JSON.stringify(snapshot), 'the snapshot');
  });
});
