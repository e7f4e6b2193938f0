// The scenario format's additions a capture is written in: `mode: manifests-only` (nothing
// generated, only the manifests served), `podLogs` (log lines verbatim) and `istiodDebug`
// (istiod's debug answers verbatim), as a client and the console see them served.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { parseScenarioText } from '../../src/sim/scenario/load.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';

const VERBATIM = `
name: verbatim
summary: one hand-written cluster that serves only what is written here
clusters:
  - context: c1
    clusterId: one
    network: net-one
    mode: manifests-only
    manifests:
      - { apiVersion: v1, kind: Namespace, metadata: { name: istio-system, labels: { topology.istio.io/network: net-one } } }
      - apiVersion: v1
        kind: Pod
        metadata: { name: istiod-abc, namespace: istio-system, labels: { app: istiod } }
        spec: { containers: [ { name: discovery, image: istiod } ] }
        status: { phase: Running, containerStatuses: [ { name: discovery, ready: true, restartCount: 0 } ] }
    podLogs:
      - namespace: istio-system
        pod: istiod-abc
        container: discovery
        lines: ["2026-01-01T00:00:00.000000Z\\tinfo\\tads\\tfirst line", "second line, verbatim: {{timestamp}}"]
    istiodDebug:
      - pod: istiod-abc
        syncz:
          - cluster_id: one
            proxy: ztunnel-x.istio-system
            proxy_type: ztunnel
            istio_version: 1.28.2-solo
            resources:
              type.googleapis.com/istio.workload.Address: { sent: n1, acked: n1, sentTime: "2026-01-01T00:00:00Z" }
        license: null
`;

describe('a manifests-only cluster', () => {
  let dir: string;
  let run: ScenarioSnapshot;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-tui-verbatim-'));
    const file = join(dir, 'verbatim.yaml');
    await writeFile(file, VERBATIM);
    run = await snapshotOfScenario('verbatim', { file });
  });
  after(async () => {
    await run.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('holds exactly its manifests: nothing is generated', () => {
    const objects = run.sim.scenario.clusters[0]!.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    assert.deepEqual(objects, ['Namespace//istio-system', 'Pod/istio-system/istiod-abc']);
  });

  test('serves them and the verbatim log to a Kubernetes client', async () => {
    const api = run.sim.kubeConfig('c1').makeApiClient(CoreV1Api);
    const pods = await api.listPodForAllNamespaces();
    assert.deepEqual(
      pods.items.map((p) => p.metadata?.name),
      ['istiod-abc'],
    );
    const log = await api.readNamespacedPodLog({ name: 'istiod-abc', namespace: 'istio-system', container: 'discovery' });
    // Like every simulated log line, {{timestamp}} becomes the line's own time.
    assert.match(log, /^2026-01-01T00:00:00\.000000Z\tinfo\tads\tfirst line\nsecond line, verbatim: \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  });

  test("answers istiod's debug endpoints as written; what is left out stays unknown", () => {
    const facts = run.snapshot.facts['c1' as keyof MeshSnapshot['facts']]!;
    const syncz = facts.syncz['istiod-abc'];
    assert.equal(syncz?.state, 'known');
    assert.deepEqual(syncz.state === 'known' && syncz.value.rows.map((r) => [r.name, r.cluster, r.version, r.types.map((t) => t.status)]), [
      ['ztunnel-x.istio-system', 'one', '1.28.2-solo', ['SYNCED']],
    ]);
    const license = facts.license['istiod-abc'];
    assert.equal(license?.state === 'unknown' && license.errorKind, 'notFound', 'license: null answers 404');
    assert.equal(facts.clusterz['istiod-abc']?.state, 'unknown', 'clusterz was not given');
  });
});

describe('the format refuses what a manifests-only cluster cannot mean', () => {
  const cluster = (extra: string): string =>
    `name: bad\nsummary: s\nclusters:\n  - { context: a, clusterId: a, mode: manifests-only${extra} }\n`;

  test('a generator field', () => {
    assert.throws(() => parseScenarioText(cluster(', istioVersion: "1.28.2-solo"'), '/x.yaml'), {
      message: /^\/x\.yaml: clusters\[0\]\.istioVersion: not used by a cluster with mode manifests-only/,
    });
  });

  test('a generated cluster peering with it', () => {
    const text =
      `name: bad\nsummary: s\nclusters:\n  - { context: a, clusterId: a, mode: manifests-only }\n ` +
      ` - { context: b, clusterId: b, peers: [a] }\n`;
    assert.throws(() => parseScenarioText(text, '/x.yaml'), { message: /clusters\[1\]\.peers\[0\]: peer "a" has mode manifests-only/ });
  });

  test('the same container logged twice, and a typo in podLogs', () => {
    const log = '{ namespace: ns, pod: p, container: c, lines: [x] }';
    assert.throws(() => parseScenarioText(cluster(`, podLogs: [${log}, ${log}]`), '/x.yaml'), {
      message: /clusters\[0\]\.podLogs\[1\]: duplicate log for ns\/p\/c/,
    });
    assert.throws(() => parseScenarioText(cluster(', podLogs: [{ namespace: ns, pod: p, container: c, line: [x] }]'), '/x.yaml'), {
      message: /clusters\[0\]\.podLogs\[0\]\.line: unknown key "line"/,
    });
  });

  test('an unknown mode', () => {
    assert.throws(
      () => parseScenarioText('name: bad\nsummary: s\nclusters:\n  - { context: a, clusterId: a, mode: replay }\n', '/x.yaml'),
      {
        message: /clusters\[0\]\.mode: expected one of generated, manifests-only; got "replay"/,
      },
    );
  });
});
