// Lines a breakage causes stop when it is repaired: on a clock the test moves by hand, the
// network-mismatch ztunnels log 240.240 passthroughs while istio-system's network label is wrong,
// stop once it is relabelled (their ordinary traffic lines go on), and start again when the
// label is broken anew; a scenario's lines about stale WorkloadEntries stop once they are
// deleted. What was logged before the repair stays in the log. Nothing waits for real time.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulator } from '../../src/sim/simulator.ts';
import type { SimCluster } from '../../src/sim/cluster.ts';
import { loadBuiltinScenario, loadScenarioFile } from '../../src/sim/scenario/load.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { deleteObject, updateObject } from '../feeds/simChanges.ts';
import { ManualClock } from './pod/manualClock.ts';

const NETWORK_LABEL = 'topology.istio.io/network';

let running: { sim: Simulator; dir?: string } | undefined;
afterEach(async () => {
  await running?.sim.stop();
  if (running?.dir !== undefined) await rm(running.dir, { recursive: true, force: true });
  running = undefined;
});

async function start(load: (now: Date) => Promise<Scenario>, dir?: string): Promise<{ sim: Simulator; clock: ManualClock }> {
  const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z'));
  const sim = await Simulator.start(await load(new Date(clock.now())), { clock, timeline: 'manual' });
  running = { sim, ...(dir !== undefined ? { dir } : {}) };
  return { sim, clock };
}

/** Every line of every ztunnel container of the cluster. */
function ztunnelLines(cluster: SimCluster): string[] {
  return cluster
    .list('v1', 'Pod', 'istio-system')
    .filter((p) => p.metadata.labels?.app === 'ztunnel')
    .flatMap((p) => cluster.podLog('istio-system', p.metadata.name, 'istio-proxy')?.lines() ?? [])
    .map((l) => l.text);
}

const count = (lines: string[], pattern: RegExp): number => lines.filter((l) => pattern.test(l)).length;

function setNamespaceNetwork(cluster: SimCluster, network: string): void {
  updateObject(cluster, 'v1', 'Namespace', undefined, 'istio-system', (o) => {
    o.metadata.labels = { ...o.metadata.labels, [NETWORK_LABEL]: network };
  });
}

describe('lines a breakage causes stop when it is repaired', () => {
  it('network-mismatch: 240.240 passthroughs stop after the relabel and come back when it is undone; history stays', async () => {
    const { sim, clock } = await start((now) => loadBuiltinScenario('network-mismatch', { now }));
    const west = sim.cluster('cluster-west');
    const history = count(ztunnelLines(west), /240\.240\./);
    assert.ok(history > 0, 'the scenario starts with passthrough lines in the history');

    clock.advance(60_000);
    const whileBroken = count(ztunnelLines(west), /240\.240\./);
    assert.ok(whileBroken > history, `live passthrough lines while the label is wrong (${history} → ${whileBroken})`);

    setNamespaceNetwork(west, 'west-net');
    const trafficBefore = count(ztunnelLines(west), /connection complete/);
    clock.advance(120_000);
    const lines = ztunnelLines(west);
    assert.equal(count(lines, /240\.240\./), whileBroken, 'no passthrough line after the repair, and none of the old ones lost');
    assert.ok(count(lines, /connection complete/) > trafficBefore, 'the ztunnels go on logging their ordinary traffic');

    setNamespaceNetwork(west, 'west-network');
    clock.advance(60_000);
    assert.ok(count(ztunnelLines(west), /240\.240\./) > whileBroken, 'broken again: the lines come back');
  });

  it('a breakage nothing in the cluster can show repaired (an env override) keeps its lines coming', async () => {
    const { sim, clock } = await start((now) => loadBuiltinScenario('trust-domain-skip-validation-missing', { now }));
    const east = sim.cluster('cluster-east');
    const before = count(ztunnelLines(east), /SAN/);
    assert.ok(before > 0);
    clock.advance(60_000);
    assert.ok(count(ztunnelLines(east), /SAN/) > before);
  });

  it('stale WorkloadEntries: the timeouts a scenario declares for them stop once both entries are deleted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-tui-breakage-logs-'));
    const file = join(dir, 'stale-with-logs.yaml');
    await writeFile(
      file,
      `name: stale-with-logs
summary: stale autogenflat entries and the timeouts they cause
defaults:
  network: mesh-net
  license: { type: enterprise, product: gloo-mesh, expiresInDays: 300 }
  globalServices:
    - { namespace: bookinfo, name: reviews, port: 9080, replicas: 2 }
clusters:
  - context: cluster-east
    clusterId: east
    peers: [cluster-west]
    breakage:
      staleAutogenflat:
        - { from: cluster-west, namespace: bookinfo, pod: reviews-7d9c6b4f8b-x2x7k, service: reviews, address: 10.11.1.9 }
        - { from: cluster-west, namespace: bookinfo, pod: reviews-7d9c6b4f8b-q8m4z, service: reviews, address: 10.11.0.7 }
    logs:
      - pods: app=ztunnel
        event: { kind: hbone-timeout, to: cluster-west, service: bookinfo/reviews }
        history: 2
        everySeconds: 10
  - context: cluster-west
    clusterId: west
    peers: [cluster-east]
`,
    );
    const { sim, clock } = await start((now) => loadScenarioFile(file, { now }), dir);
    const east = sim.cluster('cluster-east');
    const timeouts = (): number => count(ztunnelLines(east), /timed out|timeout|deadline/i);
    const atStart = timeouts();
    assert.ok(atStart > 0, 'history timeouts');
    clock.advance(30_000);
    const whileStale = timeouts();
    assert.ok(whileStale > atStart);

    const stale = east
      .list('networking.istio.io/v1', 'WorkloadEntry', 'istio-system')
      .filter((we) => /x2x7k|q8m4z/.test(we.metadata.name))
      .map((we) => we.metadata.name);
    assert.equal(stale.length, 2);
    deleteObject(east, 'networking.istio.io/v1', 'WorkloadEntry', 'istio-system', stale[0]!);
    clock.advance(30_000);
    const oneLeft = timeouts();
    assert.ok(oneLeft > whileStale, 'one stale entry left: still broken');

    deleteObject(east, 'networking.istio.io/v1', 'WorkloadEntry', 'istio-system', stale[1]!);
    clock.advance(60_000);
    assert.equal(timeouts(), oneLeft, 'both gone: no more timeouts');
  });
});
