// Finds the kubectl the kubectl tests run: $KUBECTL, else Debian's copy that
// test/tools/ensure-kubectl.sh unpacks under .cache/, else whatever is on PATH.
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const debianCopy = fileURLToPath(new URL('../../.cache/kubectl-deb/usr/bin/kubectl', import.meta.url));

export function kubectlPath(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  if (existsSync(debianCopy)) return debianCopy;
  return 'kubectl';
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl to completion; never throws on a non-zero exit (tests assert on it). */
export function kubectl(kubeconfig: string, args: string[], timeoutMs = 30_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(kubectlPath(), ['--kubeconfig', kubeconfig, ...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
