// Reads a parsed scenario document into a ScenarioSpec, then checks what single fields cannot:
// that every context a field names exists, that names are unique, that users referenced exist.
import { CHECK_IDS } from '../../../checks/checkIds.ts';
import type { RootCause } from './model.ts';
import { readDefaults, resolveCluster, type ClusterFields } from './readCluster.ts';
import { checkLogEventReferences } from './readLogs.ts';
import { checkTimelineReferences, readTimeline } from './readTimeline.ts';
import { SpecProblem } from './scenarioError.ts';
import type { CertificatesSpec, ClusterSpec, ScenarioSpec } from './spec.ts';
import { optional, readInteger, readList, readMapping, readName, readOneOf, readString, required } from './specReader.ts';

function readCertificates(value: unknown, path: string): CertificatesSpec {
  if (value === 'shared-root' || value === 'root-per-cluster') return { mode: value };
  if (typeof value === 'string') {
    throw new SpecProblem(
      path,
      `expected one of shared-root, root-per-cluster, or a mapping {mode: expiring-intermediate, context, daysLeft}; got ${JSON.stringify(value)}`,
    );
  }
  const m = readMapping(value, path, ['mode', 'context', 'daysLeft']);
  const mode = required(m, 'mode', path, (v, p) => readOneOf(v, p, ['shared-root', 'root-per-cluster', 'expiring-intermediate'] as const));
  if (mode !== 'expiring-intermediate') {
    readMapping(value, path, ['mode']);
    return { mode };
  }
  return {
    mode,
    context: required(m, 'context', path, readString),
    daysLeft: required(m, 'daysLeft', path, (v, p) => readInteger(v, p, -3650, 3650)),
  };
}

function readRootCause(value: unknown, path: string): RootCause {
  const m = readMapping(value, path, ['check', 'context', 'subject', 'explanation', 'expectedSeverity']);
  const subjectPath = `${path}.subject`;
  const s = readMapping(
    required(m, 'subject', path, (v) => v),
    subjectPath,
    ['kind', 'namespace', 'name'],
  );
  const cause: RootCause = {
    check: required(m, 'check', path, (v, p) => readOneOf(v, p, CHECK_IDS)),
    context: required(m, 'context', path, readString),
    subject: { kind: required(s, 'kind', subjectPath, readString), name: required(s, 'name', subjectPath, readString) },
    explanation: required(m, 'explanation', path, readString),
  };
  const namespace = optional(s, 'namespace', subjectPath, readName, undefined);
  if (namespace !== undefined) cause.subject.namespace = namespace;
  const severity = optional(m, 'expectedSeverity', path, (v, p) => readOneOf(v, p, ['fail', 'unknown', 'warn'] as const), undefined);
  if (severity !== undefined) cause.expectedSeverity = severity;
  return cause;
}

export function readScenario(document: unknown): ScenarioSpec {
  const m = readMapping(document, '', ['name', 'summary', 'rootCauses', 'defaults', 'certificates', 'clusters', 'timeline']);
  const name = required(m, 'name', '', readName);
  const summary = required(m, 'summary', '', readString);
  if (summary.includes('\n')) throw new SpecProblem('summary', 'expected one line');
  const defaults: ClusterFields = optional(m, 'defaults', '', readDefaults, {});
  const rawClusters = required(m, 'clusters', '', (v, p) => readList(v, p, (item) => item));
  if (rawClusters.length === 0) throw new SpecProblem('clusters', 'expected at least one cluster');
  const clusters = rawClusters.map((raw, i) => resolveCluster(raw, `clusters[${i}]`, i, defaults));
  const spec: ScenarioSpec = {
    name,
    summary,
    rootCauses: optional(m, 'rootCauses', '', (v, p) => readList(v, p, readRootCause), []),
    certificates: optional<CertificatesSpec, CertificatesSpec>(m, 'certificates', '', readCertificates, { mode: 'shared-root' }),
    clusters,
    timeline: optional(m, 'timeline', '', readTimeline, []),
  };
  checkReferences(spec, rawClusters, defaults.logs?.length ?? 0);
  return spec;
}

function checkReferences(spec: ScenarioSpec, rawClusters: unknown[], defaultLogCount: number): void {
  const contexts = new Map<string, ClusterSpec>();
  const clusterIds = new Set<string>();
  spec.clusters.forEach((c, i) => {
    if (contexts.has(c.context)) throw new SpecProblem(`clusters[${i}].context`, `duplicate context ${JSON.stringify(c.context)}`);
    if (clusterIds.has(c.clusterId))
      throw new SpecProblem(`clusters[${i}].clusterId`, `duplicate clusterId ${JSON.stringify(c.clusterId)}`);
    if (c.clusterId === 'kubernetes')
      throw new SpecProblem(`clusters[${i}].clusterId`, 'the default "Kubernetes" cluster id is refused by peering; pick a real one');
    contexts.set(c.context, c);
    clusterIds.add(c.clusterId);
  });
  // An extra context reaches its cluster under another name: that name must be no one else's.
  const extraNames = new Set<string>();
  spec.clusters.forEach((c, i) =>
    c.extraContexts.forEach((extra, j) => {
      if (contexts.has(extra.context) || extraNames.has(extra.context))
        throw new SpecProblem(`clusters[${i}].extraContexts[${j}].context`, `duplicate context ${JSON.stringify(extra.context)}`);
      extraNames.add(extra.context);
      const users = new Set(['admin', ...c.users.map((u) => u.name)]);
      if (!users.has(extra.user))
        throw new SpecProblem(
          `clusters[${i}].extraContexts[${j}].user`,
          `user ${JSON.stringify(extra.user)} is not defined; expected one of ${[...users].join(', ')}`,
        );
    }),
  );
  const knownContext = (path: string, context: string, what: string): ClusterSpec => {
    const cluster = contexts.get(context);
    if (!cluster)
      throw new SpecProblem(
        path,
        `${what} ${JSON.stringify(context)} is not the context of any cluster; expected one of ${[...contexts.keys()].join(', ')}`,
      );
    return cluster;
  };
  // The generator reads the named cluster's description; a manifests-only cluster has none to read.
  const generatedContext = (path: string, context: string, what: string): ClusterSpec => {
    const cluster = knownContext(path, context, what);
    if (cluster.mode === 'manifests-only')
      throw new SpecProblem(path, `${what} ${JSON.stringify(context)} has mode manifests-only; expected a generated cluster`);
    return cluster;
  };
  const globalServices = new Set(spec.clusters.flatMap((c) => c.globalServices.map((s) => `${s.namespace}/${s.name}`)));
  spec.clusters.forEach((c, i) => {
    const at = `clusters[${i}]`;
    c.peers.forEach((peer, j) => {
      knownContext(`${at}.peers[${j}]`, peer, 'peer');
      if (peer === c.context) throw new SpecProblem(`${at}.peers[${j}]`, 'a cluster cannot peer with itself');
      if (c.peers.indexOf(peer) !== j) throw new SpecProblem(`${at}.peers[${j}]`, `duplicate peer ${JSON.stringify(peer)}`);
      // A link is generated from both clusters' descriptions; a manifests-only cluster has none.
      if (c.mode === 'generated' && contexts.get(peer)?.mode === 'manifests-only') {
        throw new SpecProblem(
          `${at}.peers[${j}]`,
          `peer ${JSON.stringify(peer)} has mode manifests-only; only generated clusters can be linked by the generator`,
        );
      }
    });
    const breakageAt = origin(rawClusters, i, 'breakage');
    for (const peer of c.breakage.peerConditions.keys()) {
      if (!c.peers.includes(peer))
        throw new SpecProblem(
          `${breakageAt}.peerConditions.${peer}`,
          `${JSON.stringify(peer)} is not one of this cluster's peers (${c.peers.join(', ') || 'none'})`,
        );
    }
    for (const peer of c.breakage.remotePeerAddresses.keys()) {
      if (!c.peers.includes(peer))
        throw new SpecProblem(
          `${breakageAt}.remotePeerAddresses.${peer}`,
          `${JSON.stringify(peer)} is not one of this cluster's peers (${c.peers.join(', ') || 'none'})`,
        );
    }
    for (const peer of c.breakage.remotePeerGateways.keys()) {
      if (!c.peers.includes(peer))
        throw new SpecProblem(
          `${breakageAt}.remotePeerGateways.${peer}`,
          `${JSON.stringify(peer)} is not one of this cluster's peers (${c.peers.join(', ') || 'none'})`,
        );
    }
    for (const peer of c.breakage.remotePeerAnnotations.keys()) {
      if (!c.peers.includes(peer))
        throw new SpecProblem(
          `${breakageAt}.remotePeerAnnotations.${peer}`,
          `${JSON.stringify(peer)} is not one of this cluster's peers (${c.peers.join(', ') || 'none'})`,
        );
    }
    for (const peer of c.breakage.networkLabels.remotePeers.keys()) {
      if (!c.peers.includes(peer))
        throw new SpecProblem(
          `${breakageAt}.networkLabels.remotePeers.${peer}`,
          `${JSON.stringify(peer)} is not one of this cluster's peers (${c.peers.join(', ') || 'none'})`,
        );
    }
    c.breakage.staleAutogenflat.forEach((s, j) => {
      if (s.from !== undefined) generatedContext(`${breakageAt}.staleAutogenflat[${j}].from`, s.from, 'context');
      else if (clusterIds.has(s.fromCluster ?? ''))
        throw new SpecProblem(
          `${breakageAt}.staleAutogenflat[${j}].fromCluster`,
          `${JSON.stringify(s.fromCluster)} is a cluster of this scenario; name it with from: <its context>`,
        );
    });
    const users = new Set(['admin', ...c.users.map((u) => u.name)]);
    if (!users.has(c.kubeconfigUser)) {
      throw new SpecProblem(
        origin(rawClusters, i, 'kubeconfigUser'),
        `user ${JSON.stringify(c.kubeconfigUser)} is not defined; expected one of ${[...users].join(', ')}`,
      );
    }
    c.logs.forEach((log, j) => {
      // Entries from `defaults.logs` come first in the merged list.
      const logAt = j < defaultLogCount ? `defaults.logs[${j}].event` : `${at}.logs[${j - defaultLogCount}].event`;
      checkLogEventReferences(log.event, logAt, c, generatedContext, globalServices);
    });
  });
  if (spec.certificates.mode === 'expiring-intermediate') generatedContext('certificates.context', spec.certificates.context, 'context');
  spec.rootCauses.forEach((cause, i) => knownContext(`rootCauses[${i}].context`, cause.context, 'context'));
  checkTimelineReferences(spec.timeline, { generatedContext, globalServices });
}

/** Where a cluster's value was written: in the cluster itself, or inherited from `defaults`. */
function origin(rawClusters: unknown[], index: number, key: string): string {
  const raw = rawClusters[index] as Record<string, unknown>;
  return `${key in raw ? `clusters[${index}]` : 'defaults'}.${key}`;
}
