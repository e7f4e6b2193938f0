// The CA material of one context as both certificate checks read it: the root bundle istiod
// distributes (istio-ca-root-cert ConfigMap, root-cert.pem) and, when a plug-in CA is used, the
// cacerts Secret's public files (ca-cert.pem, cert-chain.pem, root-cert.pem; ca-key.pem never
// reaches the store). Either part may be unreadable, absent or unparsable, each with its reason.
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { parseCertificateBundle, pemOfSecretValue, type ParsedCertificate } from '../src/mesh/certificates.ts';
import { field, objectsIn, text, unreadable } from './snapshotReads.ts';
import { CACERTS_SECRETS, ROOT_CERT_CONFIGMAPS } from '../src/store/resourceIds.ts';

const ROOT_CONFIGMAP = ROOT_CERT_CONFIGMAPS;
const CACERTS = CACERTS_SECRETS;

export type Part =
  { state: 'ok'; certificates: ParsedCertificate[]; where: string } | { state: 'absent' | 'unknown'; reason: string; where: string };

export interface CaMaterial {
  context: ContextId;
  /** istio-ca-root-cert root-cert.pem: what workloads and ztunnel trust. */
  distributedRoots: Part;
  /** Whether a cacerts Secret exists (plug-in CA) — unknown when it cannot be read. */
  cacerts: 'present' | 'absent' | 'unknown';
  cacertsReason?: string;
  caCert: Part;
  certChain: Part;
  cacertsRoots: Part;
}

function parsePart(pem: string | undefined, where: string, missing: string): Part {
  if (pem === undefined) return { state: 'absent', reason: missing, where };
  const parsed = parseCertificateBundle(pem);
  return parsed.ok
    ? { state: 'ok', certificates: parsed.certificates, where }
    : { state: 'unknown', reason: `${where}: ${parsed.error}`, where };
}

function secretPart(secret: KubeObjectJson, key: string): Part {
  const where = `Secret ${secret.metadata.namespace ?? ''}/${secret.metadata.name} ${key}`;
  const dropped = field(secret, 'droppedDataKeys');
  if (Array.isArray(dropped) && dropped.includes(key))
    return { state: 'unknown', reason: `${where} was dropped as secret material`, where };
  return parsePart(pemOfSecretValue(field(secret, 'data', key)), where, `${where} is missing`);
}

export function readCaMaterial(snapshot: MeshSnapshot, context: ContextId, istioNamespace: string): CaMaterial {
  const rootWhere = `ConfigMap ${istioNamespace}/istio-ca-root-cert root-cert.pem`;
  const rootWhy = unreadable(snapshot, context, ROOT_CONFIGMAP);
  const configMap = objectsIn(snapshot, context, ROOT_CONFIGMAP).find((c) => c.metadata.name === 'istio-ca-root-cert');
  const distributedRoots: Part =
    rootWhy !== undefined
      ? { state: 'unknown', reason: `cannot read istio-ca-root-cert: ${rootWhy}`, where: rootWhere }
      : configMap
        ? parsePart(text(field(configMap, 'data', 'root-cert.pem')), rootWhere, `${rootWhere} is missing`)
        : {
            state: 'absent',
            reason: `no istio-ca-root-cert ConfigMap in ${istioNamespace} (istiod writes it once running)`,
            where: rootWhere,
          };

  const secretWhy = unreadable(snapshot, context, CACERTS);
  const secret = objectsIn(snapshot, context, CACERTS).find((s) => s.metadata.name === 'cacerts');
  const secretWhere = `Secret ${istioNamespace}/cacerts`;
  if (secretWhy !== undefined || !secret) {
    const reason =
      secretWhy !== undefined
        ? `cannot read cacerts: ${secretWhy}`
        : `no cacerts Secret in ${istioNamespace}: istiod uses its own self-signed CA`;
    const part: Part = { state: secretWhy !== undefined ? 'unknown' : 'absent', reason, where: secretWhere };
    return {
      context,
      distributedRoots,
      cacerts: secretWhy !== undefined ? 'unknown' : 'absent',
      cacertsReason: reason,
      caCert: part,
      certChain: part,
      cacertsRoots: part,
    };
  }
  return {
    context,
    distributedRoots,
    cacerts: 'present',
    caCert: secretPart(secret, 'ca-cert.pem'),
    certChain: secretPart(secret, 'cert-chain.pem'),
    cacertsRoots: secretPart(secret, 'root-cert.pem'),
  };
}

/** The roots a context trusts: the distributed bundle, else the cacerts root-cert.pem. */
export function trustedRoots(material: CaMaterial): Part {
  return material.distributedRoots.state === 'ok'
    ? material.distributedRoots
    : material.cacertsRoots.state === 'ok'
      ? material.cacertsRoots
      : material.distributedRoots;
}
