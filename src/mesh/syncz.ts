// istiod's syncz → proxy-status rows, the way `istioctl proxy-status` (1.27+) shows them.
// Two real shapes reach us: the HTTP `/debug/syncz` array of SyncStatus (nonces per type URL)
// and the XDS `istio.io/debug/syncz` DiscoveryResponse of CSDS ClientConfigs (configStatus).
// Both come from the network, so every field is checked; a bad payload yields an error
// result, never an exception.
import { LEADING_TYPE_URLS, TYPE_URLS, shortTypeName } from './typeUrls.ts';

export type XdsSyncStatus = 'SYNCED' | 'NOT_SENT' | 'STALE' | 'ERROR' | 'UNKNOWN';

export interface TypeSync {
  typeUrl: string;
  /** istioctl's abbreviation, or the full type URL when it has none. */
  short: string;
  status: XdsSyncStatus;
  /** When istiod last sent this type (RFC 3339), if known. */
  lastUpdated?: string;
  /** The proxy's NACK message, for ERROR. */
  error?: string;
  /** STALE because the proxy never acknowledged anything (HTTP shape only). */
  neverAcked?: boolean;
}

export interface ProxyStatusRow {
  /** `<pod>.<namespace>` as istiod knows the proxy. */
  name: string;
  /** The proxy's CLUSTER_ID (not the kube context). */
  cluster: string;
  /** The istiod pod that answered (XDS: control-plane ID; `MISSING`/`INVALID` like istioctl). */
  istiod: string;
  /** The proxy's own ISTIO_VERSION. */
  version: string;
  namespace?: string;
  /** HTTP shape only: sidecar, router, waypoint, ztunnel. */
  proxyType?: string;
  /** Sorted by type URL. */
  types: TypeSync[];
}

export type SynczShape = 'http' | 'xds';

export type SynczResult = { ok: true; shape: SynczShape; rows: ProxyStatusRow[]; warnings: string[] } | { ok: false; error: string };

export interface SynczOptions {
  /** The istiod pod the payload came from; the HTTP shape does not name it. */
  istiodPod?: string;
}

const CLIENT_CONFIG_TYPE = 'type.googleapis.com/envoy.service.status.v3.ClientConfig';
const STATUS_BY_NUMBER: readonly XdsSyncStatus[] = ['UNKNOWN', 'SYNCED', 'NOT_SENT', 'STALE', 'ERROR'];
const MAX_ERROR_CHARS = 2000;

type Json = unknown;
type JsonRecord = Record<string, unknown>;

function isRecord(v: Json): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** protojson uses camelCase, but Go's proto field names (snake_case) are accepted too. */
function field(obj: JsonRecord, camel: string, snake: string): Json {
  return obj[camel] ?? obj[snake];
}

function capped(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Parse a syncz payload (raw text or already-parsed JSON) into rows sorted by NAME. */
export function parseSyncz(input: Json, options: SynczOptions = {}): SynczResult {
  let data: Json = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input) as Json;
    } catch (err) {
      return { ok: false, error: `syncz: invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  try {
    if (Array.isArray(data)) {
      // An array of DiscoveryResponses (one per istiod) is what `istioctl ps -o json` prints.
      if (data.length > 0 && data.every((d) => isRecord(d) && Array.isArray(d['resources']))) {
        return fromDiscoveryResponses(data as JsonRecord[]);
      }
      return fromHttpArray(data, options);
    }
    if (isRecord(data) && Array.isArray(data['resources'])) return fromDiscoveryResponses([data]);
    return {
      ok: false,
      error: `syncz: unexpected shape: expected an array of SyncStatus or a DiscoveryResponse, got ${describe(data)}`,
    };
  } catch (err) {
    // Defensive: the walkers above only read, but a payload is never allowed to crash a feed.
    return { ok: false, error: `syncz: ${err instanceof Error ? err.message : String(err)}` };
  }
}

// ---- HTTP /debug/syncz -------------------------------------------------------------------

const LEGACY_PAIRS: readonly [string, string][] = [
  ['cluster', TYPE_URLS.CDS],
  ['listener', TYPE_URLS.LDS],
  ['route', TYPE_URLS.RDS],
  ['endpoint', TYPE_URLS.EDS],
  ['extensionconfig', TYPE_URLS.ECDS],
];

function statusFromNonces(sent: string, acked: string, lastError: string): Omit<TypeSync, 'typeUrl' | 'short'> {
  if (lastError !== '') return { status: 'ERROR', error: capped(lastError) };
  if (sent === '') return { status: 'NOT_SENT' };
  if (sent === acked) return { status: 'SYNCED' };
  return acked === '' ? { status: 'STALE', neverAcked: true } : { status: 'STALE' };
}

function fromHttpArray(items: Json[], options: SynczOptions): SynczResult {
  const rows: ProxyStatusRow[] = [];
  const warnings: string[] = [];
  items.forEach((item, index) => {
    if (!isRecord(item) || str(item['proxy']) === undefined) {
      warnings.push(`entry ${index}: not a SyncStatus (no "proxy")`);
      return;
    }
    const types: TypeSync[] = [];
    const resources = item['resources'];
    if (isRecord(resources)) {
      for (const [typeUrl, value] of Object.entries(resources)) {
        if (!isRecord(value)) continue;
        const state = statusFromNonces(str(value['sent']) ?? '', str(value['acked']) ?? '', str(value['lastError']) ?? '');
        const sentTime = str(value['sentTime']);
        types.push({ typeUrl, short: shortTypeName(typeUrl), ...state, ...(sentTime ? { lastUpdated: sentTime } : {}) });
      }
    } else {
      // Older istiods only had the per-Envoy-type nonce pairs.
      for (const [prefix, typeUrl] of LEGACY_PAIRS) {
        const sent = str(item[`${prefix}_sent`]);
        const acked = str(item[`${prefix}_acked`]);
        if (sent === undefined && acked === undefined) continue;
        types.push({ typeUrl, short: shortTypeName(typeUrl), ...statusFromNonces(sent ?? '', acked ?? '', '') });
      }
    }
    types.sort((a, b) => compareStrings(a.typeUrl, b.typeUrl));
    const istioVersion = str(item['istio_version']) ?? '';
    const proxyType = str(item['proxy_type']);
    const name = str(item['proxy']) ?? '';
    rows.push({
      name,
      cluster: str(item['cluster_id']) ?? '',
      istiod: options.istiodPod ?? 'UNKNOWN',
      // istioctl fell back to the proxy version, starred, when istiod gave no Istio version.
      version: istioVersion !== '' ? istioVersion : `${str(item['proxy_version']) ?? ''}*`,
      ...namespaceOf(name),
      ...(proxyType ? { proxyType } : {}),
      types,
    });
  });
  return { ok: true, shape: 'http', rows: sortRows(rows), warnings };
}

function namespaceOf(proxyName: string): { namespace?: string } {
  const dot = proxyName.lastIndexOf('.');
  return dot > 0 ? { namespace: proxyName.slice(dot + 1) } : {};
}

// ---- XDS istio.io/debug/syncz -----------------------------------------------------------

/** istioctl's CpInfo: the control-plane identifier is itself a JSON string. */
function istiodId(response: JsonRecord): string {
  const cp = field(response, 'controlPlane', 'control_plane');
  const identifier = isRecord(cp) ? str(cp['identifier']) : undefined;
  if (identifier === undefined || identifier === '') return 'MISSING';
  try {
    const parsed = JSON.parse(identifier) as Json;
    const id = isRecord(parsed) ? str(parsed['ID']) : undefined;
    return id ?? 'INVALID';
  } catch {
    return 'INVALID';
  }
}

function configStatus(v: Json): XdsSyncStatus {
  if (typeof v === 'number') return STATUS_BY_NUMBER[v] ?? 'UNKNOWN';
  if (typeof v === 'string' && (STATUS_BY_NUMBER as readonly string[]).includes(v)) return v as XdsSyncStatus;
  // proto3 JSON omits zero-valued enums, so an absent status is UNKNOWN.
  return 'UNKNOWN';
}

const LEGACY_PER_XDS: readonly [string, string, string][] = [
  ['listenerConfig', 'listener_config', TYPE_URLS.LDS],
  ['clusterConfig', 'cluster_config', TYPE_URLS.CDS],
  ['routeConfig', 'route_config', TYPE_URLS.RDS],
  ['endpointConfig', 'endpoint_config', TYPE_URLS.EDS],
];

function typesOfClientConfig(cc: JsonRecord): TypeSync[] {
  const types: TypeSync[] = [];
  const generic = field(cc, 'genericXdsConfigs', 'generic_xds_configs');
  if (Array.isArray(generic)) {
    for (const g of generic) {
      if (!isRecord(g)) continue;
      const typeUrl = str(field(g, 'typeUrl', 'type_url'));
      if (typeUrl === undefined) continue;
      const status = configStatus(field(g, 'configStatus', 'config_status'));
      const lastUpdated = str(field(g, 'lastUpdated', 'last_updated'));
      const errorState = field(g, 'errorState', 'error_state');
      const details = isRecord(errorState) ? str(errorState['details']) : undefined;
      types.push({
        typeUrl,
        short: shortTypeName(typeUrl),
        status,
        ...(lastUpdated ? { lastUpdated } : {}),
        ...(details !== undefined ? { error: capped(details) } : {}),
      });
    }
  } else {
    // Deprecated per-xDS configs, as istioctl still accepts them from old istiods.
    const legacy = field(cc, 'xdsConfig', 'xds_config');
    if (Array.isArray(legacy)) {
      for (const x of legacy) {
        if (!isRecord(x)) continue;
        const match = LEGACY_PER_XDS.find(([camel, snake]) => field(x, camel, snake) !== undefined);
        if (!match) continue;
        types.push({ typeUrl: match[2], short: shortTypeName(match[2]), status: configStatus(x['status']) });
      }
    }
  }
  return types.sort((a, b) => compareStrings(a.typeUrl, b.typeUrl));
}

function fromDiscoveryResponses(responses: JsonRecord[]): SynczResult {
  const rows: ProxyStatusRow[] = [];
  const warnings: string[] = [];
  for (const response of responses) {
    const istiod = istiodId(response);
    const resources = response['resources'] as Json[];
    resources.forEach((resource, index) => {
      if (!isRecord(resource)) {
        warnings.push(`resource ${index}: not an object`);
        return;
      }
      const type = str(resource['@type']);
      if (type !== undefined && type !== CLIENT_CONFIG_TYPE) {
        warnings.push(`resource ${index}: unexpected type ${type}`);
        return;
      }
      const node = resource['node'];
      const nodeId = isRecord(node) ? str(node['id']) : undefined;
      if (!isRecord(node) || nodeId === undefined) {
        warnings.push(`resource ${index}: ClientConfig without node.id`);
        return;
      }
      const meta = isRecord(node['metadata']) ? node['metadata'] : {};
      const namespace = str(meta['NAMESPACE']);
      rows.push({
        name: nodeId,
        cluster: str(meta['CLUSTER_ID']) ?? '',
        istiod,
        version: str(meta['ISTIO_VERSION']) ?? '',
        ...(namespace ? { namespace } : {}),
        types: typesOfClientConfig(resource),
      });
    });
  }
  return { ok: true, shape: 'xds', rows: sortRows(rows), warnings };
}

// ---- rendering ---------------------------------------------------------------------------

/** Go's sort compares bytes; localeCompare would reorder upper/lower case differently. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows of several istiods together, ordered by NAME as istioctl prints them. */
export function sortRows(rows: readonly ProxyStatusRow[]): ProxyStatusRow[] {
  return [...rows].sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * The column order istioctl 1.27+ uses for SUBSCRIBED TYPES: CDS, LDS, EDS, RDS first when any
 * row has them, then every other type URL seen in any row, sorted by the full URL.
 */
export function subscribedTypeOrder(rows: readonly ProxyStatusRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const t of row.types) seen.add(t.typeUrl);
  const leading = LEADING_TYPE_URLS.filter((u) => seen.has(u));
  const rest = [...seen].filter((u) => !LEADING_TYPE_URLS.includes(u)).sort(compareStrings);
  return [...leading, ...rest];
}

/** `"<n> (<ABBR>,…)"`, or `"0"`: the types this row subscribes to, UNKNOWN ones not counted. */
export function renderSubscribedTypes(row: ProxyStatusRow, order: readonly string[]): string {
  const present = new Set(row.types.filter((t) => t.status !== 'UNKNOWN').map((t) => t.typeUrl));
  const names = order.filter((u) => present.has(u)).map(shortTypeName);
  return names.length === 0 ? '0' : `${names.length} (${names.join(',')})`;
}

export const PROXY_STATUS_HEADER: readonly string[] = ['NAME', 'CLUSTER', 'ISTIOD', 'VERSION', 'SUBSCRIBED TYPES'];

/** Cells of the proxy-status table, header first, rows sorted by NAME. */
export function proxyStatusCells(rows: readonly ProxyStatusRow[]): string[][] {
  const sorted = sortRows(rows);
  const order = subscribedTypeOrder(sorted);
  return [[...PROXY_STATUS_HEADER], ...sorted.map((r) => [r.name, r.cluster, r.istiod, r.version, renderSubscribedTypes(r, order)])];
}

/**
 * The table as istioctl prints it: Go's tabwriter with padding 5 and the last column unpadded,
 * so text output can be compared with (or pasted next to) the real tool's.
 */
export function formatProxyStatusTable(rows: readonly ProxyStatusRow[]): string {
  const cells = proxyStatusCells(rows);
  const widths: number[] = [];
  for (const line of cells) {
    line.forEach((cell, i) => {
      if (i < line.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return cells
    .map((line) => line.map((cell, i) => (i < line.length - 1 ? cell.padEnd((widths[i] ?? 0) + 5) : cell)).join(''))
    .map((l) => `${l}\n`)
    .join('');
}

/** A per-type status as istioctl words it (`NOT SENT`, `STALE (Never Acknowledged)`), plus the NACK. */
export function typeStatusLabel(t: TypeSync): string {
  switch (t.status) {
    case 'NOT_SENT':
      return 'NOT SENT';
    case 'STALE':
      return t.neverAcked ? 'STALE (Never Acknowledged)' : 'STALE';
    case 'ERROR':
      return t.error !== undefined && t.error !== '' ? `ERROR: ${t.error}` : 'ERROR';
    default:
      return t.status;
  }
}

/** The types of a row that are not SYNCED (what a check or a detail pane points at). */
export function unhealthyTypes(row: ProxyStatusRow): TypeSync[] {
  return row.types.filter((t) => t.status !== 'SYNCED' && t.status !== 'UNKNOWN');
}
