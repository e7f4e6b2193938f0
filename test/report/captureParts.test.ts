// The parts of a capture that rebuild what the store no longer holds verbatim: syncz payloads
// from proxy-status rows (read back by the console's own parser), what could not be read (as
// the simulator's users, CRDs and faults), and the last scrub of secrets in every string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyncz, type ProxyStatusRow } from '../../src/mesh/syncz.ts';
import { captureAccess } from '../../src/report/captureAccess.ts';
import { synczPayload } from '../../src/report/captureDebug.ts';
import { scrubDeep, scrubText } from '../../src/report/captureScrub.ts';
import { captureScenario } from '../../src/report/scenarioCapture.ts';
import {
  contextId,
  type ContextState,
  type Fact,
  type ForbiddenDetail,
  type MeshSnapshot,
  type ResourceState,
  type SynczFactValue,
} from '../../src/store/types.ts';

const WDS = 'type.googleapis.com/istio.workload.Address';
const WADS = 'type.googleapis.com/istio.security.Authorization';

const rows: ProxyStatusRow[] = [
  {
    name: 'ztunnel-a.istio-system',
    cluster: 'east',
    istiod: 'istiod-1',
    version: '1.28.2-solo',
    namespace: 'istio-system',
    proxyType: 'ztunnel',
    types: [
      { typeUrl: WADS, short: 'WADS', status: 'STALE', neverAcked: true, lastUpdated: '2026-01-01T00:00:00Z' },
      { typeUrl: WDS, short: 'WDS', status: 'ERROR', error: 'NACK: bad address', lastUpdated: '2026-01-01T00:00:01Z' },
    ],
  },
  {
    name: 'ztunnel-b.istio-system',
    cluster: 'east',
    istiod: 'istiod-1',
    version: '1.27.0*',
    namespace: 'istio-system',
    proxyType: 'ztunnel',
    types: [
      { typeUrl: WADS, short: 'WADS', status: 'NOT_SENT' },
      { typeUrl: WDS, short: 'WDS', status: 'STALE', lastUpdated: '2026-01-01T00:00:02Z' },
    ],
  },
];

test('an HTTP syncz rebuilt from rows reads back as the same rows', () => {
  const parsed = parseSyncz(synczPayload({ istiodPod: 'istiod-1', shape: 'http', rows, warnings: [] }), { istiodPod: 'istiod-1' });
  assert.ok(parsed.ok);
  assert.equal(parsed.shape, 'http');
  assert.deepEqual(parsed.rows, rows);
});

test('an XDS syncz rebuilt from rows reads back as the same rows, istiod included', () => {
  const xdsRows: ProxyStatusRow[] = rows.map(({ proxyType: _p, ...r }) => ({
    ...r,
    version: '1.28.2-solo',
    types: r.types.map(({ neverAcked: _n, ...t }) => (t.status === 'NOT_SENT' ? { ...t, status: 'UNKNOWN' as const } : t)),
  }));
  const parsed = parseSyncz(synczPayload({ istiodPod: 'ignored', shape: 'xds', rows: xdsRows, warnings: [] }));
  assert.ok(parsed.ok);
  assert.equal(parsed.shape, 'xds');
  assert.deepEqual(parsed.rows, xdsRows);
});

function resource(id: string, partial: Partial<ResourceState>): ResourceState {
  return { resource: id, sync: 'synced', objects: {}, ...partial };
}

function contextState(phase: ContextState['status']['phase'], resources: Record<string, ResourceState>): ContextState {
  return { context: contextId('c1'), status: { phase, reasons: [], since: '2026-01-01T00:00:00Z' }, resources };
}

test('what could not be read becomes the simulator user, CRDs and faults that fail the same way', () => {
  const at = '2026-01-01T00:00:00Z';
  const state = contextState('degraded', {
    'gateways.gateway.networking.k8s.io': resource('gateways.gateway.networking.k8s.io', {
      sync: 'forbidden',
      error: {
        kind: 'forbidden',
        message: 'forbidden',
        retryable: false,
        at,
        forbidden: { user: 'oncall', verb: 'list', resource: 'gateways', group: 'gateway.networking.k8s.io', namespace: undefined },
      },
    }),
    'segments.admin.solo.io': resource('segments.admin.solo.io', { sync: 'notInstalled' }),
  });
  const refused = (reason: string, forbidden?: ForbiddenDetail): Fact<SynczFactValue> => ({
    state: 'unknown',
    reason,
    errorKind: 'forbidden',
    observedAt: at,
    ...(forbidden ? { forbidden } : {}),
  });
  // The feed keeps the 403's details as data beside its one-line description; the capture reads the data.
  const denial: ForbiddenDetail = { user: 'oncall', verb: 'create', resource: 'pods/portforward', group: '', namespace: 'istio-system' };
  const facts = {
    syncz: {
      'istiod-1': refused(
        'cannot read /debug/syncz: c1: forbidden: user "oncall" cannot create pods/portforward in namespace "istio-system"',
        denial,
      ),
    },
    license: {},
    clusterz: {},
    sourcePods: {},
  };
  assert.deepEqual(captureAccess(state, facts), {
    user: {
      name: 'oncall',
      forbidden: [
        { verb: 'list', resource: 'gateways', group: 'gateway.networking.k8s.io' },
        { verb: 'create', resource: 'pods/portforward', group: '', namespace: 'istio-system' },
      ],
    },
    crdsMissing: ['segments.admin.solo.io'],
    faults: [],
  });
  // Without the 403's details, both verbs port-forward may need are refused.
  const vague = { ...facts, syncz: { 'istiod-1': refused('forbidden') } };
  assert.deepEqual(captureAccess(contextState('ready', {}), vague).user?.forbidden, [
    { verb: 'get', resource: 'pods/portforward' },
    { verb: 'create', resource: 'pods/portforward' },
  ]);
  assert.deepEqual(captureAccess(contextState('unreachable', {}), undefined), { crdsMissing: [], faults: [{ kind: 'unreachable' }] });
  assert.deepEqual(captureAccess(contextState('authFailed', {}), undefined).user, { name: 'captured', expired: true, forbidden: [] });
});

test('the last scrub cuts private keys, JWTs and bearer tokens out of every string', () => {
  const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CsU9QNP3H\n-----END EC PRIVATE KEY-----';
  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXBhcnQ';
  assert.equal(scrubText(`key=${pem} done`), 'key=<redacted> done');
  assert.equal(scrubText(`license ${jwt}.`), 'license <redacted>.');
  assert.equal(scrubText('Authorization: Bearer abc.def-123'), 'Authorization: Bearer <redacted>');
  assert.deepEqual(scrubDeep({ a: [jwt, 1, null], [jwt]: true }), { a: ['<redacted>', 1, null], '<redacted>': true });
});

test('a captured scenario never carries an object field or log line holding a secret', () => {
  const secretEnvPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'istiod-1',
      namespace: 'istio-system',
      labels: { app: 'istiod' },
      annotations: { note: 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl' },
    },
    spec: { containers: [{ name: 'discovery', env: [{ name: 'SOLO_LICENSE_KEY', value: 'plain-license-value' }] }] },
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cacerts', namespace: 'istio-system' },
    data: { 'ca-key.pem': Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n').toString('base64') },
  };
  const snapshot: MeshSnapshot = {
    takenAt: '2026-01-01T00:00:00Z',
    contexts: {
      [contextId('c1')]: contextState('ready', {
        'pods#istiod-ztunnel': resource('pods#istiod-ztunnel', { objects: { 'Pod/istio-system/istiod-1': secretEnvPod } }),
        'secrets#cacerts': resource('secrets#cacerts', { objects: { 'Secret/istio-system/cacerts': secret } }),
      }),
    },
    facts: {},
    logSignatures: {},
  };
  const yaml = captureScenario(snapshot);
  assert.doesNotMatch(yaml, /plain-license-value|eyJhbGci|PRIVATE KEY|AAAA/);
  assert.match(yaml, /ca-key\.pem: /, 'the dropped key is still named, with a placeholder');
  assert.match(yaml, /SOLO_LICENSE_KEY/);
});
