// MC-ENV-001: istiod's `discovery` container must run with peering on and with nothing that
// peering cannot live with (mission-anchors §1.3 "Incompatible Environment Variable Check",
// §1.5; istio-internals §5).
import type { CheckDefinition, Evidence, Finding, Severity } from './types.ts';
import type { ContextId, KubeObjectJson, MeshSnapshot } from '../src/store/types.ts';
import { makeFinding, worse } from './makeFinding.ts';
import { contextNames, field, isRecord, objectsIn, records, text, unreadable } from './snapshotReads.ts';
import { ISTIOD_DEPLOYMENTS } from '../src/store/resourceIds.ts';
import { FALSE_VALUES, SELECT_WORKLOAD_ENTRIES_VARIABLES } from '../src/mesh/peering.ts';

const DEPLOYMENTS = ISTIOD_DEPLOYMENTS;

interface EnvEntry {
  value?: string;
  /** `valueFrom` set: the value lives elsewhere (ConfigMap, Secret, field) and cannot be judged here. */
  indirect: boolean;
}

interface Verdict {
  severity: Severity;
  problem?: string;
  fix?: string;
}

/** A rule per variable: what it must be and why. */
interface EnvRule {
  name: string;
  judge(entry: EnvEntry | undefined): Verdict;
}

const RULES: readonly EnvRule[] = [
  {
    name: 'ENABLE_PEERING_DISCOVERY',
    judge: (e) =>
      e?.value === 'true'
        ? { severity: 'pass' }
        : e?.indirect
          ? {
              severity: 'warn',
              problem: 'ENABLE_PEERING_DISCOVERY is set through valueFrom; the console cannot tell whether it is "true"',
              fix: 'ENABLE_PEERING_DISCOVERY=true',
            }
          : {
              severity: 'fail',
              problem:
                `ENABLE_PEERING_DISCOVERY must be "true" (${e ? `it is "${e.value ?? ''}"` : 'it is not set'}): ` +
                `without it istiod runs no peering, so peer Gateways get no gloo.solo.io conditions and nothing ` +
                `is federated`,
              fix: 'ENABLE_PEERING_DISCOVERY=true',
            },
  },
  ...SELECT_WORKLOAD_ENTRIES_VARIABLES.map((name): EnvRule => ({
    name,
    judge: (e) =>
      // Only what istiod parses as false turns peering off; anything else leaves its default, true.
      e === undefined || (!e.indirect && !FALSE_VALUES.includes(e.value ?? ''))
        ? { severity: 'pass' }
        : e.indirect
          ? { severity: 'warn', problem: `${name} is set through valueFrom; it must not be anything but "true"`, fix: `${name}=true` }
          : {
              severity: 'fail',
              problem:
                `${name} is "${e.value ?? ''}": peering needs Services to select WorkloadEntries, so it must ` +
                `not be false (istiod logs "peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false")`,
              fix: `${name}=true`,
            },
  })),
  {
    name: 'PILOT_ENABLE_IP_AUTOALLOCATE',
    judge: (e) =>
      e !== undefined && !e.indirect && e.value !== 'true'
        ? {
            severity: 'warn',
            problem:
              `PILOT_ENABLE_IP_AUTOALLOCATE is "${e.value ?? ''}": the generated *.mesh.internal ServiceEntries ` +
              `have no addresses and get no 240.240.x.y VIP, so clients cannot resolve global services to ` +
              `an address ztunnel knows (the install guides set it to "true"; default true from Istio 1.25)`,
            fix: 'PILOT_ENABLE_IP_AUTOALLOCATE=true',
          }
        : { severity: 'pass' },
  },
  {
    name: 'DISABLE_LEGACY_MULTICLUSTER',
    judge: (e) =>
      e === undefined || (!e.indirect && e.value !== 'true')
        ? {
            severity: 'warn',
            problem:
              `DISABLE_LEGACY_MULTICLUSTER is ${e ? `"${e.value ?? ''}"` : 'not set'}: istiod also honours ` +
              `remote secrets (legacy multicluster) next to peering, so endpoints can arrive twice by two ` +
              `paths (the install guides set it to "true")`,
            fix: 'DISABLE_LEGACY_MULTICLUSTER=true',
          }
        : { severity: 'pass' },
  },
];

function discoveryEnv(deployment: KubeObjectJson): Map<string, EnvEntry> | undefined {
  const containers = records(field(deployment, 'spec', 'template', 'spec', 'containers'));
  const discovery = containers.find((c) => c['name'] === 'discovery') ?? (containers.length === 1 ? containers[0] : undefined);
  if (!discovery) return undefined;
  const env = new Map<string, EnvEntry>();
  for (const entry of records(discovery['env'])) {
    const name = text(entry['name']);
    if (name === undefined) continue;
    const value = text(entry['value']);
    env.set(name, { ...(value !== undefined ? { value } : {}), indirect: isRecord(entry['valueFrom']) });
  }
  return env;
}

function describe(entry: EnvEntry | undefined): string {
  if (!entry) return '(not set)';
  if (entry.indirect) return '(valueFrom)';
  return `"${entry.value ?? ''}"`;
}

function checkDeployment(context: ContextId, deployment: KubeObjectJson, istioNamespace: string): Finding {
  const ns = deployment.metadata.namespace ?? istioNamespace;
  const name = deployment.metadata.name;
  const subject = { context, kind: 'Deployment', namespace: ns, name };
  const env = discoveryEnv(deployment);
  if (!env) {
    return makeFinding(istiodEnvCheck, {
      severity: 'unknown',
      subject,
      message: `Deployment ${ns}/${name} has no "discovery" container; its environment cannot be checked`,
    });
  }
  let severity: Severity = 'pass';
  const problems: string[] = [];
  const fixes: string[] = [];
  const evidence: Evidence[] = [];
  for (const rule of RULES) {
    const entry = env.get(rule.name);
    const verdict = rule.judge(entry);
    severity = worse(severity, verdict.severity);
    evidence.push({ context, where: `Deployment ${ns}/${name} container discovery env ${rule.name}`, value: describe(entry) });
    if (verdict.problem) problems.push(verdict.problem);
    if (verdict.fix) fixes.push(verdict.fix);
  }
  if (severity === 'pass') {
    return makeFinding(istiodEnvCheck, {
      severity,
      subject,
      evidence,
      message: `istiod ${ns}/${name}: all relevant environment variables are valid`,
    });
  }
  return makeFinding(istiodEnvCheck, {
    severity,
    subject,
    evidence,
    message: `istiod ${ns}/${name}: ${problems.join('; ')}`,
    remediation: {
      summary:
        'Set these on istiod through its Helm values (the Solo chart renders ENABLE_PEERING_DISCOVERY ' +
        'from platforms.peering.enabled=true) so an upgrade keeps them; the kubectl command below changes ' +
        'the running Deployment until the next upgrade.',
      commands: [`kubectl --context ${context} -n ${ns} set env deployment/${name} -c discovery ${fixes.join(' ')}`],
    },
  });
}

export const istiodEnvCheck: CheckDefinition = {
  id: 'MC-ENV-001',
  title: 'istiod environment allows peering',
  reads: ['deployments.apps (app=istiod, istio namespace): env of the discovery container'],
  decides:
    'Fails when ENABLE_PEERING_DISCOVERY is not "true", or when K8S_SELECT_WORKLOAD_ENTRIES or ' +
    'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES is set to a value istiod reads as false ("false", "0", "f"…). Warns when PILOT_ENABLE_IP_AUTOALLOCATE ' +
    'is set to anything but "true" or DISABLE_LEGACY_MULTICLUSTER is not "true" (how the install ' +
    'guides set them), and when a variable comes from valueFrom and cannot be judged. Unknown when ' +
    'the istiod Deployment cannot be read or none is found.',
  remediation: 'Fix the values in the istiod Helm release (platforms.peering.enabled=true for ENABLE_PEERING_DISCOVERY) and roll istiod.',
  run(snapshot: MeshSnapshot, options) {
    const findings: Finding[] = [];
    for (const context of contextNames(snapshot)) {
      const subject = { context, kind: 'Deployment', namespace: options.istioNamespace, name: 'istiod' };
      const why = unreadable(snapshot, context, DEPLOYMENTS);
      if (why !== undefined) {
        findings.push(makeFinding(istiodEnvCheck, { severity: 'unknown', subject, message: `cannot read istiod's environment: ${why}` }));
        continue;
      }
      const deployments = objectsIn(snapshot, context, DEPLOYMENTS);
      if (deployments.length === 0) {
        findings.push(
          makeFinding(istiodEnvCheck, {
            severity: 'unknown',
            subject,
            message:
              `no istiod Deployment (label app=istiod) in namespace ${options.istioNamespace}; is istiod ` +
              `installed there (see --istio-namespace)?`,
          }),
        );
        continue;
      }
      for (const deployment of deployments) findings.push(checkDeployment(context, deployment, options.istioNamespace));
    }
    return findings;
  },
};
