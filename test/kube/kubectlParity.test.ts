// Our loader must read a KUBECONFIG list the way kubectl does. Ask kubectl itself.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { kubectlPath } from '../helpers/kubectl.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { makeTempDir, type TempDir } from './kubeconfigFixtures.ts';

function kubectlWithEnv(kubeconfigEnv: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(kubectlPath(), args, { env: { ...process.env, KUBECONFIG: kubeconfigEnv }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

describe('kubeconfig merge parity with kubectl', () => {
  let tmp: TempDir;
  let kubeconfigEnv: string;
  before(() => {
    tmp = makeTempDir();
    const first = tmp.writeKubeconfig('a/config', {
      clusters: [{ name: 'shared', cluster: { server: 'https://first.example:6443' } }],
      users: [{ name: 'admin', user: { token: 'first' } }],
      contexts: [
        { name: 'east', context: { cluster: 'shared', user: 'admin' } },
        { name: 'dup', context: { cluster: 'shared', user: 'admin' } },
      ],
    });
    const second = tmp.writeKubeconfig('b/config', {
      clusters: [
        { name: 'shared', cluster: { server: 'https://second.example:6443' } },
        { name: 'west', cluster: { server: 'https://west.example:6443' } },
      ],
      users: [
        { name: 'admin', user: { token: 'second' } },
        { name: 'w', user: { token: 'w' } },
      ],
      contexts: [
        { name: 'dup', context: { cluster: 'west', user: 'w' } },
        { name: 'west', context: { cluster: 'west', user: 'w' } },
        { name: 'uses-shared', context: { cluster: 'shared', user: 'admin' } },
      ],
      'current-context': 'west',
    });
    const third = tmp.writeKubeconfig('c/config', { 'current-context': 'east' });
    kubeconfigEnv = [first, path.join(tmp.dir, 'missing'), second, third].join(':');
  });
  after(() => tmp.remove());

  it('same contexts, same current-context, same server per context', async () => {
    const ours = loadKubeconfig({ env: { KUBECONFIG: kubeconfigEnv } });
    const names = (await kubectlWithEnv(kubeconfigEnv, ['config', 'get-contexts', '-o', 'name'])).split('\n').sort();
    assert.deepEqual(ours.contexts.map((c) => c.name).sort(), names);
    assert.equal(ours.currentContext, await kubectlWithEnv(kubeconfigEnv, ['config', 'current-context']));
    for (const context of ours.contexts) {
      const server = await kubectlWithEnv(kubeconfigEnv, [
        'config',
        'view',
        '--minify',
        '--context',
        context.name,
        '-o',
        'jsonpath={.clusters[0].cluster.server}',
      ]);
      assert.equal(context.cluster.server, server, context.name);
    }
  });
});
