// MC-ACCESS-001: the console's own access comes first in root-cause order, because whatever it
// cannot read turns later checks into `unknown`. Per context it names what is forbidden (with
// the user, verb, resource and namespace the apiserver gave), what could not be reached, and
// the RBAC to grant (docs/rbac.md). It never fails: missing access is not a mesh fault, but
// it is never `pass` either while something is unreadable.
import type { CheckDefinition, Evidence, Finding, Remediation } from './types.ts';
import type { ContextId, ContextState, Fact, ForbiddenDetail, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding } from './makeFinding.ts';
import { contextNames, contextUnreadable } from './snapshotReads.ts';

/** What each kind of access feeds, so the message says which answers are missing. */
const FEEDS: Readonly<Record<string, string>> = {
  'pods/log': 'ztunnel and istiod log signatures (MC-LOG-001)',
  'pods/portforward': "istiod's /debug/syncz, /debug/license and /debug/clusterz (MC-LIC-001, MC-XDS-001)",
  pods: 'pod health, pod log reads and istiod debug fetches (MC-POD-001 and everything that needs istiod)',
  namespaces: 'network labels and service scope (MC-NET-001, MC-SVC-001)',
  gateways: 'east-west and peer gateways (MC-EW-001, MC-PEER-001, MC-PEER-002)',
  secrets: 'the plug-in CA (MC-CERT-001, MC-CERT-002)',
  configmaps: 'the root certificate and DNS capture (MC-CERT-001, MC-DNS-001)',
  deployments: "istiod's environment (MC-ENV-001)",
  daemonsets: 'ztunnel rollout (MC-POD-001)',
  workloadentries: 'generated WorkloadEntries (MC-WE-001)',
  serviceentries: 'generated ServiceEntries (MC-SVC-001)',
  services: 'east-west address and global services (MC-EW-001, MC-SVC-001)',
};

interface Denial {
  detail: ForbiddenDetail;
  /** Where it showed: a watched resource, a log stream, an istiod fact. */
  seenIn: string;
}

/** kube/errors.ts keeps a 403's details (user, verb, resource, namespace) as data wherever the store holds the error. */
function denialOf(forbidden: ForbiddenDetail | undefined, seenIn: string): Denial | undefined {
  return forbidden ? { detail: forbidden, seenIn } : undefined;
}

function collectDenials(snapshot: MeshSnapshot, ctx: ContextState): { denials: Denial[]; otherErrors: Evidence[] } {
  const denials: Denial[] = [];
  const otherErrors: Evidence[] = [];
  const context = ctx.context;
  for (const res of Object.values(ctx.resources).sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    // The log feed records pods/log here too: a subresource is read, not watched.
    const where = res.resource.includes('/') ? `read ${res.resource}` : `watch ${res.resource}`;
    if (res.sync === 'forbidden') {
      const denial = denialOf(res.error?.forbidden, where);
      if (denial) denials.push(denial);
      else otherErrors.push({ context, where, value: `forbidden${res.error ? `: ${res.error.message}` : ''}` });
    } else if (res.sync === 'error' && res.error) {
      otherErrors.push({ context, where, value: res.error.message });
    }
  }
  for (const [stream, state] of Object.entries(ctx.logStreams ?? {}).sort()) {
    if (state.phase !== 'forbidden') continue;
    const denial = denialOf(state.error?.forbidden, `pod log ${stream}`);
    if (denial) denials.push(denial);
  }
  const facts = snapshot.facts[context];
  for (const kind of ['syncz', 'license', 'clusterz', 'sourcePods'] as const) {
    const table: Readonly<Record<string, Fact<unknown>>> = facts?.[kind] ?? {};
    for (const [key, fact] of Object.entries(table).sort()) {
      if (fact.state !== 'unknown' || fact.errorKind !== 'forbidden') continue;
      const denial = denialOf(fact.forbidden, `${kind} ${key}`);
      if (denial) denials.push(denial);
      else otherErrors.push({ context, where: `${kind} ${key}`, value: fact.reason });
    }
  }
  return { denials, otherErrors };
}

/** One line per distinct (verb, resource, group, namespace); pods/portforward needs get and create. */
function grants(denials: Denial[]): { resource: string; group: string; namespace: string | undefined; verbs: Set<string> }[] {
  const byKey = new Map<string, { resource: string; group: string; namespace: string | undefined; verbs: Set<string> }>();
  for (const { detail } of denials) {
    const key = `${detail.resource}|${detail.group}|${detail.namespace ?? ''}`;
    const entry = byKey.get(key) ?? {
      resource: detail.resource,
      group: detail.group,
      namespace: detail.namespace,
      verbs: new Set<string>(),
    };
    entry.verbs.add(detail.verb);
    if (detail.resource === 'pods/portforward') ['get', 'create'].forEach((v) => entry.verbs.add(v));
    if (detail.verb === 'list' || detail.verb === 'watch') ['list', 'watch'].forEach((v) => entry.verbs.add(v));
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

function rbacCommands(context: ContextId, user: string, denials: Denial[]): string[] {
  const commands: string[] = [];
  for (const grant of grants(denials)) {
    const roleName = `mesh-tui-${grant.resource.replace('/', '-')}`;
    const resourceArg = grant.group === '' ? grant.resource : `${grant.resource}.${grant.group}`;
    const verbs = [...grant.verbs].sort().join(',');
    if (grant.namespace !== undefined) {
      commands.push(`kubectl --context ${context} -n ${grant.namespace} create role ${roleName} --verb=${verbs} --resource=${resourceArg}`);
      commands.push(`kubectl --context ${context} -n ${grant.namespace} create rolebinding ${roleName} --role=${roleName} --user=${user}`);
    } else {
      commands.push(`kubectl --context ${context} create clusterrole ${roleName} --verb=${verbs} --resource=${resourceArg}`);
      commands.push(`kubectl --context ${context} create clusterrolebinding ${roleName} --clusterrole=${roleName} --user=${user}`);
    }
  }
  for (const grant of grants(denials)) {
    const ns = grant.namespace !== undefined ? ` -n ${grant.namespace}` : ' --all-namespaces';
    const resourceArg = grant.group === '' ? grant.resource : `${grant.resource}.${grant.group}`;
    commands.push(`kubectl --context ${context} auth can-i ${[...grant.verbs].sort()[0] ?? 'get'} ${resourceArg}${ns} --as ${user}`);
  }
  return commands;
}

function describeDenial(d: ForbiddenDetail): string {
  const resource = d.group === '' ? d.resource : `${d.resource}.${d.group}`;
  return `${d.verb} ${resource}${d.namespace !== undefined ? ` in namespace "${d.namespace}"` : ' (cluster-wide)'}`;
}

/** What to do about a context nothing can be read from: its kubeconfig entry, its credentials, or the way to its server. */
function unreadableRemediation(
  context: ContextId,
  phase: ContextState['status']['phase'] | undefined,
  errorKind: string | undefined,
): Remediation {
  if (errorKind === 'config') {
    return {
      summary: "Fix this context's entry in the kubeconfig (the cluster, user and server it names), then re-run.",
      commands: [`kubectl config view --minify --context ${context}`, 'kubectl config get-contexts'],
    };
  }
  if (phase === 'authFailed') {
    return {
      summary: "Refresh the credentials of this context (log in again, renew the token or the exec plugin's login) and re-run.",
      commands: [`kubectl --context ${context} auth whoami`, `kubectl config view --minify --context ${context}`],
    };
  }
  return {
    summary: 'Check that the API server of this context is reachable from here (VPN, bastion, proxy settings) and re-run.',
    commands: [`kubectl --context ${context} get --raw /readyz`, `kubectl config view --minify --context ${context}`],
  };
}

function checkContext(snapshot: MeshSnapshot, context: ContextId): Finding {
  const ctx = snapshot.contexts[context];
  const down = contextUnreadable(ctx);
  if (down !== undefined || !ctx) {
    const phase = ctx?.status.phase;
    return makeFinding(consoleAccessCheck, {
      severity: 'unknown',
      subject: { context, kind: 'Context', name: context },
      message: `nothing can be read from ${context}: ${down ?? 'not loaded'}. Every check says unknown for it.`,
      evidence: ctx?.lastError ? [{ context, where: 'last error', value: ctx.lastError.message }] : [],
      remediation: unreadableRemediation(context, phase, ctx?.lastError?.kind),
    });
  }
  const { denials, otherErrors } = collectDenials(snapshot, ctx);
  if (denials.length === 0 && otherErrors.length === 0) {
    return makeFinding(consoleAccessCheck, {
      severity: 'pass',
      subject: { context, kind: 'Context', name: context },
      message: 'every watched resource, the pod logs and the istiod debug endpoints could be read',
    });
  }
  const users = [...new Set(denials.map((d) => d.detail.user).filter((u): u is string => u !== undefined))];
  const user = users[0] ?? '<user>';
  const distinct = [...new Map(denials.map((d) => [describeDenial(d.detail), d.detail])).entries()];
  const missing = [...new Set(distinct.map(([, d]) => FEEDS[d.resource] ?? FEEDS[d.resource.split('/')[0] ?? ''] ?? d.resource))];
  const evidence: Evidence[] = [
    ...denials.map((d) => ({
      context,
      where: d.seenIn,
      value: `forbidden: ${describeDenial(d.detail)}${d.detail.user ? ` for user "${d.detail.user}"` : ''}`,
    })),
    ...otherErrors,
  ];
  const parts: string[] = [];
  if (distinct.length > 0) {
    parts.push(
      `${users.length > 0 ? `user "${users.join('", "')}" is` : 'the console is'} forbidden to ${distinct.map(([text]) => text).join(', ')}, ` +
        `so it cannot read ${missing.join('; ')}; those checks say unknown`,
    );
  }
  if (otherErrors.length > 0)
    parts.push(
      `${otherErrors.length} other read${otherErrors.length === 1 ? '' : 's'} failed (${otherErrors.map((e) => e.where).join(', ')})`,
    );
  return makeFinding(consoleAccessCheck, {
    severity: 'unknown',
    subject: users.length > 0 ? { context, kind: 'User', name: user } : { context, kind: 'Context', name: context },
    evidence,
    message: `${parts.join('; ')}.`,
    ...(denials.length > 0 && {
      remediation: {
        summary:
          `Grant the read-only RBAC in docs/rbac.md to "${user}" in ${context} (pods/portforward needs ` +
          `both get and create), or run the console as a user who has it.`,
        commands: rbacCommands(context, user, denials),
      },
    }),
  });
}

export const consoleAccessCheck: CheckDefinition = {
  id: 'MC-ACCESS-001',
  title: "Console's own access",
  reads: [
    'context status and last error',
    'sync state of every watched resource',
    'pod log streams (pods/log)',
    'istiod fact errors (pods/portforward)',
  ],
  decides:
    'Per context: unknown when the context is unreachable, failed authentication or is still connecting; ' +
    'unknown when any watched resource, pod log or istiod debug fetch was forbidden (naming user, ' +
    'verb, resource and namespace, and what that hides) or failed to read; pass when everything ' +
    'could be read. It never fails: missing access is not a mesh fault.',
  remediation:
    "Grant the RBAC listed in docs/rbac.md (pods/portforward needs get and create), or fix the context's credentials and connectivity.",
  run(snapshot: MeshSnapshot) {
    return contextNames(snapshot).map((context) => checkContext(snapshot, context));
  },
};
