// The contract-test harness: one etcd, N real kube-apiservers on it (separate --etcd-prefix,
// so separate clusters), each with the CRDs installed and Established, an `admin` user in
// system:masters, a `restricted` user without pods/log and pods/portforward, and a fake kubelet
// registered as the Node its pods run on. stop() ends every process and deletes the temp dir.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../../../src/sim/kubeconfig.ts';
import { startApiserver, newToken, type RunningApiserver, type TokenUser } from './apiserver.ts';
import { contractBinaries, type ContractBinaries } from './binaries.ts';
import { cleanupOnExit } from './cleanupOnExit.ts';
import { installCrds } from './crds.ts';
import { startEtcd, type RunningEtcd } from './etcd.ts';
import { startFakeKubelet, type FakeKubelet } from './fakeKubelet.ts';
import { registerNode } from './node.ts';
import { grantRestrictedRole } from './rbac.ts';

export type ContractUserName = 'admin' | 'restricted';

export interface ContractCluster {
  name: string;
  url: string;
  caPem: string;
  users: Record<ContractUserName, TokenUser>;
  /** The Node whose kubelet is `kubelet`: give pods this spec.nodeName. */
  nodeName: string;
  kubelet: FakeKubelet;
  apiserver: RunningApiserver;
  /** Writes a kubeconfig (one context named after the cluster) for the user; returns its path. */
  writeKubeconfig(user: ContractUserName, path?: string): Promise<string>;
}

export interface ContractClusters {
  binaries: ContractBinaries;
  etcd: RunningEtcd;
  clusters: ContractCluster[];
  workDir: string;
  stop(): Promise<void>;
}

export interface ContractClusterOptions {
  /** Cluster names; default two clusters, `cluster-a` and `cluster-b`. */
  names?: string[];
}

async function prepareCluster(
  apiserver: RunningApiserver,
  users: Record<ContractUserName, TokenUser>,
  kubelet: FakeKubelet,
  nodeName: string,
  kubeVersion: string,
  workDir: string,
): Promise<ContractCluster> {
  const endpoint = { url: apiserver.url, caPem: apiserver.caPem };
  const adminToken = users.admin.token;
  await installCrds(endpoint, adminToken);
  await grantRestrictedRole(endpoint, adminToken, users.restricted.name);
  await registerNode(endpoint, adminToken, nodeName, kubelet.port, kubeVersion);
  return {
    name: apiserver.name,
    url: apiserver.url,
    caPem: apiserver.caPem,
    users,
    nodeName,
    kubelet,
    apiserver,
    async writeKubeconfig(user, path = join(workDir, `${apiserver.name}-${user}.kubeconfig`)) {
      await writeKubeconfig(path, [
        { context: apiserver.name, server: apiserver.url, caPem: apiserver.caPem, user, token: users[user].token },
      ]);
      return path;
    },
  };
}

export async function startContractClusters(options: ContractClusterOptions = {}): Promise<ContractClusters> {
  const binaries = contractBinaries();
  if (binaries.missing.length > 0) {
    throw new Error(`contract binaries missing (run test/contract/build-binaries.sh): ${binaries.missing.join(', ')}`);
  }
  const names = options.names ?? ['cluster-a', 'cluster-b'];
  // Names become Node names, etcd prefixes and certificate subjects (where Go rejects e.g. '_').
  const badName = names.find((name) => !/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(name));
  if (badName !== undefined) throw new Error(`cluster name ${JSON.stringify(badName)} must be a lowercase DNS label`);
  if (new Set(names).size !== names.length) throw new Error(`cluster names must be unique: ${names.join(', ')}`);
  const workDir = await mkdtemp(join(tmpdir(), 'mesh-tui-contract-'));
  // Registered before any process starts, so on a crash it runs after their kills (reverse order).
  const forgetWorkDir = cleanupOnExit(() => rmSync(workDir, { recursive: true, force: true }));
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    // Reverse order: kubelets and apiservers before the etcd they use.
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    stoppers.length = 0;
    await rm(workDir, { recursive: true, force: true });
    forgetWorkDir();
  };
  try {
    const etcd = await startEtcd(binaries.etcd, workDir);
    stoppers.push(() => etcd.stop());
    // allSettled, not all: every started process must be registered in stoppers before stop() runs.
    const results = await Promise.allSettled(
      names.map(async (name) => {
        const users: Record<ContractUserName, TokenUser> = {
          admin: { name: 'admin', token: newToken(), groups: ['system:masters'] },
          restricted: { name: 'restricted', token: newToken(), groups: [] },
        };
        const apiserver = await startApiserver({
          binary: binaries.kubeApiserver,
          etcdUrl: etcd.clientUrl,
          name,
          workDir,
          users: [users.admin, users.restricted],
        });
        stoppers.push(() => apiserver.stop());
        const nodeName = `${name}-node`;
        const kubelet = await startFakeKubelet(nodeName);
        stoppers.push(() => kubelet.stop());
        return prepareCluster(apiserver, users, kubelet, nodeName, binaries.kubeVersion, workDir);
      }),
    );
    const clusters: ContractCluster[] = [];
    for (const result of results) {
      if (result.status === 'rejected') throw result.reason instanceof Error ? result.reason : new Error(String(result.reason));
      clusters.push(result.value);
    }
    return { binaries, etcd, clusters, workDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
