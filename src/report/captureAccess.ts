// What the console could not read in one context, turned into the simulator's terms so a
// replayed incident fails the same way: forbidden reads become the kubeconfig user's forbidden
// rules, CRDs that were not installed become `crdsMissing`, a context that could not be reached
// becomes an `unreachable` fault and rejected credentials an expired user.
import type { ForbiddenDetail } from '../kube/errors.ts';
import type { ContextFacts, ContextState } from '../store/types.ts';
import type { FaultSpec, ForbiddenRule } from '../sim/scenario/model.ts';
import type { CapturedUserDocument } from '../sim/scenario/spec.ts';
import { resourceName } from '../store/resourceIds.ts';

export interface CapturedAccess {
  /** Absent when the console could read everything as it was (the simulator's admin then serves). */
  user?: CapturedUserDocument;
  crdsMissing: string[];
  faults: FaultSpec[];
}

/** The user name the simulator accepts; real ones (`system:serviceaccount:…`, `admin`) may not be. */
const FALLBACK_USER = 'captured';

function validUserName(name: string | undefined): name is string {
  return name !== undefined && name !== 'admin' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name);
}

/** `pods#eastwest` → pods in group ''; `gateways.gateway.networking.k8s.io` → gateways in its group. */
function pluralAndGroup(resourceId: string): { resource: string; group: string } {
  const name = resourceName(resourceId);
  const dot = name.indexOf('.');
  return dot === -1 ? { resource: name, group: '' } : { resource: name.slice(0, dot), group: name.slice(dot + 1) };
}

function ruleKey(rule: ForbiddenRule): string {
  return `${rule.verb}|${rule.resource}|${rule.group ?? '*'}|${rule.namespace ?? '*'}`;
}

export function captureAccess(state: ContextState | undefined, facts: ContextFacts | undefined): CapturedAccess {
  const rules = new Map<string, ForbiddenRule>();
  let userName: string | undefined;
  const add = (rule: ForbiddenRule): void => {
    rules.set(ruleKey(rule), rule);
  };
  /** The 403's own details (kept as data by kube/errors.ts) say which verb on which resource was refused, and to whom. */
  const fromDetail = (detail: ForbiddenDetail | undefined): boolean => {
    if (!detail) return false;
    if (validUserName(detail.user)) userName ??= detail.user;
    add({
      verb: detail.verb,
      resource: detail.resource,
      group: detail.group,
      ...(detail.namespace !== undefined && { namespace: detail.namespace }),
    });
    return true;
  };
  const crdsMissing: string[] = [];
  for (const [id, resource] of Object.entries(state?.resources ?? {})) {
    if (resource.sync === 'notInstalled') crdsMissing.push(resourceName(id));
    if (resource.sync !== 'forbidden' || fromDetail(resource.error?.forbidden)) continue;
    const { resource: plural, group } = pluralAndGroup(id);
    add({ verb: 'list', resource: plural, group });
    add({ verb: 'watch', resource: plural, group });
  }
  for (const stream of Object.values(state?.logStreams ?? {})) {
    if (stream.phase === 'forbidden' && !fromDetail(stream.error?.forbidden)) add({ verb: 'get', resource: 'pods/log' });
  }
  const debugFacts = [
    ...Object.values(facts?.syncz ?? {}),
    ...Object.values(facts?.license ?? {}),
    ...Object.values(facts?.clusterz ?? {}),
  ];
  for (const fact of debugFacts) {
    if (fact.state !== 'unknown' || fact.errorKind !== 'forbidden' || fromDetail(fact.forbidden)) continue;
    // istiod's debug port is reached through pods/portforward, which needs get and (1.35+) create.
    add({ verb: 'get', resource: 'pods/portforward' });
    add({ verb: 'create', resource: 'pods/portforward' });
  }
  const expired = state?.status.phase === 'authFailed';
  const access: CapturedAccess = {
    crdsMissing: [...new Set(crdsMissing)].sort(),
    faults: state?.status.phase === 'unreachable' ? [{ kind: 'unreachable' }] : [],
  };
  if (rules.size > 0 || expired) {
    access.user = { name: userName ?? FALLBACK_USER, ...(expired && { expired: true }), forbidden: [...rules.values()] };
  }
  return access;
}
