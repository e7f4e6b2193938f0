// istiod's syncz, in both real shapes (reference §1.3, §1.4, §1.7):
//  - 'syncStatus':   HTTP GET /debug/syncz — a JSON array of Go `SyncStatus`, one per connection,
//                    with per-type nonces (`resources[typeUrl] = {sent, acked, sentTime, lastError}`);
//  - 'clientConfig': the XDS `istio.io/debug/syncz` DiscoveryResponse (protojson), whose resources
//                    are CSDS ClientConfigs with a configStatus per type, plus the control-plane id.
// Both are derived from the same per-proxy description so they never disagree.
import { createHash } from 'node:crypto';
import { CLIENT_CONFIG_TYPE_URL, SYNCZ_TYPE_URL, TYPE_URL } from './xdsTypes.ts';
import { goJsonTime, goRfc3339Seconds, protoJsonTimestamp } from './timeFormats.ts';
import type { JsonObject, JsonValue } from '../api/types.ts';

export type SyncState = 'SYNCED' | 'NOT_SENT' | 'STALE' | 'ERROR';

export interface SynczType {
  typeUrl: string;
  status: SyncState;
  /** The proxy's NACK message, for ERROR. */
  error?: string;
  /** When istiod last sent this type; defaults to 30 s before `now` (never, for NOT_SENT). */
  lastUpdated?: Date;
}

export interface SynczProxy {
  /** `<pod>.<namespace>`, istiod's proxy ID. */
  id: string;
  clusterId: string;
  namespace: string;
  istioVersion: string;
  proxyType: 'ztunnel' | 'sidecar' | 'router' | 'waypoint';
  /** A peered remote istiod (Solo peering client): subscribes to FSDS, SGDS, WDS(Workload). */
  peerIstiod?: boolean;
  types: SynczType[];
}

export interface IstiodIdentity {
  /** The istiod pod name (POD_NAME), shown by istioctl in the ISTIOD column. */
  pod: string;
  /** istiod's own version, e.g. 1.28.2-solo. */
  version: string;
}

const synced = (typeUrl: string): SynczType => ({ typeUrl, status: 'SYNCED' });

/** ztunnel: WADS + WDS(Address). */
export function ztunnelSubscriptions(): SynczProxy['types'] {
  return [synced(TYPE_URL.WADS), synced(TYPE_URL.WDS_ADDRESS)];
}

/** A peered remote istiod: FSDS, SGDS and WDS(Workload) (Solo `network.go`). */
export function peerIstiodSubscriptions(): SynczProxy['types'] {
  return [synced(TYPE_URL.FSDS), synced(TYPE_URL.SGDS), synced(TYPE_URL.WDS_WORKLOAD)];
}

/** An Envoy sidecar with DNS proxying: CDS, LDS, EDS, RDS, NDS. */
export function sidecarSubscriptions(): SynczProxy['types'] {
  return [synced(TYPE_URL.CDS), synced(TYPE_URL.LDS), synced(TYPE_URL.EDS), synced(TYPE_URL.RDS), synced(TYPE_URL.NDS)];
}

/** An Envoy gateway or waypoint: CDS, LDS, EDS, RDS. */
export function envoyGatewaySubscriptions(): SynczProxy['types'] {
  return [synced(TYPE_URL.CDS), synced(TYPE_URL.LDS), synced(TYPE_URL.EDS), synced(TYPE_URL.RDS)];
}

export function buildSyncz(shape: 'syncStatus' | 'clientConfig', istiod: IstiodIdentity, proxies: SynczProxy[], now: Date): JsonValue {
  const sorted = [...proxies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return shape === 'syncStatus' ? syncStatusArray(sorted, now) : discoveryResponse(istiod, sorted, now);
}

// ---- HTTP /debug/syncz ----------------------------------------------------------------------

/** The Envoy types whose nonces also get top-level `<x>_sent`/`<x>_acked` fields. */
const ENVOY_NONCE_FIELDS: [string, string][] = [
  [TYPE_URL.CDS, 'cluster'],
  [TYPE_URL.LDS, 'listener'],
  [TYPE_URL.RDS, 'route'],
  [TYPE_URL.EDS, 'endpoint'],
  [TYPE_URL.ECDS, 'extensionconfig'],
];

function syncStatusArray(proxies: SynczProxy[], now: Date): JsonValue {
  return proxies.map((proxy) => {
    const entry: JsonObject = {
      cluster_id: proxy.clusterId,
      proxy: proxy.id,
      proxy_type: proxy.proxyType,
      istio_version: proxy.istioVersion,
    };
    const resources: JsonObject = {};
    for (const type of proxy.types) {
      const nonces = noncesFor(proxy, type, now);
      const status: JsonObject = {};
      // Go omits empty strings (omitempty) but never a time.Time, which prints as year 1.
      if (nonces.sent) status.sent = nonces.sent;
      if (nonces.acked) status.acked = nonces.acked;
      status.sentTime = goJsonTime(sentTime(type, now));
      if (type.status === 'ERROR') status.lastError = type.error ?? 'NACK';
      resources[type.typeUrl] = status;
    }
    for (const [typeUrl, prefix] of ENVOY_NONCE_FIELDS) {
      const type = proxy.types.find((t) => t.typeUrl === typeUrl);
      if (!type) continue;
      const nonces = noncesFor(proxy, type, now);
      if (nonces.sent) entry[`${prefix}_sent`] = nonces.sent;
      if (nonces.acked) entry[`${prefix}_acked`] = nonces.acked;
    }
    if (Object.keys(resources).length > 0) entry.resources = resources;
    return entry;
  });
}

/** Nonces that reproduce istiod's status rule: SYNCED ⇔ acked == sent, STALE ⇔ acked older, NOT_SENT ⇔ none. */
function noncesFor(proxy: SynczProxy, type: SynczType, now: Date): { sent?: string; acked?: string } {
  const current = nonce(proxy.id, type.typeUrl, pushVersion(now, 2));
  const previous = nonce(proxy.id, type.typeUrl, pushVersion(now, 1));
  switch (type.status) {
    case 'SYNCED':
      return { sent: current, acked: current };
    case 'STALE':
    case 'ERROR':
      return { sent: current, acked: previous };
    case 'NOT_SENT':
      return {};
  }
}

// ---- XDS istio.io/debug/syncz --------------------------------------------------------------

function discoveryResponse(istiod: IstiodIdentity, proxies: SynczProxy[], now: Date): JsonValue {
  const version = pushVersion(now, 2);
  return {
    versionInfo: version,
    resources: proxies.map((proxy) => clientConfig(proxy, now)),
    typeUrl: SYNCZ_TYPE_URL,
    nonce: nonce(istiod.pod, SYNCZ_TYPE_URL, version),
    controlPlane: { identifier: controlPlaneIdentifier(istiod) },
  };
}

function clientConfig(proxy: SynczProxy, now: Date): JsonObject {
  const configs = [...proxy.types]
    .sort((a, b) => (a.typeUrl < b.typeUrl ? -1 : a.typeUrl > b.typeUrl ? 1 : 0))
    .map((type): JsonObject => {
      const config: JsonObject = {
        typeUrl: type.typeUrl,
        lastUpdated: protoJsonTimestamp(sentTime(type, now)),
        configStatus: type.status,
      };
      if (type.status === 'ERROR') {
        config.errorState = { lastUpdateAttempt: protoJsonTimestamp(sentTime(type, now)), details: type.error ?? 'NACK' };
      }
      return config;
    });
  return {
    '@type': CLIENT_CONFIG_TYPE_URL,
    node: {
      id: proxy.id,
      metadata: { CLUSTER_ID: proxy.clusterId, NAMESPACE: proxy.namespace, ISTIO_VERSION: proxy.istioVersion },
    },
    genericXdsConfigs: configs,
  };
}

/** `{"Component":"istiod","ID":<pod>,"Info":<BuildInfo>}` as a JSON string, Go field order. */
export function controlPlaneIdentifier(istiod: IstiodIdentity): string {
  return JSON.stringify({
    Component: 'istiod',
    ID: istiod.pod,
    Info: {
      version: istiod.version,
      revision: hex(`revision:${istiod.version}`, 40),
      golang_version: 'go1.24.9',
      status: 'Clean',
      tag: istiod.version,
    },
  });
}

// ---- shared ---------------------------------------------------------------------------------

function sentTime(type: SynczType, now: Date): Date | undefined {
  if (type.status === 'NOT_SENT') return undefined;
  return type.lastUpdated ?? new Date(now.getTime() - 30_000);
}

/** istiod's push version: `<RFC 3339 seconds>/<counter>`. */
function pushVersion(now: Date, counter: number): string {
  return `${goRfc3339Seconds(new Date(now.getTime() - 30_000))}/${counter}`;
}

/** istiod's nonce: the push version followed by a random UUID; derived here so output is stable. */
function nonce(owner: string, typeUrl: string, version: string): string {
  const h = hex(`${owner}|${typeUrl}|${version}`, 32);
  return `${version}${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}
