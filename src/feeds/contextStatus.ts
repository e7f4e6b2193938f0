// One context's status, derived from the state of each of its watches. Pure, so the rules can
// be read (and tested) in one place:
// - credentials first: a 401 or a failing exec plugin on any watch means the context's
//   credentials are bad (they are shared by every watch) → `auth failed` with the reason;
// - connectivity next: connection, TLS or timeout failures while no watch is open → `unreachable`;
// - otherwise each watch that is not healthy adds a reason (`forbidden on pods`,
//   `gateways not installed`, `stale pods`, `throttled on services`, `error on namespaces`) and
//   the context is `degraded`; with no reason it is `connecting` until every watch has listed
//   once, then `ready`. A watch that is listing again after having synced keeps counting as
//   synced: what it handed over is still the best we know.
import type { ClassifiedError } from '../kube/errors.ts';
import type { WatchLoopState } from '../kube/watchLoop.ts';
import type { ContextPhase } from '../store/types.ts';
import { pluralOf, resourceName } from '../store/resourceIds.ts';

export interface ResourceHealth {
  id: string;
  phase: WatchLoopState['phase'];
  /** Has listed successfully at least once. */
  everSynced: boolean;
  error?: ClassifiedError;
}

export interface DerivedStatus {
  phase: ContextPhase;
  reasons: string[];
  /** The error that best explains the phase, for the context's lastError. */
  error?: ClassifiedError;
}

const CREDENTIAL_KINDS = new Set(['auth', 'exec']);
const CONNECTIVITY_KINDS = new Set(['unreachable', 'timeout', 'tls', 'config']);

export function deriveContextStatus(context: string, resources: readonly ResourceHealth[]): DerivedStatus {
  const failing = resources.filter((r) => r.phase === 'failing' && r.error !== undefined);
  const credentials = failing.find((r) => CREDENTIAL_KINDS.has(r.error!.kind));
  if (credentials)
    return { phase: 'authFailed', reasons: [withoutContext(context, credentials.error!.message)], error: credentials.error! };

  // A list that came back proves the connection as well as an open watch does.
  const anyOpen = resources.some((r) => r.phase === 'watching' || r.phase === 'listed');
  const cutOff = failing.find((r) => CONNECTIVITY_KINDS.has(r.error!.kind));
  if (cutOff && !anyOpen) return { phase: 'unreachable', reasons: [withoutContext(context, cutOff.error!.message)], error: cutOff.error! };

  const reasons: string[] = [];
  let error: ClassifiedError | undefined;
  let pending = false;
  for (const r of [...resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const reason = reasonFor(r);
    if (reason === undefined) {
      if (r.phase === 'listing' && !r.everSynced) pending = true;
      continue;
    }
    if (!reasons.includes(reason)) reasons.push(reason);
    error ??= r.error;
  }
  if (reasons.length > 0) return { phase: 'degraded', reasons, ...(error && { error }) };
  return { phase: pending ? 'connecting' : 'ready', reasons: [] };
}

function reasonFor(r: ResourceHealth): string | undefined {
  const name = resourceName(r.id);
  switch (r.phase) {
    case 'forbidden':
      return `forbidden on ${name}`;
    case 'notInstalled':
      return `${pluralOf(r.id)} not installed`;
    case 'stalled':
      return `stale ${name}`;
    case 'failing':
      return r.error?.kind === 'throttled' ? `throttled on ${name}` : `error on ${name}`;
    default:
      return undefined;
  }
}

/** The classifier prefixes `<context>: `; a context's own status need not repeat its name. */
function withoutContext(context: string, message: string): string {
  const prefix = `${context}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
