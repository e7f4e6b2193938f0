// The mesh's plug-in CA material per cluster: Secret `cacerts` (read by istiod) and the
// `istio-ca-root-cert` ConfigMap istiod publishes into namespaces. Which root each cluster
// has (shared, per cluster, or an intermediate about to expire) comes from the scenario.
import type { KubeObject } from '../../api/types.ts';
import { buildMeshPki, type PkiMode } from '../../content/meshPki.ts';
import type { CertificatesSpec } from '../spec.ts';
import { object } from './objectMeta.ts';
import type { ClusterPlan, ScenarioPlan } from './plan.ts';

export interface ClusterCa {
  rootCertPem: string;
  caCertPem: string;
  caKeyPem: string;
  certChainPem: string;
}

export function issueMeshCertificates(plan: ScenarioPlan, certificates: CertificatesSpec): Map<string, ClusterCa> {
  const mode: PkiMode = certificates;
  return buildMeshPki(
    mode,
    plan.clusters.map((c) => ({ context: c.spec.context, clusterId: c.spec.clusterId })),
    plan.now,
  );
}

const SKIP_ROOT_CERT_NAMESPACES = new Set(['kube-public', 'kube-node-lease']);

export function certificateObjects(cluster: ClusterPlan, ca: ClusterCa, namespaceNames: string[]): KubeObject[] {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const cacerts = object(
    cluster.seed,
    'v1',
    'Secret',
    { name: 'cacerts', namespace: cluster.spec.istioNamespace, createdAt: cluster.installedAt },
    {
      type: 'Opaque',
      data: {
        'ca-cert.pem': b64(ca.caCertPem),
        'ca-key.pem': b64(ca.caKeyPem),
        'cert-chain.pem': b64(ca.certChainPem),
        'root-cert.pem': b64(ca.rootCertPem),
      },
    },
  );
  const rootConfigMaps = namespaceNames
    .filter((ns) => !SKIP_ROOT_CERT_NAMESPACES.has(ns))
    .map((ns) =>
      object(
        cluster.seed,
        'v1',
        'ConfigMap',
        { name: 'istio-ca-root-cert', namespace: ns, labels: { 'istio.io/config': 'true' }, createdAt: cluster.installedAt },
        { data: { 'root-cert.pem': ca.rootCertPem } },
      ),
    );
  return [cacerts, ...rootConfigMaps];
}
