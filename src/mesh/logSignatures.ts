// Turns parsed ztunnel/istiod log records into a few named failure signatures with counts,
// so an on-call engineer sees "HBONE 15008 timeouts ×312 on cluster-a" instead of scrolling.
// Which check explains a signature is the checks' business (checks/explanations.ts). Aggregates are bounded: a
// signature keeps counts, times and a handful of examples, never the whole stream.
import type { LogRecord } from './ztunnelLog.ts';
import { recordError } from './ztunnelLog.ts';

export type SignatureId =
  | 'root-of-trust'
  | 'identity-mismatch'
  | 'policy-rejection'
  | 'no-healthy-upstream'
  | 'no-healthy-upstream-local'
  | 'unknown-network-gateway'
  | 'network-identity-mismatch'
  | 'hbone-timeout'
  | 'peer-disconnected'
  | 'connection-refused'
  | 'dns-failure'
  | 'peering-incompatible-env'
  | 'other-error';

export interface SignatureDefinition {
  id: SignatureId;
  title: string;
  /** What the signature usually means, for the detail pane and reports. */
  meaning: string;
}

export const SIGNATURES: Readonly<Record<SignatureId, SignatureDefinition>> = {
  'root-of-trust': {
    id: 'root-of-trust',
    title: 'Unknown issuer / bad signature',
    meaning: 'The peer certificate does not chain to our root: the clusters do not share a root of trust.',
  },
  'identity-mismatch': {
    id: 'identity-mismatch',
    title: 'SAN or trust-domain mismatch',
    meaning: 'The peer presented an identity from another trust domain (or an unexpected SAN).',
  },
  'policy-rejection': {
    id: 'policy-rejection',
    title: 'Policy rejection',
    meaning: 'An AuthorizationPolicy denied the connection on the receiving side.',
  },
  'no-healthy-upstream': {
    id: 'no-healthy-upstream',
    title: 'No healthy upstream',
    meaning:
      'A global service (240.240 VIP or *.mesh.internal) is known but has no usable endpoint: peering has not delivered its remote endpoints.',
  },
  'no-healthy-upstream-local': {
    id: 'no-healthy-upstream-local',
    title: 'No healthy upstream (local service)',
    meaning: 'A local (non-global) service has no ready endpoint.',
  },
  'unknown-network-gateway': {
    id: 'unknown-network-gateway',
    title: 'Unknown network gateway',
    meaning: "ztunnel does not know the remote network's gateway: the peer's east-west gateway was not discovered.",
  },
  'network-identity-mismatch': {
    id: 'network-identity-mismatch',
    title: 'Destination in 240.240.0.0/16',
    meaning:
      'Traffic went to an auto-allocated VIP ztunnel could not map back to a service: usually a network label mismatch (or DNS capture off).',
  },
  'hbone-timeout': {
    id: 'hbone-timeout',
    title: 'HBONE 15008 timeout',
    meaning: 'HBONE connections time out: port 15008 to the peer or east-west gateway is blocked or unreachable.',
  },
  'peer-disconnected': {
    id: 'peer-disconnected',
    title: 'Peering stream disconnected',
    meaning: "istiod's peering client cannot keep its xDS stream (port 15012) to the peer istiod.",
  },
  'connection-refused': {
    id: 'connection-refused',
    title: 'Connection refused',
    meaning: 'The destination actively refused the connection (nothing listening, or a pod restarting).',
  },
  'dns-failure': {
    id: 'dns-failure',
    title: 'DNS failure',
    meaning: 'A name did not resolve (DNS server unreachable, or the name does not exist).',
  },
  'peering-incompatible-env': {
    id: 'peering-incompatible-env',
    title: 'Peering refused by istiod env',
    meaning:
      'istiod will not start peering discovery: Services may not select WorkloadEntries (PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false).',
  },
  'other-error': {
    id: 'other-error',
    title: 'Other errors',
    meaning: 'Errors that match no known signature.',
  },
};

/** Classification reads at most this much of the text: signatures sit near the start. */
const SCAN_CHARS = 4096;

// Every pattern is a literal or a fixed-width class: linear, no backtracking blow-up.
const VIP_240 = /(?:^|[^\d.])240\.240\.\d{1,3}\.\d{1,3}/;

function has(text: string, needle: string): boolean {
  return text.includes(needle);
}

/** The signature of one record, or undefined when the record is not a failure. */
export function classifyRecord(rec: LogRecord): SignatureId | undefined {
  const error = recordError(rec);
  const isFailureLevel = rec.level === 'error' || rec.level === 'warn' || rec.level === 'fatal';
  if (error === undefined && !isFailureLevel) return undefined;
  const text = `${rec.message} ${error ?? ''}`.slice(0, SCAN_CHARS).toLowerCase();
  const dstAddr = rec.fields['dst.addr'];
  const dstService = rec.fields['dst.service'];

  // istiod's own guard line names its cause; without this it would read as an "other error".
  if (has(text, 'peering discovery is incompatible with')) return 'peering-incompatible-env';
  if (
    has(text, 'unknownissuer') ||
    has(text, 'badsignature') ||
    has(text, 'unknown certificate authority') ||
    has(text, 'unknownca') ||
    has(text, 'unknown_ca') ||
    has(text, 'certificate signed by unknown authority') ||
    has(text, 'unable to get local issuer certificate') ||
    has(text, 'no verified chain')
  ) {
    return 'root-of-trust';
  }
  if (
    has(text, 'did not present the expected san') ||
    has(text, 'expected trustdomain') ||
    has(text, 'did not find expected san') ||
    has(text, 'no cert pool found for trust domain')
  ) {
    return 'identity-mismatch';
  }
  if (has(text, 'policy rejection') || has(text, 'http status: 401')) return 'policy-rejection';
  if (has(text, 'no healthy upstream')) {
    const global =
      VIP_240.test(text) ||
      (typeof dstService === 'string' && dstService.endsWith('.mesh.internal')) ||
      (typeof dstAddr === 'string' && dstAddr.startsWith('240.240.'));
    return global ? 'no-healthy-upstream' : 'no-healthy-upstream-local';
  }
  if (has(text, 'unknown network gateway') || has(text, 'no gateway address')) return 'unknown-network-gateway';
  // A 240.240 destination with no service: ztunnel did not know the VIP and passed it through.
  const dstIs240 = typeof dstAddr === 'string' && dstAddr.startsWith('240.240.');
  if ((dstIs240 && (dstService === undefined || dstService === '')) || (!dstIs240 && VIP_240.test(text))) {
    return 'network-identity-mismatch';
  }
  if (has(text, 'blocking hbone port 15008') || (has(text, '15008') && (has(text, 'timed out') || has(text, 'deadline has elapsed')))) {
    return 'hbone-timeout';
  }
  if (has(text, 'connection refused') || has(text, 'os error 111')) return 'connection-refused';
  if (
    has(text, 'dns error') ||
    has(text, 'dns lookup') ||
    has(text, 'failed to lookup address') ||
    has(text, 'no such host') ||
    has(text, 'name resolution') ||
    has(text, 'nxdomain') ||
    has(text, 'dns response had no')
  ) {
    return 'dns-failure';
  }
  if (has(text, 'disconnected, retrying') || (rec.target === 'deltaadsc' && isFailureLevel)) return 'peer-disconnected';
  if (dstIs240) return 'network-identity-mismatch';
  return 'other-error';
}

// ---- aggregation -------------------------------------------------------------------------

export const MAX_EXAMPLES = 3;
export const MAX_SOURCES = 10;
export const MAX_CONTEXTS = 32;
export const MAX_EXAMPLE_CHARS = 600;

export interface SignatureAggregate {
  id: SignatureId;
  title: string;
  count: number;
  /** The record's own time when it had one, else when it was seen (RFC 3339). */
  firstSeen: string;
  lastSeen: string;
  /** Kube contexts the signature was seen in (bounded). */
  contexts: string[];
  /** `namespace/pod` the lines came from (bounded). */
  sources: string[];
  /** The most recent distinct raw lines, newest last (bounded). */
  examples: string[];
}

/** Signature id → aggregate. Replaced, never mutated, when records arrive. */
export type SignatureTable = Readonly<Partial<Record<SignatureId, SignatureAggregate>>>;

export interface RecordOrigin {
  context: string;
  /** `namespace/pod`, when known. */
  source?: string;
  /** Fallback time for records without a timestamp. */
  seenAt: string;
}

function addBounded(list: readonly string[], value: string, max: number): string[] {
  if (list.includes(value) || list.length >= max) return list as string[];
  return [...list, value];
}

function addExample(list: readonly string[], line: string): string[] {
  const text = line.length > MAX_EXAMPLE_CHARS ? `${line.slice(0, MAX_EXAMPLE_CHARS)}…` : line;
  if (list.includes(text)) return list as string[];
  return [...list, text].slice(-MAX_EXAMPLES);
}

function minTime(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function maxTime(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Add records to a table; returns the same table when no record was a failure. */
export function aggregateRecords(table: SignatureTable, records: readonly LogRecord[], origin: RecordOrigin): SignatureTable {
  let next: Partial<Record<SignatureId, SignatureAggregate>> | undefined;
  for (const rec of records) {
    const id = classifyRecord(rec);
    if (id === undefined) continue;
    next ??= { ...table };
    const time = rec.time !== undefined && !Number.isNaN(Date.parse(rec.time)) ? rec.time : origin.seenAt;
    const prev = next[id];
    const def = SIGNATURES[id];
    next[id] = prev
      ? {
          ...prev,
          count: prev.count + 1,
          firstSeen: minTime(prev.firstSeen, time),
          lastSeen: maxTime(prev.lastSeen, time),
          contexts: addBounded(prev.contexts, origin.context, MAX_CONTEXTS),
          sources: origin.source !== undefined ? addBounded(prev.sources, origin.source, MAX_SOURCES) : prev.sources,
          examples: addExample(prev.examples, rec.raw),
        }
      : {
          id,
          title: def.title,
          count: 1,
          firstSeen: time,
          lastSeen: time,
          contexts: [origin.context],
          sources: origin.source !== undefined ? [origin.source] : [],
          examples: addExample([], rec.raw),
        };
  }
  return next ?? table;
}

/** Combine per-context tables into one list, most frequent first. */
export function mergeSignatureTables(tables: readonly SignatureTable[]): SignatureAggregate[] {
  const merged = new Map<SignatureId, SignatureAggregate>();
  for (const table of tables) {
    for (const agg of Object.values(table)) {
      if (agg === undefined) continue;
      const prev = merged.get(agg.id);
      if (!prev) {
        merged.set(agg.id, agg);
        continue;
      }
      merged.set(agg.id, {
        ...prev,
        count: prev.count + agg.count,
        firstSeen: minTime(prev.firstSeen, agg.firstSeen),
        lastSeen: maxTime(prev.lastSeen, agg.lastSeen),
        contexts: agg.contexts.reduce((acc, c) => addBounded(acc, c, MAX_CONTEXTS), prev.contexts),
        sources: agg.sources.reduce((acc, s) => addBounded(acc, s, MAX_SOURCES), prev.sources),
        examples: agg.examples.reduce((acc, e) => addExample(acc, e), prev.examples),
      });
    }
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
}
