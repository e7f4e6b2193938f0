// Every built-in scenario loads, and each one's root causes are backed by evidence a client
// would really find in that cluster's objects, logs or debug endpoints.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { listBuiltinScenarios, loadBuiltinScenario } from '../../../src/sim/scenario/load.ts';
import type { Scenario } from '../../../src/sim/scenario/model.ts';
import forge from 'node-forge';
import { all, cluster, condition, envValue, find, get, staticViews } from './objectQueries.ts';
import { decodeLicenseKey } from '../../../src/mesh/license.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const EXPECTED = [
  'asymmetric-link',
  'dns-capture-off',
  'eastwest-no-address',
  'env-incompatible',
  'forbidden',
  'healthy',
  'healthy-3',
  'hostname-addresses',
  'intermediate-expiring',
  'license-expiring',
  'license-invalid',
  'live-demo',
  'network-mismatch',
  'nodeport-done-right',
  'peer-disconnected',
  'remote-gateway-stale-address',
  'root-ca-mismatch',
  'select-workload-entries-false',
  'shared-cluster-contexts',
  'stale-autogenflat',
  'trust-domain-annotation-wrong',
  'trust-domain-skip-validation-missing',
  'ztunnel-crashloop',
];

/** Healthy meshes built another way (shared contexts, hostnames, the NodePort recipe): nothing may fail. */
const HEALTHY_VARIANTS = ['shared-cluster-contexts', 'hostname-addresses', 'nodeport-done-right'];

const loaded = new Map<string, Scenario>();
async function scenario(name: string): Promise<Scenario> {
  let s = loaded.get(name);
  if (!s) {
    s = await loadBuiltinScenario(name, { now: NOW });
    loaded.set(name, s);
  }
  return s;
}

function logText(s: Scenario, context: string, podPrefix: string): string {
  return cluster(s, context)
    .logs.filter((l) => l.pod.startsWith(podPrefix))
    .flatMap((l) => [...l.history.map((h) => h.text), ...l.live.map((x) => x.text), ...(l.previous ?? [])])
    .join('\n');
}

describe('built-in scenarios', () => {
  before(async () => {
    for (const name of EXPECTED) await scenario(name);
  });

  it('lists every built-in with a one-line summary', async () => {
    const list = await listBuiltinScenarios();
    assert.deepEqual(
      list.map((s) => s.name),
      EXPECTED,
    );
    for (const s of list) {
      assert.ok(s.summary.length > 10 && !s.summary.includes('\n'), s.name);
    }
  });

  it('healthy scenarios have no root causes, broken ones have at least one', async () => {
    for (const name of EXPECTED) {
      const s = await scenario(name);
      assert.equal(s.source, `builtin:${name}`);
      if (name.startsWith('healthy') || HEALTHY_VARIANTS.includes(name)) assert.deepEqual(s.rootCauses, [], name);
      else assert.ok(s.rootCauses.length > 0, name);
    }
  });

  it('root-cause subjects exist in their cluster (except a Gateway that is missing on purpose, and users)', async () => {
    for (const name of EXPECTED) {
      const s = await scenario(name);
      for (const cause of s.rootCauses) {
        const c = cluster(s, cause.context);
        // A one-way link's root cause is the Gateway that is missing; a stale address's is the Gateway that dials it.
        if (cause.check === 'MC-PEER-002' && name !== 'remote-gateway-stale-address') {
          assert.equal(
            find(c, cause.subject.kind, cause.subject.namespace, cause.subject.name),
            undefined,
            `${name}: ${cause.subject.name} must be missing`,
          );
        } else if (cause.subject.kind === 'User') {
          assert.ok(
            c.users.some((u) => u.name === cause.subject.name),
            `${name}: user ${cause.subject.name}`,
          );
        } else {
          assert.ok(
            find(c, cause.subject.kind, cause.subject.namespace, cause.subject.name),
            `${name}: ${cause.context} ${cause.subject.kind} ${cause.subject.name}`,
          );
        }
      }
    }
  });

  it('healthy: both peer gateways carry all five conditions True and syncz shows the peer istiod', async () => {
    const s = await scenario('healthy');
    const views = staticViews(s);
    for (const [context, peerNetwork] of [
      ['cluster-east', 'west-net'],
      ['cluster-west', 'east-net'],
    ] as const) {
      const c = cluster(s, context);
      const gw = get(c, 'Gateway', 'istio-eastwest', `istio-remote-peer-${peerNetwork}`);
      for (const type of [
        'Accepted',
        'Programmed',
        'gloo.solo.io/PeerConnected',
        'gloo.solo.io/PeeringSucceeded',
        'gloo.solo.io/PeerDataPlaneProgrammed',
      ]) {
        assert.equal(condition(gw, type)?.status, 'True', `${context} ${type}`);
      }
      const istiod = all(c, 'Pod', { app: 'istiod' })[0]!;
      const syncz = JSON.stringify(c.istiodDebug.syncz(views.get(context)!, istiod.metadata.name));
      const peer = s.clusters.find((x) => x.context !== context)!;
      const peerIstiod = all(peer, 'Pod', { app: 'istiod' })[0]!;
      assert.ok(syncz.includes(`${peerIstiod.metadata.name}.istio-system`), `${context} syncz lists the peer istiod`);
      assert.ok(syncz.includes('istio.workload.FederatedService'), 'peer istiod subscribes to FSDS');
    }
  });

  it('network-mismatch: istio-system label differs from the east-west gateway label and ztunnel NETWORK; logs show 240.240', async () => {
    const s = await scenario('network-mismatch');
    const west = cluster(s, 'cluster-west');
    const nsLabel = get(west, 'Namespace', undefined, 'istio-system').metadata.labels?.['topology.istio.io/network'];
    const gwLabel = get(west, 'Gateway', 'istio-eastwest', 'istio-eastwest').metadata.labels?.['topology.istio.io/network'];
    const ztNetwork = envValue(get(west, 'DaemonSet', 'istio-system', 'ztunnel'), 'istio-proxy', 'NETWORK');
    assert.equal(nsLabel, 'west-network');
    assert.equal(gwLabel, 'west-net');
    assert.equal(ztNetwork, 'west-net');
    assert.match(logText(s, 'cluster-west', 'ztunnel'), /dst\.addr=240\.240\.\d+\.\d+:9080/);
  });

  it('peer-disconnected: PeerConnected False "not connected to peer", ztunnel 15008 timeouts, istiod retrying', async () => {
    const s = await scenario('peer-disconnected');
    const gw = get(cluster(s, 'cluster-east'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net');
    assert.deepEqual(condition(gw, 'gloo.solo.io/PeerConnected'), {
      type: 'gloo.solo.io/PeerConnected',
      status: 'False',
      reason: 'Pending',
      message: 'not connected to peer',
    });
    assert.match(logText(s, 'cluster-east', 'ztunnel'), /maybe a NetworkPolicy is blocking HBONE port 15008/);
    assert.match(logText(s, 'cluster-east', 'istiod'), /disconnected, retrying in .*target=peering-west/);
    // The disconnected side's istiod is not a peer of cluster-west any more.
    const views = staticViews(s);
    const west = cluster(s, 'cluster-west');
    const syncz = JSON.stringify(west.istiodDebug.syncz(views.get('cluster-west')!, all(west, 'Pod', { app: 'istiod' })[0]!.metadata.name));
    assert.ok(!syncz.includes('FederatedService'), 'no peered istiod in cluster-west syncz');
  });

  it('root-ca-mismatch: different roots per cluster, unknown-authority and UnknownIssuer lines', async () => {
    const s = await scenario('root-ca-mismatch');
    const root = (context: string): unknown =>
      (get(cluster(s, context), 'Secret', 'istio-system', 'cacerts').data as Record<string, string>)['root-cert.pem'];
    assert.notEqual(root('cluster-east'), root('cluster-west'));
    assert.match(logText(s, 'cluster-east', 'istiod'), /unknown certificate authority/);
    assert.match(logText(s, 'cluster-east', 'ztunnel'), /invalid peer certificate: UnknownIssuer/);
  });

  it('eastwest-no-address: Programmed False AddressNotAssigned, no LB ingress, peer gateway Invalid', async () => {
    const s = await scenario('eastwest-no-address');
    const west = cluster(s, 'cluster-west');
    const ew = get(west, 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.equal(condition(ew, 'Programmed')?.status, 'False');
    assert.equal(condition(ew, 'Programmed')?.reason, 'AddressNotAssigned');
    assert.equal((ew.status as { addresses?: unknown[] }).addresses, undefined);
    assert.deepEqual((get(west, 'Service', 'istio-eastwest', 'istio-eastwest').status as { loadBalancer: unknown }).loadBalancer, {});
    const peerGw = get(cluster(s, 'cluster-east'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net');
    assert.equal(
      condition(peerGw, 'gloo.solo.io/PeerConnected')?.message,
      'no network started, encountered error validating gateway: no addresses found in gateway',
    );
  });

  it('ztunnel-crashloop: one ztunnel pod waiting in CrashLoopBackOff with restarts and a previous log', async () => {
    const s = await scenario('ztunnel-crashloop');
    const west = cluster(s, 'cluster-west');
    const pod = get(west, 'Pod', 'istio-system', s.rootCauses[0]!.subject.name);
    const status = pod.status as {
      containerStatuses: {
        ready: boolean;
        restartCount: number;
        state: { waiting?: { reason: string } };
        lastState: { terminated?: { exitCode: number } };
      }[];
    };
    const cs = status.containerStatuses[0]!;
    assert.equal(cs.ready, false);
    assert.equal(cs.restartCount, 17);
    assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState.terminated?.exitCode, 1);
    const script = west.logs.find((l) => l.pod === pod.metadata.name)!;
    assert.match((script.previous ?? []).join('\n'), /CNI plugin is not ready/);
    const others = all(west, 'Pod', { app: 'ztunnel' }).filter((p) => p !== pod);
    assert.equal(others.length, 2);
    const ds = get(west, 'DaemonSet', 'istio-system', 'ztunnel').status as { numberReady: number; desiredNumberScheduled: number };
    assert.deepEqual([ds.numberReady, ds.desiredNumberScheduled], [2, 3]);
  });

  it('license-expiring: cluster-west holds an enterprise key expiring in 3 days; /debug/license still says OK', async () => {
    const s = await scenario('license-expiring');
    const secret = get(cluster(s, 'cluster-west'), 'Secret', 'istio-system', 'solo-istio-license');
    assert.deepEqual(
      envValue(get(cluster(s, 'cluster-west'), 'Deployment', 'istio-system', 'istiod'), 'discovery', 'SOLO_LICENSE_KEY'),
      undefined,
    );
    const data = (secret as { data?: Record<string, string> } | undefined)?.data?.['license-key'];
    const claims = decodeLicenseKey(Buffer.from(data ?? '', 'base64').toString('utf8'));
    assert.ok(claims.ok);
    assert.equal(claims.claims.type, 'enterprise');
    assert.equal(claims.claims.expiresAt?.getTime(), Math.floor((NOW.getTime() + 3 * 86_400_000) / 1000) * 1000);
    const views = staticViews(s);
    const west = cluster(s, 'cluster-west');
    const istiodPod = all(west, 'Pod', { app: 'istiod' })[0]!.metadata.name;
    assert.deepEqual(west.istiodDebug.license(views.get('cluster-west')!, istiodPod), { State: 'OK', Product: 'gloo-mesh' });
    assert.doesNotMatch(logText(s, 'cluster-west', 'istiod'), /licens/i, 'nothing in the logs warns yet');
  });

  it('license-invalid: /debug/license says EXPIRED and istiod logs SKIPPING FEATURE', async () => {
    const s = await scenario('license-invalid');
    const west = cluster(s, 'cluster-west');
    const views = staticViews(s);
    const istiodPod = all(west, 'Pod', { app: 'istiod' })[0]!.metadata.name;
    assert.deepEqual(west.istiodDebug.license(views.get('cluster-west')!, istiodPod), { State: 'EXPIRED', Product: 'gloo-trial' });
    assert.match(logText(s, 'cluster-west', 'istiod'), /SKIPPING FEATURE MultiCluster due to licensing issue/);
    const east = cluster(s, 'cluster-east');
    assert.deepEqual(east.istiodDebug.license(views.get('cluster-east')!, all(east, 'Pod', { app: 'istiod' })[0]!.metadata.name), {
      State: 'OK',
      Product: 'gloo-mesh',
    });
  });

  it('env-incompatible: ENABLE_PEERING_DISCOVERY is absent and the peer gateway has no Solo conditions', async () => {
    const s = await scenario('env-incompatible');
    const west = cluster(s, 'cluster-west');
    const deploy = get(west, 'Deployment', 'istio-system', 'istiod');
    assert.equal(envValue(deploy, 'discovery', 'ENABLE_PEERING_DISCOVERY'), undefined);
    assert.equal(
      envValue(get(cluster(s, 'cluster-east'), 'Deployment', 'istio-system', 'istiod'), 'discovery', 'ENABLE_PEERING_DISCOVERY'),
      'true',
    );
    const gw = get(west, 'Gateway', 'istio-eastwest', 'istio-remote-peer-east-net');
    assert.equal(condition(gw, 'gloo.solo.io/PeerConnected'), undefined);
    assert.equal(all(west, 'ServiceEntry').length, 0);
  });

  it('dns-capture-off: AMBIENT_DNS_CAPTURE is "false" only in cluster-west', async () => {
    const s = await scenario('dns-capture-off');
    const data = (context: string): Record<string, string> =>
      get(cluster(s, context), 'ConfigMap', 'istio-system', 'istio-cni-config').data as Record<string, string>;
    assert.equal(data('cluster-west').AMBIENT_DNS_CAPTURE, 'false');
    assert.equal(data('cluster-east').AMBIENT_DNS_CAPTURE, 'true');
    assert.equal(data('cluster-west').AMBIENT_ENABLED, 'true');
  });

  it('dns-capture-off: ztunnel in cluster-west logs lookups of a global host that fail', async () => {
    const s = await scenario('dns-capture-off');
    assert.match(logText(s, 'cluster-west', 'ztunnel'), /dns lookup failed.*reviews\.bookinfo\.mesh\.internal/);
  });

  it('remote-gateway-stale-address: the remote Gateway dials the old address, never connects, and istiod says where it dialled', async () => {
    const s = await scenario('remote-gateway-stale-address');
    const east = cluster(s, 'cluster-east');
    const gw = get(east, 'Gateway', 'istio-eastwest', 'istio-remote-peer-west-net');
    assert.deepEqual((gw.spec as { addresses: unknown }).addresses, [{ type: 'IPAddress', value: '172.18.255.230' }]);
    assert.equal(condition(gw, 'gloo.solo.io/PeerConnected')?.status, 'False');
    const ew = get(cluster(s, 'cluster-west'), 'Gateway', 'istio-eastwest', 'istio-eastwest');
    assert.deepEqual((ew.status as { addresses: unknown }).addresses, [{ type: 'IPAddress', value: '172.18.255.201' }]);
    const istiod = logText(s, 'cluster-east', 'istiod');
    assert.match(istiod, /172\.18\.255\.230:15012/);
    assert.doesNotMatch(istiod, /172\.18\.255\.201:15012/);
    // The way back is untouched.
    const back = get(cluster(s, 'cluster-west'), 'Gateway', 'istio-eastwest', 'istio-remote-peer-east-net');
    assert.equal(condition(back, 'gloo.solo.io/PeerConnected')?.status, 'True');
  });

  it('select-workload-entries-false: istiod says why it runs no peering, and its peer Gateway has no Solo status', async () => {
    const s = await scenario('select-workload-entries-false');
    const west = cluster(s, 'cluster-west');
    assert.equal(
      envValue(get(west, 'Deployment', 'istio-system', 'istiod'), 'discovery', 'PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES'),
      'false',
    );
    assert.match(
      logText(s, 'cluster-west', 'istiod'),
      /peering discovery is incompatible with PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES=false/,
    );
    assert.equal(condition(get(west, 'Gateway', 'istio-eastwest', 'istio-remote-peer-east-net'), 'gloo.solo.io/PeerConnected'), undefined);
  });

  it('asymmetric-link: cluster-east links to cluster-west, not the other way', async () => {
    const s = await scenario('asymmetric-link');
    assert.equal(
      all(cluster(s, 'cluster-east'), 'Gateway').filter((g) => (g.spec as { gatewayClassName: string }).gatewayClassName === 'istio-remote')
        .length,
      1,
    );
    assert.equal(
      all(cluster(s, 'cluster-west'), 'Gateway').filter((g) => (g.spec as { gatewayClassName: string }).gatewayClassName === 'istio-remote')
        .length,
      0,
    );
  });

  it('forbidden: the kubeconfig user is a restricted one without pods/log and pods/portforward', async () => {
    const s = await scenario('forbidden');
    for (const c of s.clusters) {
      assert.equal(c.kubeconfigUser, 'oncall');
      const user = c.users.find((u) => u.name === 'oncall')!;
      assert.ok(user.forbidden.some((r) => r.resource === 'pods/log' && r.verb === 'get'));
      assert.ok(user.forbidden.some((r) => r.resource === 'pods/portforward'));
      assert.ok(c.users.some((u) => u.name === 'admin' && u.forbidden.length === 0));
    }
    assert.ok(s.rootCauses.every((r) => r.expectedSeverity === 'unknown'));
  });

  it('stale-autogenflat: flat WEs point at real peer pods, the stale ones at pods that do not exist', async () => {
    const s = await scenario('stale-autogenflat');
    const east = cluster(s, 'cluster-east');
    const west = cluster(s, 'cluster-west');
    const westPods = new Set(all(west, 'Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    const flat = all(east, 'WorkloadEntry').filter((w) => w.metadata.labels?.['solo.io/source-workload']?.startsWith('autogenflat.'));
    assert.equal(flat.length, 4);
    const stale = flat.filter((w) => {
      const uid = w.metadata.annotations?.['solo.io/peered-workload-uid'] ?? '';
      const [, , , ns, pod] = uid.split('/');
      return !westPods.has(`${ns}/${pod}`);
    });
    assert.deepEqual(stale.map((w) => w.metadata.name).sort(), s.rootCauses.map((r) => r.subject.name).sort());
    // Flat mode: the peer gateway is named after the peer cluster, both sides share one network.
    assert.ok(find(east, 'Gateway', 'istio-eastwest', 'istio-remote-peer-west'));
  });

  it("intermediate-expiring: cluster-west's ca-cert.pem ends within a week, cluster-east's does not", async () => {
    const s = await scenario('intermediate-expiring');
    const daysLeft = (context: string): number => {
      const pem = Buffer.from(
        (get(cluster(s, context), 'Secret', 'istio-system', 'cacerts').data as Record<string, string>)['ca-cert.pem']!,
        'base64',
      ).toString();
      return (forge.pki.certificateFromPem(pem).validity.notAfter.getTime() - NOW.getTime()) / 86_400_000;
    };
    assert.ok(daysLeft('cluster-west') > 5 && daysLeft('cluster-west') < 7, String(daysLeft('cluster-west')));
    assert.ok(daysLeft('cluster-east') > 300);
  });

  it('the same scenario and clock give the same object names', async () => {
    const again = await loadBuiltinScenario('healthy', { now: NOW });
    const names = (s: Scenario): string[] =>
      s.clusters.flatMap((c) => c.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}/${o.metadata.uid}`));
    assert.deepEqual(names(again), names(await scenario('healthy')));
  });
});
