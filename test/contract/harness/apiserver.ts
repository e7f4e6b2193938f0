// One real kube-apiserver on loopback, storing under its own etcd prefix so several of them on
// one etcd are fully separate clusters. Users authenticate with static bearer tokens
// (--token-auth-file), which spares the TypeScript side from minting client certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueServingPair } from '../../../src/sim/pki.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './childProcess.ts';
import { kubeRequest } from './kubeRequest.ts';
import { freePort } from './ports.ts';

export interface TokenUser {
  name: string;
  token: string;
  groups: string[];
}

export interface ApiserverOptions {
  binary: string;
  etcdUrl: string;
  /** Cluster name: also names the etcd prefix, the certificates and the work directory. */
  name: string;
  workDir: string;
  /** The first user must be able to read /readyz (e.g. a member of system:masters). */
  users: TokenUser[];
  readyTimeoutMs?: number;
}

export interface RunningApiserver {
  name: string;
  url: string;
  caPem: string;
  etcdPrefix: string;
  process: ManagedProcess;
  /** Wall time from spawn to the first 200 from /readyz. */
  startupMs: number;
  stop(): Promise<void>;
}

const ATTEMPTS = 3;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function tokenFile(users: TokenUser[]): string {
  // token,user,uid[,"group1,group2"] — the format of --token-auth-file.
  return (
    users.map((u) => [u.token, u.name, `${u.name}-uid`, ...(u.groups.length ? [`"${u.groups.join(',')}"`] : [])].join(',')).join('\n') +
    '\n'
  );
}

export async function startApiserver(options: ApiserverOptions): Promise<RunningApiserver> {
  const dir = join(options.workDir, options.name);
  await mkdir(dir, { recursive: true });
  const { ca, serving } = issueServingPair(options.name);
  const serviceAccount = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const files = {
    cert: join(dir, 'apiserver.crt'),
    key: join(dir, 'apiserver.key'),
    saPub: join(dir, 'sa.pub'),
    saKey: join(dir, 'sa.key'),
    tokens: join(dir, 'tokens.csv'),
  };
  await writeFile(files.cert, serving.certPem);
  await writeFile(files.key, serving.keyPem, { mode: 0o600 });
  await writeFile(files.saPub, serviceAccount.publicKey);
  await writeFile(files.saKey, serviceAccount.privateKey, { mode: 0o600 });
  await writeFile(files.tokens, tokenFile(options.users), { mode: 0o600 });

  const readyUser = options.users[0];
  if (!readyUser) throw new Error('startApiserver needs at least one user');
  const etcdPrefix = `/${options.name}/registry`;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const started = Date.now();
    const process_ = startProcess(
      `kube-apiserver ${options.name}`,
      options.binary,
      [
        `--etcd-servers=${options.etcdUrl}`,
        `--etcd-prefix=${etcdPrefix}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${dir}`,
        `--tls-cert-file=${files.cert}`,
        `--tls-private-key-file=${files.key}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${files.saPub}`,
        `--service-account-signing-key-file=${files.saKey}`,
        '--authorization-mode=RBAC',
        `--token-auth-file=${files.tokens}`,
        // No ServiceAccount controller runs, so the default service account never exists.
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        // The lease reconciler would publish (and in 1.37 validate) an advertise address; with
        // several apiservers on loopback there is none worth publishing.
        '--endpoint-reconciler-type=none',
        // Nodes say InternalIP 127.0.0.1; pods/log then reaches the fake kubelet on loopback.
        '--kubelet-preferred-address-types=InternalIP',
      ],
      join(dir, 'kube-apiserver.log'),
    );
    const endpoint = { url, caPem: ca.certPem };
    try {
      await waitUntilReady(
        process_,
        async () => (await kubeRequest(endpoint, readyUser.token, 'GET', '/readyz')).status === 200,
        options.readyTimeoutMs ?? 180_000,
      );
      return {
        name: options.name,
        url,
        caPem: ca.certPem,
        etcdPrefix,
        process: process_,
        startupMs: Date.now() - started,
        stop: () => process_.stop(),
      };
    } catch (error) {
      lastError = error;
      await process_.stop();
      if (!process_.logTail(50).includes('address already in use')) break;
    }
  }
  throw lastError;
}
