import { startSimulatorBackend, startRealBackend } from './backends.ts';
const which = process.argv[2];
const b = which === 'real' ? await startRealBackend() : await startSimulatorBackend();
try {
  const r = (m: string, p: string, body?: unknown, ct?: string) => b.request('admin', m, p, body, ct).then((x) => { console.log(m, p, x.status, JSON.stringify(x.headers).slice(0,300), x.body.slice(0, 700)); return x; }, (e) => console.log(m, p, 'ERR', String(e)));
  await r('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'p' } });
  await r('GET', '/apis/gateway.networking.k8s.io/v1/namespaces/p/gateways?watch=true&resourceVersion=1&timeoutSeconds=1');
  await r('GET', '/apis/gateway.networking.k8s.io/v1/namespaces/p/gateways?watch=true&resourceVersion=1&timeoutSeconds=1');
  await r('GET', '/apis/gateway.networking.k8s.io/v1/namespaces/p/gateways');
  await r('GET', '/apis/gateway.networking.k8s.io/v1/namespaces/p/gateways?limit=5');
  await r('GET', '/apis/gateway.networking.k8s.io/v1/gateways');
  await r('GET', '/apis/networking.istio.io/v1/workloadentries');
  await r('GET', '/api/v1/namespaces/p/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1');
  await r('GET', '/apis/gateway.networking.k8s.io/v1/namespaces/p/gateways?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1');
} finally { await b.stop(); }
