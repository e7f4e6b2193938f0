// One etcd on loopback for all the kube-apiservers of a run (each uses its own --etcd-prefix).
// fsync is off: the data dir is thrown away at the end, and fsync is the slowest part of etcd
// on a shared disk.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startProcess, waitUntilReady, type ManagedProcess } from './childProcess.ts';
import { freePort } from './ports.ts';

export interface RunningEtcd {
  clientUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const ATTEMPTS = 3;

async function healthy(clientUrl: string): Promise<boolean> {
  const response = await fetch(`${clientUrl}/health`);
  if (!response.ok) return false;
  const body = (await response.json()) as { health?: string };
  return body.health === 'true';
}

export async function startEtcd(binary: string, workDir: string): Promise<RunningEtcd> {
  let lastError: unknown;
  // A port picked by freePort() can be taken before etcd binds it; try again with new ports.
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const dataDir = join(workDir, `etcd-data-${attempt}`);
    await mkdir(dataDir, { recursive: true });
    const clientUrl = `http://127.0.0.1:${await freePort()}`;
    const peerUrl = `http://127.0.0.1:${await freePort()}`;
    const process_ = startProcess(
      'etcd',
      binary,
      [
        '--name=contract',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=contract=${peerUrl}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      join(workDir, 'etcd.log'),
    );
    try {
      await waitUntilReady(process_, () => healthy(clientUrl), READY_TIMEOUT_MS);
      return { clientUrl, process: process_, stop: () => process_.stop() };
    } catch (error) {
      lastError = error;
      await process_.stop();
      if (!process_.logTail(50).includes('address already in use')) break;
    }
  }
  throw lastError;
}
