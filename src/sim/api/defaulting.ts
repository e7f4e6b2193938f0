// What the real server's SetDefaults_* functions fill in for the built-in kinds we serve.
import type { KubeObject, ResourceType } from './types.ts';
import { typeKey } from './typeBucket.ts';

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function asList(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((e): e is Obj => asObj(e) !== undefined) : [];
}

function defaultContainer(c: Obj): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined) {
    const image = typeof c.image === 'string' ? c.image : '';
    const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
    c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  for (const port of asList(c.ports)) port.protocol ??= 'TCP';
}

function defaultPodSpec(spec: Obj): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const list of ['containers', 'initContainers']) for (const c of asList(spec[list])) defaultContainer(c);
}

function randomIp(): string {
  // kubeadm's default service range, 10.96.0.0/12, skipping the network and the first few addresses.
  const n = 10 + Math.floor(Math.random() * ((1 << 20) - 12));
  return `10.${96 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `used` undefined: allocate nothing (seeding keeps a scenario's services exactly as written). */
function defaultServiceSpec(spec: Obj, old: Obj | undefined, used: Set<string> | undefined): void {
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const port of asList(spec.ports)) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port ?? 0;
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && port.nodePort === undefined)
      port.nodePort = 30000 + Math.floor(Math.random() * 2768);
  }
  if (spec.type === 'ExternalName') return;
  // A cluster IP is allocated once and never changes; an update that omits it keeps the old one.
  if (used && (spec.clusterIP === undefined || spec.clusterIP === '')) {
    let ip = typeof old?.clusterIP === 'string' ? old.clusterIP : '';
    while (!ip || used.has(ip)) ip = randomIp();
    spec.clusterIP = ip;
  }
  if (spec.clusterIP === undefined) return;
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function defaultWorkloadSpec(kind: string, spec: Obj): void {
  spec.revisionHistoryLimit ??= 10;
  if (kind === 'Deployment') {
    spec.replicas ??= 1;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
  } else {
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  }
  const podSpec = asObj(asObj(spec.template)?.spec);
  if (podSpec) defaultPodSpec(podSpec);
}

/**
 * The cluster IPs Services already hold, asked for only when a Service needs one allocated.
 * Undefined while seeding: a scenario's services are kept exactly as written.
 */
export type ClusterIpsInUse = (() => Set<string>) | undefined;

/** Defaulting runs on every write of the main resource, as decoding does in the real server. */
export function applyDefaults(rt: ResourceType, obj: KubeObject, old: KubeObject | undefined, clusterIpsInUse: ClusterIpsInUse): void {
  const spec = asObj(obj.spec);
  if (!spec || rt.crd) return;
  switch (typeKey(rt)) {
    case '/Pod':
      defaultPodSpec(spec);
      return;
    case '/Service':
      defaultServiceSpec(spec, asObj(old?.spec), clusterIpsInUse?.());
      return;
    case 'apps/Deployment':
    case 'apps/DaemonSet':
      defaultWorkloadSpec(rt.kind, spec);
      return;
  }
}

/** The cluster IPs of the given services (for ClusterIpsInUse). */
export function clusterIpsOf(services: Iterable<KubeObject>): Set<string> {
  const used = new Set<string>();
  for (const svc of services) {
    const ip = asObj(svc.spec)?.clusterIP;
    if (typeof ip === 'string') used.add(ip);
  }
  return used;
}
