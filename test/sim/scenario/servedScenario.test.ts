// A built-in scenario served by the simulator, read the way the product and an engineer read
// it: @kubernetes/client-node for objects, kubectl for tables and logs. Proves the generated
// objects are accepted by real clients, not just well-formed in memory.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { loadBuiltinScenario } from '../../../src/sim/scenario/load.ts';
import { Simulator } from '../../../src/sim/simulator.ts';
import { kubectl } from '../../helpers/kubectl.ts';

describe('built-in scenario served by the simulator', () => {
  let sim: Simulator;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    sim = await Simulator.start(await loadBuiltinScenario('ztunnel-crashloop'));
    dir = await mkdtemp(join(tmpdir(), 'served-scenario-'));
    kubeconfig = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
  });

  after(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function config(context: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(context);
    return kc;
  }

  it('client-node lists the istio pods with their health', async () => {
    const pods = await config('cluster-west')
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=ztunnel' });
    assert.equal(pods.items.length, 3);
    const waiting = pods.items.filter((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
    assert.deepEqual(
      waiting.map((p) => p.metadata?.name),
      ['ztunnel-w2965'],
    );
    assert.equal(waiting[0]!.status?.containerStatuses?.[0]?.restartCount, 17);
  });

  it('client-node lists the peer Gateways with their Solo conditions', async () => {
    const list = (await config('cluster-east').makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: 'istio-eastwest',
      plural: 'gateways',
    })) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[] };
    const remote = list.items.find((g) => g.metadata.name === 'istio-remote-peer-west-net');
    assert.ok(remote);
    assert.deepEqual(
      remote.status.conditions.map((c) => `${c.type}=${c.status}`),
      [
        'Accepted=True',
        'Programmed=True',
        'gloo.solo.io/PeerConnected=True',
        'gloo.solo.io/PeeringSucceeded=True',
        'gloo.solo.io/PeerDataPlaneProgrammed=True',
      ],
    );
  });

  it('kubectl shows the crash-looping ztunnel and its previous log', async () => {
    const pods = await kubectl(kubeconfig, ['--context', 'cluster-west', '-n', 'istio-system', 'get', 'pods', '-l', 'app=ztunnel']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /ztunnel-w2965\s+0\/1\s+CrashLoopBackOff\s+17/);
    const previous = await kubectl(kubeconfig, ['--context', 'cluster-west', '-n', 'istio-system', 'logs', 'ztunnel-w2965', '--previous']);
    assert.equal(previous.code, 0, previous.stderr);
    assert.match(previous.stdout, /CNI plugin is not ready/);
  });

  it('kubectl reads ztunnel access logs with real timestamps', async () => {
    const names = await kubectl(kubeconfig, [
      '--context',
      'cluster-east',
      '-n',
      'istio-system',
      'get',
      'pods',
      '-l',
      'app=ztunnel',
      '-o',
      'name',
    ]);
    const first = names.stdout.trim().split('\n')[0]!;
    const logs = await kubectl(kubeconfig, ['--context', 'cluster-east', '-n', 'istio-system', 'logs', first, '--tail', '2']);
    assert.equal(logs.code, 0, logs.stderr);
    const lines = logs.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\tinfo\taccess\tconnection complete\t/);
  });
});
