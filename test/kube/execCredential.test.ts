import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { ExecCredentialProvider } from '../../src/kube/execCredential.ts';
import { ExecPluginError } from '../../src/kube/execPluginError.ts';
import type { ExecConfig } from '../../src/kube/kubeconfigFile.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { ContextClient } from '../../src/kube/contextClient.ts';
import { classifyError } from '../../src/kube/errors.ts';
import { failureStatus, namespaceList, sendJson, startLoopbackApiServer, type LoopbackApiServer } from './loopbackApiServer.ts';
import { makeTempDir, type TempDir } from './kubeconfigFixtures.ts';

const API_VERSION = 'client.authentication.k8s.io/v1beta1';

// Counts its runs in $COUNT_FILE, answers token tok-<run number> expiring at $EXPIRY (or never),
// and records the KUBERNETES_EXEC_INFO it was given. The sleep makes concurrent callers overlap.
const COUNTING_PLUGIN = `#!/bin/sh
echo run >> "$COUNT_FILE"
n=$(wc -l < "$COUNT_FILE" | tr -d ' ')
printf '%s' "$KUBERNETES_EXEC_INFO" > "$COUNT_FILE.info"
sleep 0.3
if [ -n "$EXPIRY" ]; then
  printf '{"apiVersion":"${API_VERSION}","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}' "$n" "$EXPIRY"
else
  printf '{"apiVersion":"${API_VERSION}","kind":"ExecCredential","status":{"token":"tok-%s"}}' "$n"
fi
`;

function execConfig(command: string, env: Record<string, string> = {}): ExecConfig {
  return {
    command,
    args: [],
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    apiVersion: API_VERSION,
    installHint: undefined,
    provideClusterInfo: false,
    interactiveMode: 'IfAvailable',
  };
}

async function rejection(promise: Promise<unknown>): Promise<ExecPluginError> {
  const error = await promise.then(
    () => assert.fail('expected the plugin to fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ExecPluginError, String(error));
  return error;
}

/** Whether `pid` has ended (a zombie waiting for init to reap it counts as ended), waiting a little. */
function waitGone(pid: number): boolean {
  const alive = (): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  const until = Date.now() + 5_000;
  while (alive() && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  return !alive();
}

const runs = (countFile: string): number =>
  existsSync(countFile) ? readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length : 0;

describe('exec credential plugins', () => {
  let tmp: TempDir;
  let counting: string;
  before(() => {
    tmp = makeTempDir();
    counting = tmp.write('bin/counting-plugin', COUNTING_PLUGIN, 0o755);
  });
  after(() => tmp.remove());

  it('a plugin that hangs is killed after the timeout, and what it printed on stderr is in the error', async () => {
    const hang = tmp.write('bin/hang', '#!/bin/sh\necho "open https://login.example/device and enter ABCD" >&2\nsleep 30\n', 0o755);
    const provider = new ExecCredentialProvider({ context: 'east', exec: execConfig(hang), timeoutMs: 400 });
    const error = await rejection(provider.get());
    assert.equal(error.kind, 'timeout');
    assert.equal(error.stderr, 'open https://login.example/device and enter ABCD');
    assert.match(error.message, /^exec plugin "hang" did not answer within 0\.4s \(context east\): open https:\/\/login/);
    assert.equal(classifyError(error).kind, 'exec');
  });

  it("a deadline caps the plugin's own timeout: killed when the time left runs out, saying how long it had", async () => {
    const hang = tmp.write('bin/sso-login', '#!/bin/sh\necho "waiting for the browser" >&2\nsleep 30\n', 0o755);
    const provider = new ExecCredentialProvider({ context: 'eks', exec: execConfig(hang), timeoutMs: 20_000, deadline: Date.now() + 700 });
    const error = await rejection(provider.get());
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^exec plugin "sso-login" did not answer within 0\.[5-7]s \(context eks\): waiting for the browser$/);
  });

  it('once the deadline has passed the plugin is not started again, and the same reason is given', async () => {
    const countFile = path.join(tmp.dir, 'deadline.count');
    const hang = tmp.write('bin/slow-sso', `#!/bin/sh\necho run >> "${countFile}"\nsleep 30\n`, 0o755);
    const provider = new ExecCredentialProvider({ context: 'eks', exec: execConfig(hang), deadline: Date.now() + 400 });
    const first = await rejection(provider.get());
    const second = await rejection(provider.get());
    assert.equal(second.message, first.message);
    const late = await rejection(new ExecCredentialProvider({ context: 'gke', exec: execConfig(hang), deadline: Date.now() - 1 }).get());
    assert.equal(late.kind, 'timeout');
    assert.equal(late.message, 'exec plugin "slow-sso" was not run: no time was left before the deadline (context gke)');
    assert.equal(runs(countFile), 1);
  });

  it('a plugin still running when the process exits is killed with its children, however the process exits', () => {
    const pidFile = path.join(tmp.dir, 'exit.pids');
    const hang = tmp.write('bin/lingering', `#!/bin/sh\nsleep 60 &\necho "$$ $!" > "${pidFile}"\nwait\n`, 0o755);
    for (const ending of ['process.exit(0)', 'throw new Error("boom")', "process.kill(process.pid, 'SIGTERM')"]) {
      rmSync(pidFile, { force: true });
      const script = tmp.write(
        'run-lingering.ts',
        `import { existsSync } from 'node:fs';\n` +
          `import { ExecCredentialProvider } from ${JSON.stringify(path.resolve('src/kube/execCredential.ts'))};\n` +
          // The CLI turns SIGTERM into an exit; this stands in for it.
          `process.on('SIGTERM', () => process.exit(143));\n` +
          (`void new ExecCredentialProvider({ context: 'c', exec: { command: ${JSON.stringify(hang)}, ` +
            `args: [], env: [], apiVersion: undefined, installHint: undefined, provideClusterInfo: false, ` +
            `interactiveMode: undefined } }).get().catch(() => undefined);\n`) +
          (`const started = setInterval(() => { if (existsSync(${JSON.stringify(pidFile)})) { clearInterval(started); ` +
            `setTimeout(() => { ${ending}; }, 100); } }, 20);\n`),
      );
      spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
      const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
      assert.equal(pids.length, 2);
      for (const pid of pids) assert.equal(waitGone(pid), true, `${ending}: plugin process ${pid} still running`);
    }
  });

  it("a timeout kills the plugin's children too, so nothing is left running", async () => {
    const pidFile = path.join(tmp.dir, 'child.pid');
    const parent = tmp.write('bin/spawns-child', `#!/bin/sh\nsleep 60 &\necho $! > "${pidFile}"\nwait\n`, 0o755);
    await rejection(new ExecCredentialProvider({ context: 'c', exec: execConfig(parent), timeoutMs: 400 }).get());
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // SIGKILL is delivered at once but the orphan is reaped by init a moment later.
    for (let i = 0; i < 100 && alive(); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(alive(), false, `sleep (pid ${pid}) still running`);
  });

  it('a plugin that fails carries its exit code and trimmed stderr', async () => {
    const fail = tmp.write(
      'bin/aws',
      '#!/bin/sh\necho "" >&2\necho "  Error: SSO session expired; run aws sso login  " >&2\nexit 3\n',
      0o755,
    );
    const error = await rejection(new ExecCredentialProvider({ context: 'eks-prod', exec: execConfig(fail) }).get());
    assert.equal(error.kind, 'failed');
    assert.equal(error.exitCode, 3);
    assert.equal(error.stderr, 'Error: SSO session expired; run aws sso login');
    assert.equal(
      error.message,
      'exec plugin "aws" failed with exit code 3 (context eks-prod): Error: SSO session expired; run aws sso login',
    );
  });

  it('a long stderr is bounded, keeping its end', async () => {
    const chatty = tmp.write(
      'bin/chatty',
      '#!/bin/sh\ni=0\nwhile [ $i -lt 400 ]; do echo "noise line $i" >&2; i=$((i+1)); done\necho "the real reason" >&2\nexit 1\n',
      0o755,
    );
    const error = await rejection(new ExecCredentialProvider({ context: 'c', exec: execConfig(chatty) }).get());
    assert.ok(error.stderr.length <= 2000);
    assert.ok(error.stderr.endsWith('the real reason'));
  });

  it('a missing binary says which plugin and which context', async () => {
    // Some machines have the real plugin installed: look it up on a PATH that cannot hold it.
    const exec = execConfig('gke-gcloud-auth-plugin', { PATH: path.join(tmp.dir, 'empty-bin') });
    const error = await rejection(new ExecCredentialProvider({ context: 'gke-eu', exec }).get());
    assert.equal(error.kind, 'notFound');
    assert.equal(error.message, 'exec plugin "gke-gcloud-auth-plugin" not found on PATH (context gke-eu)');
  });

  it('bad JSON is a clear error that does not quote the output', async () => {
    const bad = tmp.write('bin/bad-json', '#!/bin/sh\necho "{token: sekrit-abc"\n', 0o755);
    const error = await rejection(new ExecCredentialProvider({ context: 'c', exec: execConfig(bad) }).get());
    assert.equal(error.kind, 'badOutput');
    assert.match(error.message, /^exec plugin "bad-json" returned an invalid ExecCredential \(context c\): stdout is not JSON/);
    assert.ok(!error.message.includes('sekrit'));
    const noToken = tmp.write(
      'bin/no-token',
      `#!/bin/sh\necho '{"apiVersion":"${API_VERSION}","kind":"ExecCredential","status":{}}'\n`,
      0o755,
    );
    assert.match(
      (await rejection(new ExecCredentialProvider({ context: 'c', exec: execConfig(noToken) }).get())).message,
      /neither token nor clientCertificateData/,
    );
  });

  it('interactiveMode Always is refused with a way out instead of hanging on a prompt nobody sees', async () => {
    const error = await rejection(
      new ExecCredentialProvider({ context: 'aks', exec: { ...execConfig('kubelogin'), interactiveMode: 'Always' } }).get(),
    );
    assert.equal(error.kind, 'interactive');
    assert.match(error.message, /kubectl get ns --context aks/);
  });

  it("the plugin's stderr never reaches our terminal", () => {
    const loud = tmp.write('bin/loud', '#!/bin/sh\necho "LOUD-PLUGIN-STDERR" >&2\nexit 1\n', 0o755);
    const script = tmp.write(
      'run-loud.ts',
      `import { ExecCredentialProvider } from ${JSON.stringify(path.resolve('src/kube/execCredential.ts'))};\n` +
        (`const p = new ExecCredentialProvider({ context: 'c', exec: { command: ${JSON.stringify(loud)}, ` +
          `args: [], env: [], apiVersion: undefined, installHint: undefined, provideClusterInfo: false, ` +
          `interactiveMode: undefined } });\n`) +
        `await p.get().catch((e) => console.log('kind=' + e.kind));\n`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(child.stdout.trim(), 'kind=failed');
    assert.ok(!child.stderr.includes('LOUD-PLUGIN-STDERR'), child.stderr);
  });

  it('caches the credential until expirationTimestamp minus the skew, then runs the plugin again', async () => {
    const countFile = path.join(tmp.dir, 'expiry.count');
    const start = Date.parse('2030-01-01T00:00:00Z');
    let now = start;
    const provider = new ExecCredentialProvider({
      context: 'c',
      exec: execConfig(counting, { COUNT_FILE: countFile, EXPIRY: '2030-01-01T00:10:00Z' }),
      expirySkewMs: 60_000,
      now: () => now,
    });
    assert.equal((await provider.get()).token, 'tok-1');
    now = start + 8 * 60_000; // 2 minutes before expiry: still good
    assert.equal((await provider.get()).token, 'tok-1');
    now = start + 9 * 60_000 + 1; // inside the 60 s skew
    assert.equal((await provider.get()).token, 'tok-2');
    assert.equal(runs(countFile), 2);
    const info = JSON.parse(readFileSync(`${countFile}.info`, 'utf8')) as { kind: string; spec: { interactive: boolean } };
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.spec.interactive, false);
  });

  it('a credential already expired when returned is not reused', async () => {
    const countFile = path.join(tmp.dir, 'expired.count');
    const provider = new ExecCredentialProvider({
      context: 'c',
      exec: execConfig(counting, { COUNT_FILE: countFile, EXPIRY: '2001-01-01T00:00:00Z' }),
    });
    await provider.get();
    await provider.get();
    assert.equal(runs(countFile), 2);
  });

  describe('through a context client', () => {
    let server: LoopbackApiServer;
    before(async () => {
      // Rejects tok-1 as if it had been revoked; accepts any later token.
      server = await startLoopbackApiServer(
        (request, response) => {
          const auth = request.headers.authorization ?? '';
          const revoked = request.url?.includes('revoked') && auth === 'Bearer tok-1';
          if (!auth.startsWith('Bearer tok-') || revoked) sendJson(response, 401, failureStatus(401, 'Unauthorized', 'Unauthorized'));
          else sendJson(response, 200, namespaceList('exec'));
        },
        { name: 'exec' },
      );
    });
    after(() => server.close());

    const clientFor = (countFile: string): ContextClient => {
      const file = tmp.writeKubeconfig(`${path.basename(countFile)}.yaml`, {
        clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority-data': server.caData } }],
        users: [
          { name: 'u', user: { exec: { apiVersion: API_VERSION, command: counting, env: [{ name: 'COUNT_FILE', value: countFile }] } } },
        ],
        contexts: [{ name: 'exec-ctx', context: { cluster: 'c', user: 'u' } }],
      });
      const [resolved] = loadKubeconfig({ kubeconfigPath: file }).contexts;
      assert.ok(resolved);
      return new ContextClient(resolved);
    };

    it('20 concurrent requests on a cold cache run the plugin once and all carry its token', async () => {
      const countFile = path.join(tmp.dir, 'concurrent.count');
      const client = clientFor(countFile);
      try {
        const api = client.makeApi(CoreV1Api);
        const before = server.requests.length;
        const lists = await Promise.all(Array.from({ length: 20 }, () => api.listNamespace()));
        assert.equal(lists.length, 20);
        assert.equal(runs(countFile), 1);
        const sent = server.requests.slice(before);
        assert.equal(sent.length, 20);
        assert.ok(sent.every((r) => r.authorization === 'Bearer tok-1'));
      } finally {
        await client.close();
      }
    });

    it('a 401 drops the cached credential so the next request runs the plugin again', async () => {
      const countFile = path.join(tmp.dir, 'revoked.count');
      const client = clientFor(countFile);
      try {
        const first = await client.fetch('/api/v1/namespaces?revoked=1');
        assert.equal(first.status, 401);
        await first.text();
        const second = await client.getJson<{ items: unknown[] }>('/api/v1/namespaces?revoked=1');
        assert.equal(second.items.length, 1);
        assert.equal(runs(countFile), 2);
        // And through a generated client: the error classifies as auth, and the retry succeeds.
        const api = client.makeApi(CoreV1Api);
        assert.equal((await api.listNamespace()).items.length, 1);
        assert.equal(runs(countFile), 2, 'a valid cached token is kept');
      } finally {
        await client.close();
      }
    });

    it('a 401 on a generated call classifies as auth and also refreshes the credential', async () => {
      const countFile = path.join(tmp.dir, 'revoked-api.count');
      const client = clientFor(countFile);
      try {
        const api = client.makeApi(CoreV1Api);
        // listNamespace with a labelSelector lets the path carry "revoked".
        const error: unknown = await api.listNamespace({ labelSelector: 'revoked' }).catch((e: unknown) => e);
        assert.equal(classifyError(error, { context: 'exec-ctx' }).kind, 'auth');
        assert.equal((await api.listNamespace({ labelSelector: 'revoked' })).items.length, 1);
        assert.equal(runs(countFile), 2);
      } finally {
        await client.close();
      }
    });
  });
});
