// `--timeout` is a promise to the script or runbook that runs mesh-tui: the report is printed and
// the process has exited within --timeout plus one second, whatever the clusters and the exec
// plugins do, and nothing mesh-tui started outlives it — also when it is interrupted.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { launcher } from '../helpers/cli.ts';
import { waitUntil } from '../helpers/waitFor.ts';
import { makeTempDir, type TempDir } from '../kube/kubeconfigFixtures.ts';

interface TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Seconds from spawn to the last byte of the report, and to the process's end. */
  printedAt: number;
  exitedAt: number;
}

function timedRun(args: string[], options: { interrupt?: { signal: NodeJS.Signals; when: () => boolean } } = {}): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(launcher, args);
    let stdout = '';
    let stderr = '';
    let printedAt = Number.NaN;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      printedAt = (performance.now() - started) / 1000;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const poll = options.interrupt
      ? setInterval(() => {
          if (options.interrupt?.when()) {
            clearInterval(poll);
            child.kill(options.interrupt.signal);
          }
        }, 20)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, printedAt, exitedAt: (performance.now() - started) / 1000 });
    });
  });
}

/** Still running? A zombie waiting to be reaped by init does not count. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function report(t: TestContext, what: string, run: TimedRun): void {
  t.diagnostic(`${what}: report printed at ${run.printedAt.toFixed(2)} s, exited at ${run.exitedAt.toFixed(2)} s`);
}

describe('--timeout is a promise', () => {
  let tmp: TempDir;
  let silent: net.Server;
  const accepted = new Set<Socket>();
  let silentUrl: string;
  let pidFile: string;
  let hangingKubeconfig: string;
  let silentKubeconfig: string;

  before(async () => {
    tmp = makeTempDir('mesh-tui-deadline-');
    // Accepts TCP and never says a word: no TLS handshake, no HTTP answer.
    silent = net.createServer((socket) => {
      accepted.add(socket);
      socket.on('close', () => accepted.delete(socket));
      socket.on('error', () => undefined);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    pidFile = path.join(tmp.dir, 'plugin.pids');
    // An SSO helper waiting for a browser login that never comes; it has a child, as aws → python does.
    const plugin = tmp.write(
      'bin/sso-helper',
      `#!/bin/sh\necho "open https://sso.example/device and enter WXYZ" >&2\nsleep 120 &\necho "$$ $!" > "${pidFile}"\nwait\n`,
      0o755,
    );
    hangingKubeconfig = tmp.writeKubeconfig('hanging.yaml', {
      clusters: [{ name: 'eks-prod', cluster: { server: silentUrl, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'sso', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin } } }],
      contexts: [{ name: 'eks-prod', context: { cluster: 'eks-prod', user: 'sso' } }],
      'current-context': 'eks-prod',
    });
    silentKubeconfig = tmp.writeKubeconfig('silent.yaml', {
      clusters: [{ name: 'silent', cluster: { server: silentUrl, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'not-a-secret' } }],
      contexts: [{ name: 'silent', context: { cluster: 'silent', user: 'u' } }],
      'current-context': 'silent',
    });
  });
  after(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    tmp.remove();
  });

  const pluginPids = (): number[] => readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
  const assertPluginGone = async (): Promise<void> => {
    const pids = pluginPids();
    assert.equal(pids.length, 2, 'the plugin and its child');
    await waitUntil(() => pids.every((pid) => !running(pid)), { timeoutMs: 5_000, what: `plugin processes ${pids.join(', ')} to end` });
  };

  it('--once: a hung exec plugin is cut at the deadline and named in the report', async (t) => {
    rmSync(pidFile, { force: true });
    const run = await timedRun(['--once', '--kubeconfig', hangingKubeconfig, '--timeout', '3', '--output', 'json']);
    report(t, 'hung exec plugin, --once --timeout 3', run);
    const parsed = JSON.parse(run.stdout) as { contexts: { context: string; status: string; detail: string }[] };
    const [context] = parsed.contexts;
    assert.equal(context?.status, 'authFailed', context?.detail);
    assert.match(context.detail, /exec plugin "sso-helper" did not answer within \d+(\.\d)?s/);
    assert.match(context.detail, /open https:\/\/sso\.example\/device/);
    assert.equal(run.code, 3, run.stderr);
    assert.ok(run.exitedAt < 4, `exited ${run.exitedAt.toFixed(2)} s after start, --timeout 3`);
    await assertPluginGone();
  });

  it('status: the same hung plugin, the same promise', async (t) => {
    rmSync(pidFile, { force: true });
    const run = await timedRun(['status', '--kubeconfig', hangingKubeconfig, '--timeout', '3']);
    report(t, 'hung exec plugin, status --timeout 3', run);
    assert.match(run.stdout, /^eks-prod +<unknown> +auth failed: exec plugin "sso-helper" did not answer within /m);
    assert.equal(run.code, 3, run.stderr);
    assert.ok(run.exitedAt < 4, `exited ${run.exitedAt.toFixed(2)} s after start, --timeout 3`);
    await assertPluginGone();
  });

  it('--once and status: a server that accepts TCP and never answers does not hold the exit', async (t) => {
    for (const args of [
      ['--once', '--output', 'json'],
      ['status', '--output', 'json'],
    ]) {
      const run = await timedRun([...args, '--kubeconfig', silentKubeconfig, '--timeout', '1']);
      report(t, `silent TCP server, ${args[0]} --timeout 1`, run);
      const parsed = JSON.parse(run.stdout) as { contexts: { context: string; status: string }[] };
      assert.equal(parsed.contexts[0]?.context, 'silent');
      assert.notEqual(parsed.contexts[0]?.status, 'ready');
      assert.equal(run.code, 3, run.stderr);
      assert.ok(run.printedAt < 2, `${args[0]}: report printed ${run.printedAt.toFixed(2)} s after start, --timeout 1`);
      assert.ok(run.exitedAt < 2, `${args[0]}: exited ${run.exitedAt.toFixed(2)} s after start, --timeout 1`);
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} while an exec plugin runs: exit ${code}, and the plugin and its child are gone`, async () => {
      rmSync(pidFile, { force: true });
      const run = await timedRun(['--once', '--kubeconfig', hangingKubeconfig, '--timeout', '60'], {
        interrupt: { signal, when: () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').includes(' ') },
      });
      assert.equal(run.code, code, `${run.signal ?? ''} ${run.stderr}`);
      assert.equal(run.stderr, '');
      await assertPluginGone();
    });
  }
});
