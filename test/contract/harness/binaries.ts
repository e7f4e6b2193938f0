// Where test/contract/build-binaries.sh put the real kube-apiserver and etcd. The versions are
// read from the tool modules' go.mod files, the same source the build script uses, so the two
// can never disagree about which binaries belong to this checkout.
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const toolsDir = new URL('../tools/', import.meta.url).pathname;

export interface ContractBinaries {
  kubeVersion: string;
  etcdVersion: string;
  kubeApiserver: string;
  etcd: string;
  /** Paths that do not exist yet (empty when everything is built). */
  missing: string[];
}

function requiredVersion(goModPath: string, module: string): string {
  const text = readFileSync(goModPath, 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(text);
  if (!match?.[1]) throw new Error(`${goModPath} does not require ${module}`);
  return match[1];
}

export function cacheRoot(): string {
  return process.env.MESH_TUI_CACHE ?? join(homedir(), '.cache', 'mesh-tui');
}

/** KUBE_APISERVER_BIN / ETCD_BIN override the cached paths (e.g. binaries built elsewhere). */
export function contractBinaries(): ContractBinaries {
  const kubeVersion = requiredVersion(join(toolsDir, 'kube-apiserver', 'go.mod'), 'k8s.io/kubernetes');
  const etcdVersion = requiredVersion(join(toolsDir, 'etcd', 'go.mod'), 'go.etcd.io/etcd/server/v3');
  const dir = join(cacheRoot(), 'kube', kubeVersion);
  const kubeApiserver = process.env.KUBE_APISERVER_BIN ?? join(dir, 'kube-apiserver');
  const etcd = process.env.ETCD_BIN ?? join(dir, `etcd-${etcdVersion}`);
  const missing = [kubeApiserver, etcd].filter((path) => !existsSync(path));
  return { kubeVersion, etcdVersion, kubeApiserver, etcd, missing };
}
