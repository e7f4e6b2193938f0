// A kubeconfig entry that can never work is `invalid`, said once with what to fix in which file —
// the same words in `--once` and `status` — and never dressed up as a network problem.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir, type TempDir } from '../kube/kubeconfigFixtures.ts';

describe('invalid kubeconfig contexts', () => {
  let tmp: TempDir;
  let file: string;
  before(() => {
    tmp = makeTempDir('mesh-tui-invalid-');
    file = tmp.writeKubeconfig('config', {
      clusters: [
        { name: 'legacy', cluster: { server: 'ftp://files.example/k8s' } },
        { name: 'bare', cluster: { server: '10.1.2.3:6443' } },
        { name: 'no-ca', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': 'ca-that-was-deleted.crt' } },
        // Port 1: refused at once, so the one usable context settles quickly.
        { name: 'down', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'u', user: { token: 'not-a-secret' } }],
      contexts: ['legacy', 'bare', 'no-ca', 'down'].map((name) => ({ name, context: { cluster: name, user: 'u' } })),
    });
  });
  after(() => tmp.remove());

  const expected: [string, RegExp][] = [
    ['bare', /^invalid: server "10\.1\.2\.3:6443" of cluster "bare" must be an https:\/\/ URL \(in .*config, used by context "bare"\)$/],
    [
      'legacy',
      /^invalid: server "ftp:\/\/files\.example\/k8s" of cluster "legacy" must be an https:\/\/ URL \(in .*config, used by context "legacy"\)$/,
    ],
    ['no-ca', /^invalid: certificate-authority .*ca-that-was-deleted\.crt of cluster "no-ca" .* cannot be read$/],
  ];

  it('--once: each is `invalid` with what is wrong, once', async () => {
    const r = await runCli(['--once', '--kubeconfig', file, '--timeout', '5', '--output', 'json']);
    const report = JSON.parse(r.stdout) as { contexts: { context: string; status: string; detail: string }[] };
    for (const [context, detail] of expected) {
      const c = report.contexts.find((x) => x.context === context);
      assert.equal(c?.status, 'invalid', `${context}: ${c?.detail ?? 'missing'}`);
      assert.match(c.detail, detail);
    }
    assert.equal(r.code, 3, r.stderr);
  });

  it('status: the same word and the same reason, in text and JSON', async () => {
    const json = await runCli(['status', '--kubeconfig', file, '--timeout', '5', '--output', 'json']);
    const report = JSON.parse(json.stdout) as { contexts: { context: string; status: string }[] };
    for (const [context, detail] of expected) {
      const c = report.contexts.find((x) => x.context === context);
      assert.match(c?.status ?? 'missing', detail, context);
    }
    const text = await runCli(['status', '--kubeconfig', file, '--timeout', '5']);
    for (const [context] of expected) assert.match(text.stdout, new RegExp(`^${context} +<unknown> +invalid: `, 'm'));
    assert.equal(text.code, 3, text.stderr);
  });
});
