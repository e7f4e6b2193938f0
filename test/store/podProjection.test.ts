// The store keeps a Pod cut to what its readers use (src/store/podProjection.ts). Each reader of
// pods — the status summary (pods pane, checks), the detail, the log feed's container choice —
// must see the same from the cut pod as from the pod the API sent; the log feed reads only the
// container names, kept in spec.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeObject } from '../../src/store/sanitizeObject.ts';
import { emptyState } from '../../src/store/applyUpdates.ts';
import { LICENSE_CLAIMS_FIELD } from '../../src/store/licenseClaims.ts';
import { podStatusOf } from '../../src/mesh/podStatus.ts';
import { objectDetail } from '../../src/console/details/objectDetail.ts';
import { makeLicenseKey } from '../../src/sim/content/license.ts';
import type { KubeObjectJson } from '../../src/store/types.ts';

const NOW = new Date('2026-12-02T12:00:00Z');
const KEY = makeLicenseKey({ type: 'enterprise', product: 'gloo-mesh', expiresInDays: 30 }, NOW);

function ztunnelPod(): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ztunnel-x7k2p',
      namespace: 'istio-system',
      uid: '0b6c1f3e-1111-4c1e-9f00-5a2b3c4d5e6f',
      resourceVersion: '4242',
      creationTimestamp: '2026-11-30T07:12:04Z',
      labels: { app: 'ztunnel', 'controller-revision-hash': '7c5f9d8b6c' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ztunnel', uid: 'ds-uid', controller: true }],
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
    },
    spec: {
      nodeName: 'c1-worker7',
      serviceAccountName: 'ztunnel',
      hostNetwork: false,
      priorityClassName: 'system-node-critical',
      dnsPolicy: 'ClusterFirst',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'cni-ztunnel-sock-dir', hostPath: { path: '/var/run/ztunnel', type: 'DirectoryOrCreate' } }],
      containers: [
        {
          name: 'istio-proxy',
          image: 'us-docker.pkg.dev/soloio-img/istio/ztunnel:1.28.2-solo-distroless',
          args: ['proxy', 'ztunnel'],
          env: [
            { name: 'CLUSTER_ID', value: 'c1' },
            { name: 'NETWORK', value: 'net-1' },
            { name: 'SOLO_LICENSE_KEY', value: KEY },
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 10 },
          volumeMounts: [{ name: 'cni-ztunnel-sock-dir', mountPath: '/var/run/ztunnel' }],
          resources: { requests: { cpu: '200m', memory: '512Mi' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      hostIP: '172.18.0.7',
      startTime: '2026-11-30T07:12:04Z',
      qosClass: 'Burstable',
      conditions: [
        { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-12-02T11:58:00Z', reason: 'ContainersNotReady' },
      ],
      containerStatuses: [
        {
          name: 'istio-proxy',
          image: 'us-docker.pkg.dev/soloio-img/istio/ztunnel:1.28.2-solo-distroless',
          imageID: 'us-docker.pkg.dev/soloio-img/istio/ztunnel@sha256:c465d27d9d3788a40123868867c81274103bc06acc77ac50661572aba51c8219',
          containerID: 'containerd://ad664f10354a8f5bc5ba8099cb6a672ef335032d37f2f8ddf17eb826362d67c9',
          ready: false,
          started: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-12-02T11:58:00Z' } },
        },
      ],
    },
  };
}

describe('what the store keeps of a Pod', () => {
  it('every reader of pods sees the same from the kept pod as from the one the API sent', () => {
    const sent = ztunnelPod();
    const kept = sanitizeObject(sent);
    assert.deepEqual(podStatusOf(kept), podStatusOf(sent));
    const ref = { context: 'c1', kind: 'Pod', namespace: 'istio-system', name: 'ztunnel-x7k2p' };
    const detail = (pod: KubeObjectJson): unknown => objectDetail(emptyState(NOW.toISOString()), ref, pod, []);
    assert.deepEqual(detail(kept), detail(sent));
    assert.deepEqual(kept['spec'], {
      nodeName: 'c1-worker7',
      hostNetwork: false,
      serviceAccountName: 'ztunnel',
      priorityClassName: 'system-node-critical',
      containers: [
        {
          name: 'istio-proxy',
          image: 'us-docker.pkg.dev/soloio-img/istio/ztunnel:1.28.2-solo-distroless',
          env: [
            { name: 'CLUSTER_ID', value: 'c1' },
            { name: 'NETWORK', value: 'net-1' },
            { name: 'SOLO_LICENSE_KEY', value: '<redacted>' },
          ],
        },
      ],
    });
    const { managedFields: _dropped, ...metadata } = sent.metadata;
    assert.deepEqual(kept.metadata, metadata);
  });

  it('drops what nothing reads, keeps the licence claims in place of the key, and never the key', () => {
    const sent = ztunnelPod();
    const kept = sanitizeObject(sent);
    const text = JSON.stringify(kept);
    for (const gone of [
      'readinessProbe',
      'volumeMounts',
      'tolerations',
      'imageID',
      'containerID',
      'managedFields',
      'qosClass',
      'lastProbeTime',
    ])
      assert.ok(!text.includes(gone), `${gone} is not kept`);
    assert.ok(!text.includes(KEY));
    assert.ok(kept[LICENSE_CLAIMS_FIELD] !== undefined, 'the claims of the env key are kept');
    assert.ok(text.length < (JSON.stringify(sent).length * 2) / 3, `kept ${text.length} of ${JSON.stringify(sent).length} bytes`);
    assert.deepEqual(sanitizeObject(kept), kept, 'cutting twice changes nothing');
  });
});
