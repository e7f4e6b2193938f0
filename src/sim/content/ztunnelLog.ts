// The ztunnel log lines a simulated cluster serves: access logs for the traffic failures an
// on-call engineer meets in a peered mesh, and a few benign lines around them. Messages, levels,
// field names and field order are ztunnel 1.24–1.30's (reference §2.3–2.4; src/proxy/metrics.rs,
// src/proxy.rs error texts). 1.31's src.cluster/dst.cluster fields are deliberately absent.
import { createHash } from 'node:crypto';
import { formatZtunnelRecord } from './ztunnelLogFormat.ts';
import type { LogField, LogFormat, LogRecord, RustLevel } from './ztunnelLogFormat.ts';

export type { LogFormat } from './ztunnelLogFormat.ts';

/** The client or server pod of a connection, as ztunnel knows it. */
export interface Workload {
  /** Pod name, printed as src.workload. */
  name: string;
  namespace: string;
  ip: string;
  /** Source port; an ephemeral one derived from the time is used when absent. */
  port?: number;
  /** SPIFFE identity, printed only for mTLS (HBONE) connections: spiffe://<td>/ns/<ns>/sa/<sa>. */
  identity?: string;
}

/** Where ztunnel actually connected (dst.addr) and what it meant to reach. */
export interface Destination {
  /** The real L4 peer `ip:port`: `<pod ip>:15008` for HBONE, the east-west gateway for cross-network. */
  addr: string;
  /** The inner CONNECT target: `ip:port`, or `<service hostname>:<port>` through an east-west gateway. */
  hboneAddr?: string;
  /** Service FQDN, e.g. `echo.default.svc.cluster.local` or `echo.default.mesh.internal`. */
  service?: string;
  /** Pod name, or for cross-network traffic `NetworkGateway/<network>/<gateway address>/<hbone port>`. */
  workload?: string;
  namespace?: string;
  identity?: string;
}

/** Which ztunnel logs a failure that both sides see: the client node's (outbound) or the server's (inbound). */
export type Side = 'inbound' | 'outbound';

export type ZtunnelEvent =
  | { kind: 'connection-complete'; src: Workload; dst: Destination; bytesSent?: number; bytesRecv?: number; durationMs?: number }
  | { kind: 'hbone-timeout'; src: Workload; dst: Destination; durationMs?: number }
  /** A 240.240.x.y VIP ztunnel does not know: passthrough TCP to an unroutable address. */
  | { kind: 'passthrough-240'; src: Workload; vip: string; port: number; durationMs?: number }
  | { kind: 'no-healthy-upstream'; src: Workload; vip: string; port: number }
  | { kind: 'unknown-issuer' | 'bad-signature'; src: Workload; dst: Destination; durationMs?: number }
  | { kind: 'san-mismatch'; src: Workload; dst: Destination; expected: string[]; got: string[]; durationMs?: number }
  /** Server side by default (the client only sees `http status: 401 Unauthorized`). `reason` defaults to allow-policies-none-allowed. */
  | { kind: 'policy-rejected'; src: Workload; dst: Destination; side?: Side; reason?: string }
  /** Server side by default: the app port is closed (the client sees `http status: 503 Service Unavailable`). */
  | { kind: 'connection-refused'; src: Workload; dst: Destination; side?: Side }
  /** On-demand DNS for a DNS-resolved ServiceEntry failed (src/state.rs `dns lookup failed`). */
  | { kind: 'dns-failure'; src: Workload; host: string }
  /** `gateway` is the gateway's hostname, or its IP (then printed as ztunnel's GatewayAddress Debug form). */
  | { kind: 'unknown-network-gateway'; src: Workload; network: string; gateway: string; vip?: string; port?: number }
  /** ztunnel cannot reach istiod (real line from istio/istio#52487: DNS failure). */
  | { kind: 'xds-connection-error'; address: string; backoffMs?: number }
  | { kind: 'xds-connected' | 'startup'; version?: string };

const HBONE_TIMEOUT = 'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed';

export function ztunnelLogLine(event: ZtunnelEvent, format: LogFormat, at: Date): string {
  return formatZtunnelRecord(ztunnelRecord(event, at), format, at);
}

/** The structured record behind a line, for callers that want the fields without parsing. */
export function ztunnelRecord(event: ZtunnelEvent, at: Date): LogRecord {
  switch (event.kind) {
    case 'connection-complete':
      return completed(
        'info',
        event.src,
        event.dst,
        'outbound',
        {
          bytesSent: event.bytesSent ?? 1024,
          bytesRecv: event.bytesRecv ?? 2048,
          durationMs: event.durationMs ?? 12,
        },
        undefined,
        at,
      );
    case 'hbone-timeout':
      return completed('error', event.src, event.dst, 'outbound', { durationMs: event.durationMs ?? 10_002 }, HBONE_TIMEOUT, at);
    case 'passthrough-240':
      // No service matched the VIP, so there is no HBONE, no identity and no dst.service; the
      // kernel gives up on the SYN to an unroutable class-E address after ~130 s.
      return completed(
        'error',
        { ...event.src, identity: undefined },
        { addr: `${event.vip}:${event.port}` },
        'outbound',
        { durationMs: event.durationMs ?? 130_015 },
        'io error: Connection timed out (os error 110)',
        at,
      );
    case 'no-healthy-upstream':
      return earlyDeny(event.src, `${event.vip}:${event.port}`, 'outbound', `no healthy upstream: ${event.vip}:${event.port}`, at);
    case 'unknown-issuer':
      return completed(
        'error',
        event.src,
        event.dst,
        'outbound',
        { durationMs: event.durationMs ?? 4 },
        'io error: invalid peer certificate: UnknownIssuer',
        at,
      );
    case 'bad-signature':
      return completed(
        'error',
        event.src,
        event.dst,
        'outbound',
        { durationMs: event.durationMs ?? 4 },
        'io error: invalid peer certificate: BadSignature',
        at,
      );
    case 'san-mismatch':
      return completed(
        'error',
        event.src,
        event.dst,
        'outbound',
        { durationMs: event.durationMs ?? 4 },
        'io error: invalid peer certificate: Other(OtherError(identity verification error: peer did not present the expected SAN ' +
          `(${event.expected.join(',')}), got ${event.got.join(',')}))`,
        at,
      );
    case 'policy-rejected': {
      const side = event.side ?? 'inbound';
      const error =
        side === 'inbound'
          ? `connection closed due to policy rejection: ${event.reason ?? 'allow policies exist, but none allowed'}`
          : 'http status: 401 Unauthorized';
      return completed('error', event.src, event.dst, side, { durationMs: 1 }, error, at);
    }
    case 'connection-refused': {
      const side = event.side ?? 'inbound';
      const error = side === 'inbound' ? 'connection failed: Connection refused (os error 111)' : 'http status: 503 Service Unavailable';
      return completed('error', event.src, event.dst, side, { durationMs: 1 }, error, at);
    }
    case 'dns-failure':
      return {
        level: 'warn',
        target: 'ztunnel::state',
        spans: connectionSpans(event.src, at),
        message: 'dns lookup failed',
        fields: [
          // hickory's ResolveError Debug form for NXDOMAIN [constructed; the shape varies by hickory version].
          {
            name: 'err',
            display:
              `ResolveError { kind: NoRecordsFound { query: Query { name: Name("${event.host}."), query_type: ` +
              `A, query_class: IN }, soa: None, negative_ttl: None, response_code: NXDomain, trusted: true ` +
              `} }`,
          },
          { name: 'hostname', display: event.host },
        ],
      };
    case 'unknown-network-gateway': {
      const target = `${event.vip ?? '240.240.0.1'}:${event.port ?? 80}`;
      const gateway = isIpAddress(event.gateway)
        ? `GatewayAddress { destination: Address(NetworkAddress { network: "${event.network}", address: ${event.gateway} }), hbone_mtls_port: 15008 }`
        : event.gateway;
      return earlyDeny(event.src, target, 'outbound', `unknown network gateway: network gateway ${gateway} not found`, at);
    }
    case 'xds-connection-error':
      return {
        level: 'warn',
        target: 'ztunnel::xds::client',
        spans: [{ name: 'xds', fields: [{ name: 'id', num: 1 }] }],
        message:
          `XDS client connection error: gRPC connection error connecting to ${event.address}: status: Unknown, message: "client error (Connect)", ` +
          'source: dns error: failed to lookup address information: Temporary failure in name resolution (hint: is the DNS server reachable?), ' +
          `retrying in ${rustDuration(event.backoffMs ?? 2560)}`,
        fields: [],
      };
    case 'xds-connected':
      return {
        level: 'info',
        target: 'ztunnel::xds::client',
        spans: [{ name: 'xds', fields: [{ name: 'id', num: 1 }] }],
        message: 'Stream established',
        fields: [],
      };
    case 'startup': {
      const version = event.version ?? '1.28.0';
      return {
        level: 'info',
        target: 'ztunnel',
        message:
          `version: version.BuildInfo{Version:"${version}", GitRevision:"749e07d1c7b3e1a52bf2a6bd6a2e9f6a2d0f1c33", RustVersion:"1.90.0", ` +
          `BuildProfile:"release", BuildStatus:"Clean", IstioVersion:"${version}", CryptoProvider:"aws-lc"}`,
        fields: [],
      };
    }
  }
}

interface Traffic {
  bytesSent?: number;
  bytesRecv?: number;
  durationMs: number;
}

/** `connection complete` (info when it ended well, error with `error=` otherwise). */
function completed(
  level: RustLevel,
  src: Workload,
  dst: Destination,
  direction: Side,
  traffic: Traffic,
  error: string | undefined,
  at: Date,
): LogRecord {
  const fields: LogField[] = [{ name: 'src.addr', display: sourceAddress(src, at) }];
  fields.push({ name: 'src.workload', str: src.name }, { name: 'src.namespace', str: src.namespace });
  if (src.identity) fields.push({ name: 'src.identity', str: src.identity });
  fields.push({ name: 'dst.addr', display: dst.addr });
  if (dst.hboneAddr) fields.push({ name: 'dst.hbone_addr', display: dst.hboneAddr });
  if (dst.service) fields.push({ name: 'dst.service', str: dst.service });
  if (dst.workload) fields.push({ name: 'dst.workload', str: dst.workload });
  if (dst.namespace) fields.push({ name: 'dst.namespace', str: dst.namespace });
  if (dst.identity) fields.push({ name: 'dst.identity', str: dst.identity });
  fields.push(
    { name: 'direction', str: direction },
    { name: 'bytes_sent', num: traffic.bytesSent ?? 0 },
    { name: 'bytes_recv', num: traffic.bytesRecv ?? 0 },
    { name: 'duration', str: `${traffic.durationMs}ms` },
  );
  if (error !== undefined) fields.push({ name: 'error', str: error });
  return { level, target: 'access', message: 'connection complete', fields };
}

/** `connection failed`: rejected before a request could be built (metrics.rs log_early_deny). */
function earlyDeny(src: Workload, dstAddr: string, direction: Side, error: string, at: Date): LogRecord {
  return {
    level: 'warn',
    target: 'access',
    message: 'connection failed',
    fields: [
      { name: 'src.addr', display: sourceAddress(src, at) },
      { name: 'dst.addr', display: dstAddr },
      { name: 'direction', str: direction },
      { name: 'error', str: error },
    ],
  };
}

/** The spans an outbound connection's non-access lines carry in in-pod mode: proxy{wl=…}:outbound{id=…}. */
function connectionSpans(src: Workload, at: Date): LogRecord['spans'] {
  // The connection id is a 128-bit trace id printed as 32 hex digits.
  const id = createHash('sha256').update(`${src.namespace}/${src.name}@${at.toISOString()}`).digest('hex').slice(0, 32);
  return [
    { name: 'proxy', fields: [{ name: 'wl', display: `${src.namespace}/${src.name}` }] },
    { name: 'outbound', fields: [{ name: 'id', display: id }] },
  ];
}

function sourceAddress(src: Workload, at: Date): string {
  return `${src.ip}:${src.port ?? 32768 + (at.getTime() % 28_000)}`;
}

function isIpAddress(value: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) || value.includes(':');
}

/** Rust's Debug for Duration as ztunnel prints backoffs: 2.56s, 500ms. */
function rustDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toString()}s`;
}

/** `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`. */
export function spiffeIdentity(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * The synthetic workload istiod makes for a remote network's gateway, as dst.workload shows it:
 * `NetworkGateway/<network>/<address>/<HBONE port>` (istio 1.28 ambient workloads.go gatewayUID).
 * A gateway known without an HBONE port prints 0 there (seen in a publicly captured 2026 access log).
 */
export function networkGatewayWorkload(network: string, gatewayAddress: string, hbonePort = 15008): string {
  return `NetworkGateway/${network}/${gatewayAddress}/${hbonePort}`;
}
