// Reader for a cluster's `logs:` list: extra log lines a scenario puts in matching pods.
import { SpecProblem } from './scenarioError.ts';
import type { ClusterSpec, IstiodEventName, LogEventSpec, LogSpec } from './spec.ts';
import { child, optional, readBoolean, readInteger, readMapping, readName, readOneOf, readString, required } from './specReader.ts';

export const ISTIOD_EVENTS: readonly IstiodEventName[] = [
  'sync-complete',
  'disconnected-retrying',
  'tls-unknown-authority',
  'license-skipping-feature',
  'license-grace-period',
  'network-label-missing',
  'select-workload-entries-incompatible',
];

/** Why a peering stream dropped (`detail` of disconnected-retrying). */
export const DISCONNECT_CAUSES = ['unknown-authority', 'dial-timeout', 'connection-refused', 'no-such-host', 'unauthenticated'] as const;

const EVENT_KINDS = [
  'text',
  'hbone-timeout',
  'unknown-issuer',
  'bad-signature',
  'connection-refused',
  'policy-rejected',
  'san-mismatch',
  'passthrough-240',
  'no-healthy-upstream',
  'dns-failure',
  'unknown-network-gateway',
  'istiod',
] as const;

/** `<namespace>/<service>` naming a global service of the scenario. */
function readServiceRef(value: unknown, path: string): string {
  const ref = readString(value, path);
  const [namespace, name, extra] = ref.split('/');
  if (!namespace || !name || extra !== undefined)
    throw new SpecProblem(path, `expected "<namespace>/<service>"; got ${JSON.stringify(ref)}`);
  readName(namespace, path);
  readName(name, path);
  return ref;
}

/** One `event:` of a `logs` entry or a timeline `logBurst`. */
export function readLogEvent(value: unknown, path: string): LogEventSpec {
  const loose = readMapping(value, path, ['kind', 'text', 'to', 'service', 'event', 'peer', 'detail']);
  const kind = required(loose, 'kind', path, (v, p) => readOneOf(v, p, EVENT_KINDS));
  switch (kind) {
    case 'text': {
      const m = readMapping(value, path, ['kind', 'text']);
      return { kind, text: required(m, 'text', path, readString) };
    }
    case 'hbone-timeout':
    case 'unknown-issuer':
    case 'bad-signature':
    case 'connection-refused':
    case 'policy-rejected':
    case 'san-mismatch': {
      const m = readMapping(value, path, ['kind', 'to', 'service']);
      return { kind, to: required(m, 'to', path, readString), service: required(m, 'service', path, readServiceRef) };
    }
    case 'passthrough-240':
    case 'no-healthy-upstream':
    case 'dns-failure': {
      const m = readMapping(value, path, ['kind', 'service']);
      return { kind, service: required(m, 'service', path, readServiceRef) };
    }
    case 'unknown-network-gateway': {
      const m = readMapping(value, path, ['kind', 'to']);
      return { kind, to: required(m, 'to', path, readString) };
    }
    case 'istiod': {
      const m = readMapping(value, path, ['kind', 'event', 'peer', 'detail']);
      const event: LogEventSpec = { kind, event: required(m, 'event', path, (v, p) => readOneOf(v, p, ISTIOD_EVENTS)) };
      const peer = optional(m, 'peer', path, readString, undefined);
      const detail = optional(m, 'detail', path, readString, undefined);
      if (peer !== undefined) event.peer = peer;
      if (detail !== undefined) {
        if (event.event === 'disconnected-retrying' && !(DISCONNECT_CAUSES as readonly string[]).includes(detail)) {
          throw new SpecProblem(`${path}.detail`, `expected one of ${DISCONNECT_CAUSES.join(', ')}; got ${JSON.stringify(detail)}`);
        }
        if (event.event === 'license-skipping-feature' && detail !== 'expired' && detail !== 'non-enterprise') {
          throw new SpecProblem(`${path}.detail`, `expected one of expired, non-enterprise; got ${JSON.stringify(detail)}`);
        }
        event.detail = detail;
      }
      return event;
    }
  }
}

export function readSelector(value: unknown, path: string): Record<string, string> {
  const text = readString(value, path);
  const selector: Record<string, string> = {};
  for (const term of text.split(',')) {
    const match = /^\s*([A-Za-z0-9./_-]+)\s*=\s*([A-Za-z0-9._-]+)\s*$/.exec(term);
    if (!match) throw new SpecProblem(path, `expected a label selector like "app=ztunnel"; got ${JSON.stringify(text)}`);
    selector[match[1]!] = match[2]!;
  }
  return selector;
}

export function readLog(value: unknown, path: string): LogSpec {
  const m = readMapping(value, path, ['pods', 'container', 'event', 'history', 'everySeconds', 'previous']);
  const spec: LogSpec = {
    selector: required(m, 'pods', path, readSelector),
    event: required(m, 'event', path, readLogEvent),
    history: optional(m, 'history', path, (v, p) => readInteger(v, p, 0, 10_000), 3),
    everySeconds: optional(m, 'everySeconds', path, (v, p) => readInteger(v, p, 0, 86_400), 30),
    previous: optional(m, 'previous', path, readBoolean, false),
  };
  const container = optional(m, 'container', path, readName, undefined);
  if (container !== undefined) spec.container = container;
  if (spec.history === 0 && spec.everySeconds === 0 && !spec.previous) {
    throw new SpecProblem(child(path, 'everySeconds'), 'with history 0 and previous false, 0 means the line is never written');
  }
  return spec;
}

/**
 * What a log event names must exist: `to` and `peer` another generated cluster, `service` a
 * global service of the scenario. `generatedContext` throws naming the path when a context is not one.
 */
export function checkLogEventReferences(
  event: LogEventSpec,
  path: string,
  own: ClusterSpec,
  generatedContext: (path: string, context: string, what: string) => ClusterSpec,
  globalServices: ReadonlySet<string>,
): void {
  if ('to' in event) {
    const peer = generatedContext(`${path}.to`, event.to, 'context');
    if (peer === own) throw new SpecProblem(`${path}.to`, 'expected another cluster');
  }
  if ('peer' in event && event.peer !== undefined) generatedContext(`${path}.peer`, event.peer, 'context');
  if ('service' in event && !globalServices.has(event.service)) {
    throw new SpecProblem(`${path}.service`, `${JSON.stringify(event.service)} is not a global service of any cluster`);
  }
}
