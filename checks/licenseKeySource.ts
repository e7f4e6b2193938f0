// Where a context's istiod reads its licence key from, and the claims the store kept of it
// (src/store/licenseClaims.ts: the key itself never reaches a snapshot). istiod's Deployment
// says where: SOLO_LICENSE_KEY inline or from a Secret (secretKeyRef, how Helm license.value and
// license.secretRef are rendered), or SOLO_LICENSE_SECRET=<namespace>/<name>. A Secret holding a
// licence key that no env names is still read, so a hand-made install is not left blind.
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { ISTIOD_DEPLOYMENTS, LICENSE_SECRETS } from '../src/store/resourceIds.ts';
import {
  LICENSE_DATA_KEYS,
  LICENSE_ENV_NAMES,
  envSource,
  licenseClaimsOf,
  secretDataSource,
  type StoredLicenseClaims,
} from '../src/store/licenseClaims.ts';
import { isRecord, objectsIn, unreadable } from './snapshotReads.ts';

export type LicenseKeySource =
  | { kind: 'env'; deployment: string; namespace: string; container: string; name: string }
  | { kind: 'secret'; namespace: string; name: string; key: string };

export interface LicenseKeyReading {
  source: LicenseKeySource;
  /** undefined: the source is named but its claims are not in the snapshot (why in `missing`). */
  claims?: StoredLicenseClaims;
  missing?: string;
}

const SECRET_ENV = 'SOLO_LICENSE_SECRET';

export function describeSource(source: LicenseKeySource): string {
  return source.kind === 'env'
    ? `istiod env ${source.name} (Deployment ${source.namespace}/${source.deployment}, container ${source.container})`
    : `Secret ${source.namespace}/${source.name} key ${source.key}`;
}

interface EnvVar {
  name: string;
  value?: string;
  secretRef?: { name: string; key: string };
}

function envOf(container: Record<string, unknown>): EnvVar[] {
  const env = container['env'];
  if (!Array.isArray(env)) return [];
  return env.flatMap((e: unknown): EnvVar[] => {
    if (!isRecord(e) || typeof e['name'] !== 'string') return [];
    const ref = isRecord(e['valueFrom']) ? e['valueFrom']['secretKeyRef'] : undefined;
    if (isRecord(ref) && typeof ref['name'] === 'string' && typeof ref['key'] === 'string')
      return [{ name: e['name'], secretRef: { name: ref['name'], key: ref['key'] } }];
    return [{ name: e['name'], ...(typeof e['value'] === 'string' ? { value: e['value'] } : {}) }];
  });
}

function containersOf(deployment: KubeObjectJson): Record<string, unknown>[] {
  const spec = deployment['spec'];
  const template = isRecord(spec) ? spec['template'] : undefined;
  const podSpec = isRecord(template) ? template['spec'] : undefined;
  const containers = isRecord(podSpec) ? podSpec['containers'] : undefined;
  return Array.isArray(containers) ? containers.filter(isRecord) : [];
}

function secretReading(
  secrets: KubeObjectJson[],
  namespace: string,
  name: string,
  key: string | undefined,
  unreadableWhy: string | undefined,
): LicenseKeyReading {
  const secret = secrets.find((s) => s.metadata.name === name && (s.metadata.namespace ?? '') === namespace);
  const claims = secret ? licenseClaimsOf(secret) : undefined;
  const dataKey =
    key ?? LICENSE_DATA_KEYS.find((k) => claims?.[secretDataSource(k)] !== undefined) ?? LICENSE_DATA_KEYS[0] ?? 'license-key';
  const source: LicenseKeySource = { kind: 'secret', namespace, name, key: dataKey };
  const found = claims?.[secretDataSource(dataKey)];
  if (found) return { source, claims: found };
  return {
    source,
    missing: secret
      ? `Secret ${namespace}/${name} has no licence key under ${dataKey}`
      : unreadableWhy !== undefined
        ? `Secrets cannot be read (${unreadableWhy})`
        : `Secret ${namespace}/${name} is not among the Secrets the console reads (Opaque Secrets in the istio namespace holding a licence data key)`,
  };
}

/** Every licence key istiod is configured with in this context, and every stray licence Secret. */
export function licenseKeyReadings(snapshot: MeshSnapshot, context: ContextId): LicenseKeyReading[] {
  const secrets = objectsIn(snapshot, context, LICENSE_SECRETS);
  const why = unreadable(snapshot, context, LICENSE_SECRETS);
  const readings: LicenseKeyReading[] = [];
  for (const deployment of objectsIn(snapshot, context, ISTIOD_DEPLOYMENTS)) {
    const namespace = deployment.metadata.namespace ?? '';
    const stored = licenseClaimsOf(deployment) ?? {};
    for (const container of containersOf(deployment)) {
      const containerName = typeof container['name'] === 'string' ? container['name'] : '';
      for (const env of envOf(container)) {
        if (LICENSE_ENV_NAMES.includes(env.name) && env.secretRef) {
          readings.push(secretReading(secrets, namespace, env.secretRef.name, env.secretRef.key, why));
        } else if (LICENSE_ENV_NAMES.includes(env.name) && env.value !== undefined) {
          const source: LicenseKeySource = {
            kind: 'env',
            deployment: deployment.metadata.name,
            namespace,
            container: containerName,
            name: env.name,
          };
          const claims = stored[envSource(containerName, env.name)];
          readings.push(claims ? { source, claims } : { source, missing: `the value of ${env.name} was not decoded` });
        } else if (env.name === SECRET_ENV && env.value !== undefined) {
          const [ns, name] = env.value.includes('/') ? env.value.split('/', 2) : [namespace, env.value];
          readings.push(secretReading(secrets, ns ?? namespace, name ?? '', undefined, why));
        }
      }
    }
  }
  const named = new Set(readings.flatMap((r) => (r.source.kind === 'secret' ? [`${r.source.namespace}/${r.source.name}`] : [])));
  for (const secret of secrets) {
    const id = `${secret.metadata.namespace ?? ''}/${secret.metadata.name}`;
    if (named.has(id)) continue;
    for (const [where, claims] of Object.entries(licenseClaimsOf(secret) ?? {})) {
      if (!where.startsWith('data/')) continue;
      readings.push({
        source: {
          kind: 'secret',
          namespace: secret.metadata.namespace ?? '',
          name: secret.metadata.name,
          key: where.slice('data/'.length),
        },
        claims,
      });
    }
  }
  return readings;
}
