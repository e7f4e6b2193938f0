// Every pod log a cluster serves: benign baseline lines (ztunnel start-up and `connection
// complete` traffic, istiod peering start-up and pushes), lines the cluster's state implies
// (licence warnings, missing network label, crash-looping ztunnels' previous logs), and the
// scenario's own `logs:` entries for the pods their selector matches. Repeating lines that a
// breakage causes carry "the breakage is still there" (breakagePresent.ts), so they stop once
// the running cluster is repaired.
import { crashingEastWestReplicas, crashingIstiodReplicas } from './crashLoops.ts';
import type { PodLogScript } from '../model.ts';
import { licenseLogWarning } from '../../content/license.ts';
import type { LogSpec } from '../spec.ts';
import { crashingZtunnelNodes } from './dataplane.ts';
import { breakagePresent, networkLabelMissing, staleAddressCondition, type ClusterCondition } from './breakagePresent.ts';
import { clientOn, istiodEventFor, istiodTemplate, workloadOf, ztunnelEventFor, ztunnelTemplate } from './logLines.ts';
import { selectWorkloadEntriesOff, type ClusterPlan, type PodPlan, type ScenarioPlan } from './plan.ts';

interface ScriptedPod {
  plan: PodPlan;
  container: string;
  labels: Record<string, string>;
  script: PodLogScript;
}

function scripted(plan: PodPlan, container: string, labels: Record<string, string>): ScriptedPod {
  return { plan, container, labels, script: { namespace: plan.namespace, pod: plan.name, container, history: [], live: [] } };
}

function baselineZtunnel(plan: ScenarioPlan, cluster: ClusterPlan, pod: ScriptedPod, crashing: boolean): void {
  const format = cluster.spec.logFormat;
  const installedAge = Math.round((plan.now.getTime() - cluster.installedAt.getTime()) / 1000);
  const startup = ztunnelTemplate({ kind: 'startup', version: cluster.spec.istioVersion.replace(/-.*$/, '') }, format);
  const connected = ztunnelTemplate({ kind: 'xds-connected' }, format);
  if (crashing) {
    const crash = cluster.spec.breakage.ztunnelCrashLoop!;
    pod.script.previous = [startup, crash.lastLogLine];
    pod.script.history.push({ ageSeconds: 2, text: startup });
    return;
  }
  pod.script.history.push({ ageSeconds: installedAge, text: startup }, { ageSeconds: installedAge - 1, text: connected });
  // Local traffic between two app pods: proof the node's data plane works at all.
  const local = cluster.apps.flatMap((app) => app.pods.map((p) => ({ app, pod: p })));
  if (local.length === 0) return;
  const src = clientOn(cluster, pod.plan.node.name);
  const target = local.find((c) => c.pod.name !== src.name) ?? local[0]!;
  const line = ztunnelTemplate(
    {
      kind: 'connection-complete',
      src,
      dst: {
        addr: `${target.pod.ip}:15008`,
        hboneAddr: `${target.pod.ip}:${target.app.targetPort}`,
        service: `${target.app.service}.${target.app.namespace}.svc.cluster.local`,
        workload: target.pod.name,
        namespace: target.app.namespace,
        identity: workloadOf(cluster, target.app, target.pod).identity!,
      },
      bytesSent: 1200,
      bytesRecv: 4518,
      durationMs: 14,
    },
    format,
  );
  for (let i = 6; i >= 1; i--) pod.script.history.push({ ageSeconds: i * 20, text: line });
  pod.script.live.push({ everySeconds: 20, afterSeconds: 5 + (pod.plan.node.index % 5) * 3, text: line });
}

function baselineIstiod(plan: ScenarioPlan, cluster: ClusterPlan, pod: ScriptedPod, leader: boolean): void {
  const installedAge = Math.round((plan.now.getTime() - cluster.installedAt.getTime()) / 1000);
  const history = pod.script.history;
  for (const z of cluster.ztunnelPods) {
    history.push({
      ageSeconds: installedAge - 5,
      text: istiodTemplate({ kind: 'ads-new-connection', proxyId: `${z.name}.${z.namespace}` }),
    });
  }
  const license = cluster.spec.license;
  const warning = license ? licenseLogWarning(license) : undefined;
  if (warning === 'skipping-feature') {
    const text = istiodTemplate({ kind: 'license-skipping-feature', reason: 'expired' });
    for (let i = 10; i >= 1; i--) history.push({ ageSeconds: installedAge - 2 - i / 10, text });
    pod.script.live.push({ everySeconds: 60, text });
  } else if (warning === 'expired-grace') {
    const text = istiodTemplate({ kind: 'license-expired-grace' });
    history.push({ ageSeconds: 60, text });
    pod.script.live.push({ everySeconds: 60, text });
  }
  if (selectWorkloadEntriesOff(cluster.istiodEnv)) {
    history.push({ ageSeconds: installedAge - 2, text: istiodTemplate({ kind: 'peering-incompatible-select-workload-entries' }) });
  }
  if (!leader) return;
  if (cluster.istiodEnv.get('ENABLE_PEERING_DISCOVERY') === 'true' && cluster.networks.istioNamespace === undefined) {
    const text = istiodTemplate({ kind: 'network-label-missing', namespace: cluster.spec.istioNamespace });
    for (let i = 6; i >= 1; i--) history.push({ ageSeconds: i * 5, text });
    pod.script.live.push({ everySeconds: 5, text, while: networkLabelMissing(cluster) });
  }
  if (!cluster.peeringActive) return;
  history.push({ ageSeconds: installedAge - 3, text: istiodTemplate({ kind: 'peering-informers-synced' }) });
  for (const link of cluster.links) {
    const peer = link.to;
    if (link.dialledAddress === undefined) continue;
    const address = `${link.dialledAddress}:15012`;
    const mode = link.flat ? 'flat' : 'gateway';
    history.push({
      ageSeconds: installedAge - 3,
      text: istiodTemplate({ kind: 'peering-starting-watch', cluster: peer.spec.clusterId, network: peer.spec.network, mode, address }),
    });
    // An address the peer no longer has answers nothing: the dial times out, and istiod says where it dialled.
    if (peer.eastWestAddress !== undefined && link.dialledAddress !== peer.eastWestAddress) {
      const text = istiodTemplate({ kind: 'peering-disconnected', cluster: peer.spec.clusterId, cause: 'dial-timeout', address });
      for (let i = 5; i >= 1; i--) history.push({ ageSeconds: i * 10, text });
      pod.script.live.push({ everySeconds: 10, text, while: staleAddressCondition(link) });
    }
    if (link.conditions?.get('PeerConnected')?.status === 'True') {
      history.push({ ageSeconds: installedAge - 4, text: istiodTemplate({ kind: 'peering-connected', cluster: peer.spec.clusterId }) });
    }
    if (link.peered) {
      history.push({
        ageSeconds: installedAge - 4,
        text: istiodTemplate({ kind: 'peering-sync-complete', cluster: peer.spec.clusterId, network: peer.spec.network, mode }),
      });
    }
  }
  // Pushes to ztunnel keep coming, so a `--tail` of a healthy istiod shows recent activity.
  const zt = cluster.ztunnelPods[0];
  if (zt) {
    const push = istiodTemplate({ kind: 'wds-push', proxyId: `${zt.name}.${zt.namespace}`, resources: 12 + cluster.apps.length * 3 });
    for (let i = 5; i >= 1; i--) history.push({ ageSeconds: i * 30, text: push });
    pod.script.live.push({ everySeconds: 30, afterSeconds: 10, text: push });
  }
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** `present`: the cluster's breakage is still there (the lines it causes stop once it is repaired); undefined for a cluster without one. */
function addScenarioLog(
  plan: ScenarioPlan,
  cluster: ClusterPlan,
  spec: LogSpec,
  pod: ScriptedPod,
  present: ClusterCondition | undefined,
): void {
  if (spec.container !== undefined && spec.container !== pod.container) return;
  const event = spec.event;
  const text =
    event.kind === 'text'
      ? event.text
      : event.kind === 'istiod'
        ? istiodTemplate(istiodEventFor(plan, cluster, event))
        : ztunnelTemplate(ztunnelEventFor(plan, cluster, event, pod.plan.node.name), cluster.spec.logFormat);
  const every = spec.everySeconds > 0 ? spec.everySeconds : 30;
  for (let i = spec.history; i >= 1; i--) pod.script.history.push({ ageSeconds: i * every, text });
  if (spec.everySeconds > 0) {
    const afterSeconds = Math.min(spec.everySeconds, 3);
    pod.script.live.push({ everySeconds: spec.everySeconds, afterSeconds, text, ...(present !== undefined ? { while: present } : {}) });
  }
  if (spec.previous) pod.script.previous = [...(pod.script.previous ?? []), text];
}

function crashedLog(pod: ScriptedPod, lastLogLine: string): void {
  const line = (text: string): string => `{{timestamp}}\t${text}`;
  pod.script.previous = [line('info\tstarting'), line(lastLogLine)];
  pod.script.history.push({ ageSeconds: 2, text: line('info\tstarting') });
}

export function podLogScripts(plan: ScenarioPlan, cluster: ClusterPlan): PodLogScript[] {
  const crashing = crashingZtunnelNodes(cluster);
  const pods: ScriptedPod[] = [];
  const istiodCrashing = crashingIstiodReplicas(cluster);
  cluster.istiodPods.forEach((p, i) => {
    const pod = scripted(p, 'discovery', { app: 'istiod', istio: 'pilot' });
    const crash = cluster.spec.breakage.istiodCrashLoop;
    // A crash-looping replica has only just restarted: its log is the start of a run that will fail again.
    if (crash && istiodCrashing.has(i)) crashedLog(pod, crash.lastLogLine);
    else baselineIstiod(plan, cluster, pod, i === 0);
    pods.push(pod);
  });
  for (const p of cluster.ztunnelPods) {
    const pod = scripted(p, 'istio-proxy', { app: 'ztunnel' });
    baselineZtunnel(plan, cluster, pod, crashing.has(p.node.index));
    pods.push(pod);
  }
  const eastWestCrashing = crashingEastWestReplicas(cluster);
  cluster.eastWestPods.forEach((p, i) => {
    const pod = scripted(p, 'istio-proxy', {
      'service.istio.io/canonical-name': 'istio-eastwest',
      'gateway.networking.k8s.io/gateway-name': 'istio-eastwest',
    });
    const crash = cluster.spec.breakage.eastWestCrashLoop;
    if (crash && eastWestCrashing.has(i)) crashedLog(pod, crash.lastLogLine);
    pods.push(pod);
  });
  for (const p of cluster.cniPods) pods.push(scripted(p, 'install-cni', { 'k8s-app': 'istio-cni-node' }));
  for (const app of cluster.apps) for (const p of app.pods) pods.push(scripted(p, app.service, { app: app.service, version: 'v1' }));
  const present = breakagePresent(plan, cluster);
  for (const spec of cluster.spec.logs) {
    for (const pod of pods) if (matches(spec.selector, pod.labels)) addScenarioLog(plan, cluster, spec, pod, present);
  }
  for (const pod of pods) pod.script.history.sort((a, b) => b.ageSeconds - a.ageSeconds);
  return pods.map((p) => p.script);
}
