// istiod's debug facts of one context, turned back into the answers istiod gave, for a captured
// scenario's `istiodDebug`. The store keeps parsed syncz rows, not the payload, so the payload is
// rebuilt in the shape it came in (HTTP SyncStatus array or XDS DiscoveryResponse) such that the
// console's own parser (src/mesh/syncz.ts) reads back the same rows. A fact that was unknown is
// left out: the replayed istiod then fails that request and the fact is unknown again.
import type { ProxyStatusRow, TypeSync } from '../mesh/syncz.ts';
import type { ContextFacts, SynczFactValue } from '../store/types.ts';
import type { JsonValue } from '../sim/api/types.ts';
import type { VerbatimIstiodDebug } from '../sim/scenario/spec.ts';

type Json = JsonValue;

const CLIENT_CONFIG_TYPE = 'type.googleapis.com/envoy.service.status.v3.ClientConfig';
const SYNCZ_TYPE = 'istio.io/debug/syncz';

/** Nonces that make istiod's rule (SYNCED ⇔ acked == sent) give back each type's status. */
function httpResource(type: TypeSync): { [key: string]: Json } {
  const resource: { [key: string]: Json } = {};
  if (type.status === 'SYNCED') Object.assign(resource, { sent: 'captured-1', acked: 'captured-1' });
  if (type.status === 'STALE')
    Object.assign(resource, type.neverAcked ? { sent: 'captured-2' } : { sent: 'captured-2', acked: 'captured-1' });
  if (type.status === 'ERROR') Object.assign(resource, { sent: 'captured-2', acked: 'captured-1', lastError: type.error ?? 'NACK' });
  if (type.lastUpdated !== undefined) resource.sentTime = type.lastUpdated;
  return resource;
}

function httpEntry(row: ProxyStatusRow): Json {
  const entry: { [key: string]: Json } = { cluster_id: row.cluster, proxy: row.name };
  if (row.proxyType !== undefined) entry.proxy_type = row.proxyType;
  // istioctl shows `<proxy version>*` when istiod reported no Istio version.
  if (row.version.endsWith('*')) entry.proxy_version = row.version.slice(0, -1);
  else entry.istio_version = row.version;
  entry.resources = Object.fromEntries(row.types.map((t) => [t.typeUrl, httpResource(t)]));
  return entry;
}

function clientConfig(row: ProxyStatusRow): Json {
  const metadata: { [key: string]: Json } = { CLUSTER_ID: row.cluster, ISTIO_VERSION: row.version };
  if (row.namespace !== undefined) metadata.NAMESPACE = row.namespace;
  return {
    '@type': CLIENT_CONFIG_TYPE,
    node: { id: row.name, metadata },
    genericXdsConfigs: row.types.map((t) => {
      const config: { [key: string]: Json } = { typeUrl: t.typeUrl };
      // proto3 JSON leaves out a zero enum, which is how UNKNOWN arrives.
      if (t.status !== 'UNKNOWN') config.configStatus = t.status;
      if (t.lastUpdated !== undefined) config.lastUpdated = t.lastUpdated;
      if (t.error !== undefined) config.errorState = { details: t.error };
      return config;
    }),
  };
}

function discoveryResponse(value: SynczFactValue): Json {
  const istiod = value.rows[0]?.istiod ?? value.istiodPod;
  const response: { [key: string]: Json } = { resources: value.rows.map(clientConfig), typeUrl: SYNCZ_TYPE };
  // MISSING and INVALID are istioctl's words for an identifier that was absent or not JSON.
  if (istiod === 'INVALID') response.controlPlane = { identifier: 'invalid' };
  else if (istiod !== 'MISSING') response.controlPlane = { identifier: JSON.stringify({ Component: 'istiod', ID: istiod }) };
  return response;
}

export function synczPayload(value: SynczFactValue): Json {
  return value.shape === 'http' ? value.rows.map(httpEntry) : discoveryResponse(value);
}

/** Every istiod pod any fact names, with the answers that were known. */
export function captureDebug(facts: ContextFacts | undefined): VerbatimIstiodDebug[] {
  if (!facts) return [];
  const pods = new Set([...Object.keys(facts.syncz), ...Object.keys(facts.license), ...Object.keys(facts.clusterz)]);
  return [...pods].sort().map((pod) => {
    const entry: VerbatimIstiodDebug = { pod };
    const syncz = facts.syncz[pod];
    if (syncz?.state === 'known') entry.syncz = synczPayload(syncz.value);
    const license = facts.license[pod];
    if (license?.state === 'known') entry.license = { State: license.value.state, Product: license.value.product ?? '' };
    else if (license?.state === 'unknown' && license.errorKind === 'notFound') entry.license = null;
    const clusterz = facts.clusterz[pod];
    if (clusterz?.state === 'known') {
      entry.clusterz = clusterz.value.map((c) => ({
        id: c.id,
        ...(c.secretName !== undefined && { secretName: c.secretName }),
        ...(c.syncStatus !== undefined && { syncStatus: c.syncStatus }),
      }));
    }
    return entry;
  });
}
