// istiod: its Deployment and pods (container `discovery` with the env Solo's chart renders for
// peering), its Service, the mesh ConfigMap (trust domain), and the licence Secret the
// container reads (through secretKeyRef, or named by SOLO_LICENSE_SECRET); a scenario may also
// inline the key in the env, as some installs do.
import { crashingIstiodReplicas, replicaHealth } from './crashLoops.ts';
import type { KubeObject } from '../../api/types.ts';
import { makeLicenseKey } from '../../content/license.ts';
import { istioImage } from './images.ts';
import { object } from './objectMeta.ts';
import { podTemplateHash, replicaSetName } from './names.ts';
import type { ClusterPlan } from './plan.ts';
import { buildPod, envList } from './podObject.ts';
import { deployment, service } from './workloadObjects.ts';

export const LICENSE_SECRET = 'solo-istio-license';
export const LICENSE_SECRET_KEY = 'license-key';

/** The Secret a user makes for Helm license.secretRef, named by SOLO_LICENSE_SECRET (reference §1.8). */
export const LICENSE_REF_SECRET = 'solo-license';
export const LICENSE_REF_SECRET_KEY = 'gloo-mesh-license-key';

// The three ways a key reaches istiod: Helm license.value (the chart's Secret, read through
// secretKeyRef), license.secretRef (the user's Secret, named by SOLO_LICENSE_SECRET), or the
// key inline in SOLO_LICENSE_KEY.
function istiodContainerEnv(cluster: ClusterPlan, licenseKey: string | undefined) {
  const env = envList(cluster.istiodEnv, [
    ['POD_NAME', 'metadata.name'],
    ['POD_NAMESPACE', 'metadata.namespace'],
    ['SERVICE_ACCOUNT', 'spec.serviceAccountName'],
  ]);
  const source = cluster.spec.license?.source ?? 'value';
  if (licenseKey === undefined) return env;
  if (source === 'env') env.push({ name: 'SOLO_LICENSE_KEY', value: licenseKey });
  else if (source === 'secretRef') env.push({ name: 'SOLO_LICENSE_SECRET', value: `${cluster.spec.istioNamespace}/${LICENSE_REF_SECRET}` });
  else
    env.push({ name: 'SOLO_LICENSE_KEY', valueFrom: { secretKeyRef: { name: LICENSE_SECRET, key: LICENSE_SECRET_KEY, optional: false } } });
  return env;
}

function licenseSecret(cluster: ClusterPlan, licenseKey: string): KubeObject | undefined {
  const source = cluster.spec.license?.source ?? 'value';
  if (source === 'env') return undefined;
  const [name, key] = source === 'secretRef' ? [LICENSE_REF_SECRET, LICENSE_REF_SECRET_KEY] : [LICENSE_SECRET, LICENSE_SECRET_KEY];
  return object(
    cluster.seed,
    'v1',
    'Secret',
    { name, namespace: cluster.spec.istioNamespace, createdAt: cluster.installedAt },
    { type: 'Opaque', data: { [key]: Buffer.from(licenseKey).toString('base64') } },
  );
}

export function istiodObjects(cluster: ClusterPlan, now: Date): KubeObject[] {
  const spec = cluster.spec;
  const ns = spec.istioNamespace;
  const licenseKey = spec.license ? makeLicenseKey(spec.license, now) : undefined;
  const crashing = crashingIstiodReplicas(cluster);
  const labels = {
    app: 'istiod',
    'istio.io/rev': 'default',
    'install.operator.istio.io/owning-resource': 'unknown',
    'operator.istio.io/component': 'Pilot',
    istio: 'pilot',
  };
  const podLabels = { app: 'istiod', 'istio.io/rev': 'default', istio: 'pilot', 'sidecar.istio.io/inject': 'false' };
  const container = {
    name: 'discovery',
    image: istioImage('pilot', spec.istioVersion),
    args: [
      'discovery',
      '--monitoringAddr=:15014',
      '--log_output_level=default:info',
      '--domain',
      'cluster.local',
      '--keepaliveMaxServerConnectionAge',
      '30m',
    ],
    env: istiodContainerEnv(cluster, licenseKey),
    ports: [
      { containerPort: 8080, protocol: 'TCP' },
      { containerPort: 15010, protocol: 'TCP' },
      { containerPort: 15012, protocol: 'TCP' },
      { containerPort: 15017, protocol: 'TCP' },
    ],
    readinessPort: 8080,
  };
  const podAnnotations = { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' };
  const dep = deployment({
    seed: cluster.seed,
    name: 'istiod',
    namespace: ns,
    labels,
    selector: { 'istio.io/rev': 'default', app: 'istiod' },
    podLabels,
    podAnnotations,
    serviceAccount: 'istiod',
    containers: [container],
    createdAt: cluster.installedAt,
    desired: spec.istiodReplicas,
    ready: spec.istiodReplicas - crashing.size,
  });
  const pods = cluster.istiodPods.map((plan, i) =>
    buildPod({
      seed: cluster.seed,
      plan,
      labels: { ...podLabels, 'pod-template-hash': podTemplateHash(cluster.seed, 'istiod') },
      annotations: podAnnotations,
      owner: dep,
      ownerReplicaSet: replicaSetName(cluster.seed, 'istiod'),
      serviceAccount: 'istiod',
      containers: [container],
      startedAt: cluster.installedAt,
      health: replicaHealth(spec.breakage.istiodCrashLoop, crashing.has(i), now),
    }),
  );
  const svc = service(
    cluster.seed,
    { name: 'istiod', namespace: ns, labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' }, createdAt: cluster.installedAt },
    {
      type: 'ClusterIP',
      clusterIP: `10.${96 + cluster.index}.0.20`,
      clusterIPs: [`10.${96 + cluster.index}.0.20`],
      selector: { app: 'istiod', istio: 'pilot' },
      ports: [
        { name: 'grpc-xds', port: 15010, protocol: 'TCP', targetPort: 15010 },
        { name: 'https-dns', port: 15012, protocol: 'TCP', targetPort: 15012 },
        { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 },
        { name: 'http-monitoring', port: 15014, protocol: 'TCP', targetPort: 15014 },
      ],
    },
  );
  const meshConfig = object(
    cluster.seed,
    'v1',
    'ConfigMap',
    { name: 'istio', namespace: ns, labels: { 'istio.io/rev': 'default', release: 'istiod' }, createdAt: cluster.installedAt },
    {
      data: {
        mesh:
          `defaultConfig:\n  discoveryAddress: istiod.${ns}.svc:15012\ndefaultProviders:\n  metrics:\n ` +
          ` - prometheus\nenablePrometheusMerge: true\nrootNamespace: ${ns}\ntrustDomain: ${spec.trustDomain}\n`,
        meshNetworks: 'networks: {}',
      },
    },
  );
  const result = [dep, ...pods, svc, meshConfig];
  const secret = licenseKey === undefined ? undefined : licenseSecret(cluster, licenseKey);
  if (secret) result.push(secret);
  if (spec.segment !== undefined) {
    result.push(
      object(
        cluster.seed,
        'admin.solo.io/v1alpha1',
        'Segment',
        { name: spec.segment, namespace: ns, createdAt: cluster.installedAt },
        { spec: { domain: `${spec.segment}.mesh` } },
      ),
    );
  }
  return result;
}
