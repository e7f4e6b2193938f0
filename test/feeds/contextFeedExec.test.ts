// Contexts whose user runs an exec credential plugin (a small shell script): one that works,
// one that fails until it is "logged in", one that hangs, one that is not installed. Each
// context's status shows what its plugin said; the others are unaffected.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';
import { startFeeds, TEST_WATCH_OPTIONS, type FeedRun } from './feedHarness.ts';

const EAST = 'cluster-east';
const WEST = 'cluster-west';

describe('ContextFeed with exec credential plugins', () => {
  let sim: TestSimulator;
  let run: FeedRun;
  let dir: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  function script(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startScenario('healthy', { bookmarkIntervalMs: 200 });
    dir = sim.dir;
    const entries = sim.sim.kubeconfigEntries();
    const entry = (context: string): (typeof entries)[number] => entries.find((e) => e.context === context)!;
    const credential = (token: string): string =>
      JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token } });
    writeFileSync(join(dir, 'east-credential.json'), credential(entry(EAST).token));
    const plugins = {
      'exec-ok': script('plugin-ok.sh', `cat "${dir}/east-credential.json"`),
      'exec-failing': script(
        'plugin-login.sh',
        `if [ -f "${dir}/logged-in" ]; then cat "${dir}/east-credential.json"; else echo "error: SSO ` +
          `session for profile oncall expired; run aws sso login" >&2; exit 1; fi`,
      ),
      'exec-hanging': script('plugin-hang.sh', 'sleep 30'),
      'exec-missing': join(dir, 'not-installed', 'kube-login-plugin'),
    };
    const clusterOf: Record<string, string> = { 'exec-ok': EAST, 'exec-failing': EAST, 'exec-hanging': WEST, 'exec-missing': WEST };
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': WEST,
      clusters: [EAST, WEST].map((c) => ({
        name: c,
        cluster: { server: entry(c).server, 'certificate-authority-data': Buffer.from(entry(c).caPem).toString('base64') },
      })),
      users: [
        { name: 'west-token', user: { token: entry(WEST).token } },
        ...Object.entries(plugins).map(([context, command]) => ({
          name: `${context}-user`,
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, interactiveMode: 'Never' } },
        })),
      ],
      contexts: [
        { name: WEST, context: { cluster: WEST, user: 'west-token' } },
        ...Object.keys(plugins).map((context) => ({ name: context, context: { cluster: clusterOf[context], user: `${context}-user` } })),
      ],
    };
    const path = join(dir, 'exec-kubeconfig');
    writeFileSync(path, dump(kubeconfig), { mode: 0o600 });
    // Failing plugins are run again on every retry of every watch: slower retries keep the
    // machine (and with it the healthy contexts' watches) from drowning in plugin processes.
    run = startFeeds(path, {
      client: { execTimeoutMs: 3_000 },
      contextFeed: { watch: { ...TEST_WATCH_OPTIONS, stallTimeoutMs: 5_000, backoff: { initialMs: 300, maxMs: 1_500 } } },
    });
  });
  after(async () => {
    await run.stop();
    await sim.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('a working plugin: ready, and the store holds what the cluster serves', async () => {
    await run.waitStatus('exec-ok', (s) => s === 'ready', 'ready');
    await run.waitStatus(WEST, (s) => s === 'ready', 'ready');
  });

  it('a failing plugin: auth failed, with what the plugin printed', async () => {
    await run.waitStatus(
      'exec-failing',
      (s) => s.startsWith('auth failed') && s.includes('SSO session for profile oncall expired'),
      'the plugin message',
    );
  });

  it('a hanging plugin: auth failed, saying it did not answer in time', async () => {
    await run.waitStatus('exec-hanging', (s) => s.startsWith('auth failed') && s.includes('did not answer within'), 'the plugin timeout');
  });

  it('a missing plugin: auth failed, naming the plugin', async () => {
    await run.waitStatus('exec-missing', (s) => s.startsWith('auth failed') && s.includes('kube-login-plugin'), 'the missing plugin');
  });

  it('a plugin that starts working (the user logged in) is noticed without a restart', async () => {
    writeFileSync(join(dir, 'logged-in'), '');
    await run.waitStatus('exec-failing', (s) => s === 'ready', 'ready after login');
    assert.ok(Object.keys(run.store.getState().contexts['exec-failing' as never]?.resources['namespaces']?.objects ?? {}).length > 0);
    // The broken plugins of other contexts changed nothing for the token context.
    await run.waitStatus(WEST, (s) => s === 'ready', 'still ready');
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});
