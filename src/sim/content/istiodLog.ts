// The istiod log lines a simulated cluster serves for peering (reference §3). Format is istio's
// pkg/log: zap console encoder, fields separated by tabs —
//   <time µs>\t<level>\t[<scope>\t]<message>[\t<label>=<value> …]
// The scope column is absent for the default scope; logger labels (WithLabels) are appended to the
// message after a tab. With --log_as_json: {"level","time","scope"?, "msg", <labels>…} in zap's order.
import { goDuration, rfc3339Micros } from './timeFormats.ts';
import type { LogFormat } from './ztunnelLogFormat.ts';
import type { JsonObject } from '../api/types.ts';

export type GoLevel = 'debug' | 'info' | 'warn' | 'error';
export type PeeringMode = 'gateway' | 'flat';

/** Why a peering stream dropped; each maps to the gRPC/TLS error tail istiod prints. */
export type DisconnectCause =
  /** The remote istiod's 15012 listener rejected our client certificate: different mesh roots [constructed]. */
  | 'unknown-authority'
  /** 15012 blocked or the east-west LB not answering. */
  | 'dial-timeout'
  | 'connection-refused'
  /** An AWS ELB hostname not yet resolvable. */
  | 'no-such-host'
  | 'unauthenticated';

export type IstiodEvent =
  // Peering controller (scope `peering`, leader replica only).
  | { kind: 'peering-informers-synced' }
  | { kind: 'peering-starting-watch'; cluster: string; network: string; mode?: PeeringMode; address: string }
  | { kind: 'peering-sync-complete'; cluster: string; network: string; mode?: PeeringMode }
  | { kind: 'network-label-missing'; namespace?: string; retryInMs?: number }
  // Peering transport (scope `deltaadsc`, label target=peering-<cluster>).
  | { kind: 'peering-connected'; cluster: string; node?: string }
  | { kind: 'peering-disconnected'; cluster: string; cause: DisconnectCause; address?: string; backoffMs?: number }
  // Startup guards and licensing (default scope: no scope column).
  | { kind: 'license-skipping-feature'; feature?: string; reason?: 'expired' | 'non-enterprise' }
  | { kind: 'license-expired-grace' }
  | { kind: 'peering-incompatible-select-workload-entries' }
  | { kind: 'peering-disabled-no-ambient' }
  // Benign traffic (scopes `ads` and `delta`).
  | { kind: 'ads-new-connection'; proxyId: string; connection?: number }
  | { kind: 'wds-push'; proxyId: string; resources: number; sizeKb?: number };

interface IstiodRecord {
  level: GoLevel;
  /** undefined = the default scope, which prints no scope column. */
  scope?: string;
  message: string;
  labels?: [string, string | number | boolean][];
}

export function istiodLogLine(event: IstiodEvent, format: LogFormat, at: Date): string {
  const record = istiodRecord(event);
  return format === 'json' ? jsonLine(record, at) : textLine(record, at);
}

function istiodRecord(event: IstiodEvent): IstiodRecord {
  switch (event.kind) {
    case 'peering-informers-synced':
      return { level: 'info', scope: 'peering', message: 'informers synced, starting processing' };
    case 'peering-starting-watch':
      return { level: 'info', scope: 'peering', message: `starting cluster watch to ${event.address}`, labels: clusterLabels(event) };
    case 'peering-sync-complete':
      return { level: 'info', scope: 'peering', message: `cluster ${event.cluster} sync complete`, labels: clusterLabels(event) };
    case 'network-label-missing':
      return {
        level: 'error',
        scope: 'peering',
        message:
          `fetched namespace ${event.namespace ?? 'istio-system'} but 'topology.istio.io/network' is ` +
          `not set; will retry in ${goDuration(event.retryInMs ?? 5000)}`,
      };
    case 'peering-connected':
      return {
        level: 'info',
        scope: 'deltaadsc',
        message: 'established connection',
        labels: [
          ['target', `peering-${event.cluster}`],
          ['node', event.node ?? `sidecar~0.0.0.0~istiod.istio-system~istio-system.svc.cluster.local`],
        ],
      };
    case 'peering-disconnected':
      return {
        level: 'warn',
        scope: 'deltaadsc',
        message: `disconnected, retrying in ${goDuration(event.backoffMs ?? 5000)}: ${disconnectError(event.cause, event.address ?? '172.18.0.10:15012')}`,
        labels: [['target', `peering-${event.cluster}`]],
      };
    case 'license-skipping-feature': {
      const reason = event.reason === 'non-enterprise' ? 'detected non-enterprise license, but feature requires enterprise' : 'expired';
      return { level: 'error', message: `SKIPPING FEATURE ${event.feature ?? 'MultiCluster'} due to licensing issue: ${reason}` };
    }
    case 'license-expired-grace':
      return { level: 'error', message: 'WARNING: found expired license key, temporarily allowing for a grace period' };
    case 'peering-incompatible-select-workload-entries':
      return { level: 'error', message: 'peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false' };
    case 'peering-disabled-no-ambient':
      return { level: 'warn', message: 'peering discovery is disabled because ambient controllers are not enabled' };
    case 'ads-new-connection':
      return { level: 'info', scope: 'ads', message: `ADS: new connection for node:${event.proxyId}-${event.connection ?? 1}` };
    case 'wds-push':
      return {
        level: 'info',
        scope: 'delta',
        message: `WDS: PUSH for node:${event.proxyId} resources:${event.resources} removed:0 size:${(event.sizeKb ?? 18.7).toFixed(1)}kB`,
      };
  }
}

function clusterLabels(event: { cluster: string; network: string; mode?: PeeringMode }): IstiodRecord['labels'] {
  return [
    ['cluster', event.cluster],
    ['network', event.network],
    ['mode', event.mode ?? 'gateway'],
  ];
}

/** The error tail of `disconnected, retrying in …: <err>` — grpc-go and crypto/tls wording [constructed, reference §3.3]. */
function disconnectError(cause: DisconnectCause, address: string): string {
  const unavailable = (desc: string): string => `delta stream: rpc error: code = Unavailable desc = connection error: desc = "${desc}"`;
  switch (cause) {
    case 'unknown-authority':
      return unavailable('error reading server preface: remote error: tls: unknown certificate authority');
    case 'dial-timeout':
      return unavailable(`transport: Error while dialing: dial tcp ${address}: i/o timeout`);
    case 'connection-refused':
      return unavailable(`transport: Error while dialing: dial tcp ${address}: connect: connection refused`);
    case 'no-such-host': {
      const host = address.replace(/:\d+$/, '');
      return unavailable(`transport: Error while dialing: dial tcp: lookup ${host} on 10.96.0.10:53: no such host`);
    }
    case 'unauthenticated':
      return 'delta stream: rpc error: code = Unauthenticated desc = authentication failure';
  }
}

function textLine(record: IstiodRecord, at: Date): string {
  const columns = [rfc3339Micros(at), record.level];
  if (record.scope) columns.push(record.scope);
  const labels = (record.labels ?? []).map(([key, value]) => `${key}=${String(value)}`).join(' ');
  columns.push(labels ? `${record.message}\t${labels}` : record.message);
  return columns.join('\t');
}

function jsonLine(record: IstiodRecord, at: Date): string {
  const line: JsonObject = { level: record.level, time: rfc3339Micros(at) };
  if (record.scope) line.scope = record.scope;
  line.msg = record.message;
  for (const [key, value] of record.labels ?? []) line[key] = value;
  return JSON.stringify(line);
}
