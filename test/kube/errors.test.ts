// classifyError against errors produced by real failing requests: closed ports, wrong CAs,
// reset connections, and a server answering with the Status bodies kube-apiserver sends.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { issueCertificate, issueServingPair } from '../../src/sim/pki.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { classifyError, parseForbidden, type ClassifiedError } from '../../src/kube/errors.ts';
import { KubeconfigError } from '../../src/kube/kubeconfigError.ts';
import { failureStatus, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, tokenKubeconfig, type TempDir, type KubeconfigDoc } from './kubeconfigFixtures.ts';

const FORBIDDEN_PODS =
  'pods is forbidden: User "system:serviceaccount:mesh:viewer" cannot list resource "pods" in API group "" in the namespace "default"';
const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start ' +
  'a new list without the continue parameter, or use the continue token in this response to retrieve ' +
  'the remainder of the results. Continuing with the provided token results in an inconsistent ' +
  'list - objects that were created, modified, or deleted between the time the first chunk was ' +
  'returned and now may show up in the list.';

/** Routes → the Status kube-apiserver would answer with. */
function statusHandler(): Parameters<typeof startLoopbackApiServer>[0] {
  return (request, response) => {
    const url = request.url ?? '';
    const route = `${request.method} ${url.split('?')[0]}`;
    switch (route) {
      case 'GET /api/v1/namespaces':
        return sendJson(response, 401, failureStatus(401, 'Unauthorized', 'Unauthorized'));
      case 'GET /api/v1/namespaces/default/pods':
        return sendJson(response, 403, failureStatus(403, 'Forbidden', FORBIDDEN_PODS, { kind: 'pods' }));
      case 'GET /api/v1/namespaces/default/pods/ghost':
        return sendJson(response, 404, failureStatus(404, 'NotFound', 'pods "ghost" not found', { name: 'ghost', kind: 'pods' }));
      case 'GET /apis/gateway.networking.k8s.io/v1/gateways':
        return sendJson(response, 404, failureStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
      case 'GET /api/v1/namespaces/expired/pods':
        return sendJson(response, 410, failureStatus(410, 'Expired', CONTINUE_EXPIRED));
      case 'GET /api/v1/namespaces/busy/pods':
        return sendJson(
          response,
          429,
          failureStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 2 }),
          { 'Retry-After': '2' },
        );
      case 'GET /api/v1/namespaces/busy-header/pods':
        return sendJson(response, 429, failureStatus(429, 'TooManyRequests', 'Too many requests, please try again later.'), {
          'Retry-After': '5',
        });
      case 'DELETE /api/v1/namespaces/istio-system':
        return sendJson(
          response,
          409,
          failureStatus(
            409,
            'Conflict',
            'Operation cannot be fulfilled on namespaces "istio-system": Precondition failed: UID in precondition: a, UID in object meta: b',
            {
              name: 'istio-system',
              kind: 'namespaces',
            },
          ),
        );
      case 'POST /api/v1/namespaces':
        return sendJson(
          response,
          422,
          failureStatus(
            422,
            'Invalid',
            'Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC ' +
              '1123 label must consist of lower case alphanumeric characters',
            {
              name: 'Bad_Name',
              kind: 'Namespace',
            },
          ),
        );
      case 'GET /api/v1/namespaces/unavailable':
        return sendJson(response, 503, failureStatus(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
      case 'GET /api/v1/namespaces/reset':
        request.socket.destroy();
        return;
      default:
        return sendJson(response, 404, failureStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
    }
  };
}

async function failure(promise: Promise<unknown>, hints: Parameters<typeof classifyError>[1] = {}): Promise<ClassifiedError> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (caught: unknown) => caught,
  );
  return classifyError(error, hints);
}

describe('classifyError on real failures', () => {
  let tmp: TempDir;
  let server: LoopbackApiServer;
  const clients: ContextClient[] = [];
  const clientFor = (name: string, doc: KubeconfigDoc): ContextClient => {
    const file = tmp.writeKubeconfig(`${name}.yaml`, doc);
    const [resolved] = loadKubeconfig({ kubeconfigPath: file }).contexts;
    assert.ok(resolved);
    const client = new ContextClient(resolved, { requestTimeoutMs: 10_000 });
    clients.push(client);
    return client;
  };
  let api: CoreV1Api;
  let client: ContextClient;

  before(async () => {
    tmp = makeTempDir();
    server = await startLoopbackApiServer(statusHandler(), { name: 'status' });
    client = clientFor('status', tokenKubeconfig('status', server.url, server.caData, 'tok'));
    api = client.makeApi(CoreV1Api);
  });
  after(async () => {
    for (const each of clients) await each.close();
    await server.close();
    tmp.remove();
  });

  it('closed port → unreachable (ECONNREFUSED), naming the server', async () => {
    const gone = await startLoopbackApiServer(() => undefined, { name: 'gone' });
    await gone.close();
    const dead = clientFor('dead', tokenKubeconfig('dead', gone.url, gone.caData, 'tok'));
    const classified = await failure(dead.makeApi(CoreV1Api).listNamespace(), { context: 'dead', server: gone.url });
    assert.equal(classified.kind, 'unreachable');
    assert.equal(classified.code, 'ECONNREFUSED');
    assert.equal(classified.message, `dead: cannot reach ${gone.url}: connection refused (ECONNREFUSED)`);
    assert.equal(classified.retryable, true);
  });

  it('connection reset by the server → unreachable', async () => {
    const classified = await failure(api.readNamespace({ name: 'reset' }));
    assert.equal(classified.kind, 'unreachable');
  });

  it('a CA that did not sign the server certificate → tls UNABLE_TO_VERIFY_LEAF_SIGNATURE', async () => {
    const other = issueServingPair('other');
    const wrong = clientFor('wrong-ca', tokenKubeconfig('wrong-ca', server.url, Buffer.from(other.ca.certPem).toString('base64'), 'tok'));
    const classified = await failure(wrong.makeApi(CoreV1Api).listNamespace(), { server: server.url });
    assert.equal(classified.kind, 'tls');
    assert.equal(classified.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.match(classified.message, /not signed by the kubeconfig's certificate-authority/);
    assert.equal(classified.retryable, false);
  });

  it('a tls-server-name the certificate does not carry → tls ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const doc = tokenKubeconfig('altname', server.url, server.caData, 'tok');
    const cluster = doc.clusters?.[0];
    assert.ok(cluster);
    cluster.cluster['tls-server-name'] = 'api.wrong.example';
    const classified = await failure(clientFor('altname', doc).makeApi(CoreV1Api).listNamespace());
    assert.equal(classified.kind, 'tls');
    assert.equal(classified.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('a self-signed server certificate → tls DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const selfSigned = issueCertificate({ commonName: 'self', isCa: false, ipAddresses: ['127.0.0.1'] });
    const lone = await startLoopbackApiServer(() => undefined, { certificate: { ca: selfSigned, serving: selfSigned } });
    try {
      const trusting = issueServingPair('unrelated');
      const c = clientFor('self', tokenKubeconfig('self', lone.url, Buffer.from(trusting.ca.certPem).toString('base64'), 'tok'));
      const classified = await failure(c.getJson('/api/v1/namespaces'));
      assert.equal(classified.kind, 'tls');
      assert.equal(classified.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      await lone.close();
    }
  });

  it('401 → auth', async () => {
    const classified = await failure(api.listNamespace(), { context: 'status', server: server.url });
    assert.deepEqual([classified.kind, classified.statusCode], ['auth', 401]);
    assert.equal(classified.message, `status: credentials rejected by ${server.url} (401 Unauthorized)`);
  });

  it('403 → forbidden with user, verb, resource and namespace read from the Status message', async () => {
    const classified = await failure(api.listNamespacedPod({ namespace: 'default' }), { context: 'east' });
    assert.equal(classified.kind, 'forbidden');
    assert.equal(classified.reason, 'Forbidden');
    assert.deepEqual(classified.forbidden, {
      user: 'system:serviceaccount:mesh:viewer',
      verb: 'list',
      resource: 'pods',
      group: '',
      namespace: 'default',
    });
    assert.equal(classified.message, 'east: forbidden: user "system:serviceaccount:mesh:viewer" cannot list pods in namespace "default"');
  });

  it("404 of a named object → notFound with the server's message", async () => {
    const classified = await failure(api.readNamespacedPod({ name: 'ghost', namespace: 'default' }));
    assert.deepEqual([classified.kind, classified.message], ['notFound', 'pods "ghost" not found']);
  });

  it('404 of a CRD path → notInstalled naming the resource', async () => {
    const custom = client.makeApi(CustomObjectsApi);
    const path = '/apis/gateway.networking.k8s.io/v1/gateways';
    const classified = await failure(
      custom.listCustomObjectForAllNamespaces({ group: 'gateway.networking.k8s.io', version: 'v1', resourcePlural: 'gateways' }),
      { path },
    );
    assert.equal(classified.kind, 'notInstalled');
    assert.equal(classified.message, 'gateways.gateway.networking.k8s.io/v1 is not served by this cluster (CRD not installed?)');
    const raw = await failure(client.getJson(path));
    assert.equal(raw.kind, 'notInstalled');
  });

  it('410 → gone', async () => {
    const classified = await failure(api.listNamespacedPod({ namespace: 'expired', _continue: 'abc' }));
    assert.deepEqual([classified.kind, classified.reason, classified.statusCode], ['gone', 'Expired', 410]);
  });

  it('429 → throttled with retryAfterSeconds, from the Status details or the Retry-After header', async () => {
    const classified = await failure(api.listNamespacedPod({ namespace: 'busy' }), { server: server.url });
    assert.equal(classified.kind, 'throttled');
    assert.equal(classified.retryAfterSeconds, 2);
    assert.equal(classified.message, `throttled by ${server.url} (429 Too many requests, please try again later.), retry after 2s`);
    const fromHeader = await failure(client.getJson('/api/v1/namespaces/busy-header/pods'));
    assert.deepEqual([fromHeader.kind, fromHeader.retryAfterSeconds], ['throttled', 5]);
  });

  it('409 → conflict, 422 → invalid, 503 → server', async () => {
    assert.equal((await failure(api.deleteNamespace({ name: 'istio-system' }))).kind, 'conflict');
    const invalid = await failure(api.createNamespace({ body: { metadata: { name: 'Bad_Name' } } }));
    assert.equal(invalid.kind, 'invalid');
    assert.match(invalid.message, /^rejected as invalid \(422 Invalid\): Namespace "Bad_Name" is invalid/);
    const unavailable = await failure(api.readNamespace({ name: 'unavailable' }));
    assert.deepEqual([unavailable.kind, unavailable.retryable], ['server', true]);
    assert.equal(unavailable.message, 'API server error 503 ServiceUnavailable: the server is currently unable to handle the request');
  });

  it('a Watch refused at the start (Error with statusCode) classifies by its status', async () => {
    const watch = new Watch(client.kubeConfig);
    const error = await new Promise<unknown>((resolve) => {
      watch.watch('/api/v1/namespaces/default/pods', {}, () => undefined, resolve).catch(resolve);
    });
    assert.equal(classifyError(error).kind, 'forbidden');
  });

  it('kubeconfig problems → config; http:// without insecure-skip-tls-verify → config', () => {
    assert.equal(classifyError(new KubeconfigError('noServer', 'cluster "x" has no server')).kind, 'config');
    // The loader refuses such a server up front (kubeconfig.test.ts); client-node's own refusal,
    // should anything reach it, classifies the same way.
    const file = tmp.writeKubeconfig('plain.yaml', {
      clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:1' } }],
      contexts: [{ name: 'plain', context: { cluster: 'c' } }],
    });
    const refused: unknown = (() => {
      try {
        return loadKubeconfig({ kubeconfigPath: file });
      } catch (error) {
        return error;
      }
    })();
    assert.ok(refused instanceof KubeconfigError && refused.kind === 'badServer', String(refused));
    assert.equal(classifyError(refused).kind, 'config');
    const library = classifyError(new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false'), {
      server: 'http://127.0.0.1:1',
    });
    assert.deepEqual(
      [library.kind, library.message],
      ['config', 'http://127.0.0.1:1 is plain http:// but insecure-skip-tls-verify is not set'],
    );
  });

  it('parses the forbidden message variants kube-apiserver writes', () => {
    assert.deepEqual(
      parseForbidden(
        'pods "istiod-1" is forbidden: User "alice" cannot create resource "pods/portforward" in API group "" in the namespace "istio-system"',
      ),
      { user: 'alice', verb: 'create', resource: 'pods/portforward', group: '', namespace: 'istio-system' },
    );
    assert.deepEqual(
      parseForbidden(
        'gateways.gateway.networking.k8s.io is forbidden: User "bob" cannot watch resource "gateways" ' +
          'in API group "gateway.networking.k8s.io" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io ' +
          '"mesh-reader" not found',
      ),
      { user: 'bob', verb: 'watch', resource: 'gateways', group: 'gateway.networking.k8s.io', namespace: undefined },
    );
    assert.equal(parseForbidden('forbidden: User "x" cannot get path "/metrics"'), undefined);
  });
});
