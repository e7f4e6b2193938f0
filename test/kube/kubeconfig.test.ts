import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import { KubeconfigError } from '../../src/kube/kubeconfigError.ts';
import { makeTempDir, type TempDir } from './kubeconfigFixtures.ts';

const SECRET_TOKEN = 'tok-SECRET-1234567890';
const SECRET_KEY_DATA = 'S0VZLVNFQ1JFVA=='; // "KEY-SECRET"
const SECRET_ENV = 'env-SECRET-value';

function expectKubeconfigError(run: () => unknown, kind: KubeconfigError['kind']): KubeconfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof KubeconfigError, `expected KubeconfigError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    for (const secret of [SECRET_TOKEN, SECRET_KEY_DATA, SECRET_ENV]) assert.ok(!error.message.includes(secret), error.message);
    return error;
  }
  assert.fail(`expected a ${kind} KubeconfigError`);
}

describe('loadKubeconfig: where it reads from', () => {
  let tmp: TempDir;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.remove());

  it('never falls back to localhost:8080: no KUBECONFIG and no ~/.kube/config is an error naming the path', () => {
    const home = path.join(tmp.dir, 'empty-home');
    const error = expectKubeconfigError(() => loadKubeconfig({ env: {}, homeDir: home }), 'noConfig');
    assert.match(error.message, /empty-home\/\.kube\/config does not exist/);
  });

  it('reads ~/.kube/config when KUBECONFIG is not set', () => {
    tmp.writeKubeconfig('home/.kube/config', {
      clusters: [{ name: 'c', cluster: { server: 'https://home.example:6443' } }],
      users: [{ name: 'u', user: { token: SECRET_TOKEN } }],
      contexts: [{ name: 'home-ctx', context: { cluster: 'c', user: 'u' } }],
    });
    const loaded = loadKubeconfig({ env: {}, homeDir: path.join(tmp.dir, 'home') });
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['home-ctx'],
    );
    assert.equal(loaded.contexts[0]?.cluster.server, 'https://home.example:6443');
  });

  it('--kubeconfig wins over KUBECONFIG, and a missing --kubeconfig file is an error naming it', () => {
    const flagged = tmp.writeKubeconfig('flag.yaml', {
      clusters: [{ name: 'c', cluster: { server: 'https://flag.example' } }],
      contexts: [{ name: 'flag-ctx', context: { cluster: 'c' } }],
    });
    const envFile = tmp.writeKubeconfig('env.yaml', {
      clusters: [{ name: 'c', cluster: { server: 'https://env.example' } }],
      contexts: [{ name: 'env-ctx', context: { cluster: 'c' } }],
    });
    const loaded = loadKubeconfig({ kubeconfigPath: flagged, env: { KUBECONFIG: envFile } });
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['flag-ctx'],
    );
    const missing = path.join(tmp.dir, 'nope.yaml');
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: missing, env: {} }), 'unreadableFile');
    assert.equal(error.file, missing);
    assert.match(error.message, /nope\.yaml: no such file/);
  });

  it('a KUBECONFIG where no file exists is "no config", naming the files', () => {
    const a = path.join(tmp.dir, 'gone-a');
    const error = expectKubeconfigError(() => loadKubeconfig({ env: { KUBECONFIG: `${a}:` } }), 'noConfig');
    assert.match(error.message, /gone-a/);
  });
});

describe('loadKubeconfig: merging several files like kubectl', () => {
  let tmp: TempDir;
  let first: string;
  let second: string;
  let missing: string;
  before(() => {
    tmp = makeTempDir();
    first = tmp.writeKubeconfig('first/config', {
      clusters: [{ name: 'shared-cluster', cluster: { server: 'https://first.example', 'certificate-authority': 'certs/ca.crt' } }],
      users: [{ name: 'admin', user: { token: 'first-token' } }],
      contexts: [
        { name: 'east', context: { cluster: 'shared-cluster', user: 'admin', namespace: 'istio-system' } },
        { name: 'dup', context: { cluster: 'shared-cluster', user: 'admin' } },
      ],
    });
    tmp.write('first/certs/ca.crt', 'not really a CA');
    second = tmp.writeKubeconfig('second/config', {
      clusters: [
        { name: 'shared-cluster', cluster: { server: 'https://second.example' } },
        { name: 'west-cluster', cluster: { server: 'https://west.example', 'certificate-authority': 'ca/west.crt' } },
      ],
      users: [
        { name: 'admin', user: { token: 'second-token' } },
        {
          name: 'west-user',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/plugin', args: ['token'] } },
        },
      ],
      contexts: [
        { name: 'west', context: { cluster: 'west-cluster', user: 'west-user' } },
        { name: 'dup', context: { cluster: 'west-cluster', user: 'west-user' } },
        { name: 'second-admin', context: { cluster: 'shared-cluster', user: 'admin' } },
      ],
      'current-context': 'west',
    });
    tmp.write('second/ca/west.crt', 'not really a CA either');
    missing = path.join(tmp.dir, 'missing/config');
  });
  after(() => tmp.remove());

  it("takes the first definition of every name, keeps each context's file, and records what was shadowed", () => {
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [first, missing, second].join(':') } });
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['east', 'dup', 'west', 'second-admin'],
    );
    const byName = new Map(loaded.contexts.map((c) => [c.name, c]));
    assert.equal(byName.get('dup')?.file, first, 'first file wins for a context name');
    assert.equal(byName.get('dup')?.cluster.server, 'https://first.example');
    // A context from the second file that names a cluster/user the first file also defines gets the first's.
    assert.equal(byName.get('second-admin')?.file, second);
    assert.equal(byName.get('second-admin')?.cluster.server, 'https://first.example');
    assert.equal(byName.get('second-admin')?.user.token, 'first-token');
    assert.equal(byName.get('second-admin')?.clusterFile, first);
    assert.equal(byName.get('east')?.namespace, 'istio-system');
    assert.deepEqual(loaded.shadowed.map((s) => `${s.kind}/${s.name}`).sort(), ['cluster/shared-cluster', 'context/dup', 'user/admin']);
  });

  it('skips a missing KUBECONFIG file like kubectl, but says so', () => {
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [first, missing, second].join(':') } });
    assert.deepEqual(loaded.files, [first, second]);
    assert.deepEqual(loaded.skippedFiles, [missing]);
  });

  it('takes current-context from the first file that sets one', () => {
    const third = tmp.writeKubeconfig('third/config', { 'current-context': 'east' });
    assert.equal(loadKubeconfig({ env: { KUBECONFIG: [first, second, third].join(':') } }).currentContext, 'west');
    assert.equal(loadKubeconfig({ env: { KUBECONFIG: [third, first, second].join(':') } }).currentContext, 'east');
  });

  it("resolves relative certificate and exec command paths against the defining file's directory", () => {
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [first, second].join(':') }, contexts: ['east', 'west'] });
    const [east, west] = loaded.contexts;
    assert.equal(east?.cluster.caFile, path.join(tmp.dir, 'first/certs/ca.crt'));
    assert.equal(west?.cluster.caFile, path.join(tmp.dir, 'second/ca/west.crt'));
    assert.equal(west?.exec?.command, path.join(tmp.dir, 'second/bin/plugin'));
    assert.equal(west?.user.exec, undefined, 'client-node never sees the exec section');
  });

  it('selects one context with --context and a list with --contexts, in the order given', () => {
    const env = { KUBECONFIG: [first, second].join(':') };
    assert.deepEqual(
      loadKubeconfig({ env, context: 'west' }).contexts.map((c) => c.name),
      ['west'],
    );
    assert.deepEqual(
      loadKubeconfig({ env, contexts: ['west', ' east ', 'west'] }).contexts.map((c) => c.name),
      ['west', 'east'],
    );
  });

  it('an unknown context name is an error listing the known ones', () => {
    const error = expectKubeconfigError(
      () => loadKubeconfig({ env: { KUBECONFIG: [first, second].join(':') }, contexts: ['east', 'north'] }),
      'unknownContext',
    );
    assert.equal(error.entry?.name, 'north');
    assert.match(error.message, /context "north" not found/);
    assert.match(error.message, /east, dup, west, second-admin/);
  });
});

describe('loadKubeconfig: broken files and entries', () => {
  let tmp: TempDir;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.remove());

  it('invalid YAML names the file and position but never quotes its lines', () => {
    const file = tmp.write(
      'bad.yaml',
      `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${SECRET_TOKEN}\n   client-key-data: ${SECRET_KEY_DATA}\n`,
    );
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: file }), 'invalidYaml');
    assert.equal(error.file, file);
    assert.match(error.message, /bad\.yaml is not valid YAML: .* at line \d+, column \d+/);
  });

  it('a top level that is not a mapping is invalid', () => {
    const file = tmp.write('list.yaml', '- a\n- b\n');
    expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: file }), 'invalidYaml');
  });

  it('a KUBECONFIG entry that exists but cannot be read is an error naming it', () => {
    // A directory: unreadable as a file even for root, which ignores permission bits.
    const dir = path.join(tmp.dir, 'a-directory');
    tmp.write('a-directory/placeholder', '');
    const error = expectKubeconfigError(() => loadKubeconfig({ env: { KUBECONFIG: dir } }), 'unreadableFile');
    assert.equal(error.file, dir);
    assert.match(error.message, /cannot read kubeconfig .*a-directory: is a directory/);
  });

  const broken = (): string =>
    tmp.writeKubeconfig('broken.yaml', {
      clusters: [
        { name: 'good', cluster: { server: 'https://good.example' } },
        { name: 'serverless', cluster: { 'certificate-authority-data': 'Zm9v' } },
      ],
      users: [
        { name: 'u', user: { token: SECRET_TOKEN, 'client-key-data': SECRET_KEY_DATA } },
        { name: 'x', user: { exec: { command: 'aws', env: [{ name: 'AWS_SECRET', value: SECRET_ENV }] } } },
      ],
      contexts: [
        { name: 'ok', context: { cluster: 'good', user: 'u' } },
        { name: 'no-cluster', context: { cluster: 'ghost', user: 'u' } },
        { name: 'no-user', context: { cluster: 'good', user: 'phantom' } },
        { name: 'no-server', context: { cluster: 'serverless', user: 'x' } },
      ],
    });

  it('a context whose cluster is missing names the context, the cluster and the file', () => {
    const file = broken();
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: file, context: 'no-cluster' }), 'missingCluster');
    assert.equal(error.file, file);
    assert.deepEqual(error.entry, { kind: 'context', name: 'no-cluster' });
    assert.match(error.message, /context "no-cluster" in .*broken\.yaml refers to cluster "ghost"/);
  });

  it('a context whose user is missing names the context and the user', () => {
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: broken(), context: 'no-user' }), 'missingUser');
    assert.match(error.message, /context "no-user" .* user "phantom"/);
  });

  it('a cluster without server names the cluster and the context using it', () => {
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: broken(), contexts: ['no-server'] }), 'noServer');
    assert.deepEqual(error.entry, { kind: 'cluster', name: 'serverless' });
    assert.match(error.message, /cluster "serverless" in .*broken\.yaml has no server \(used by context "no-server"\)/);
  });

  it('with every context selected, broken ones are reported and the good ones still load', () => {
    const loaded = loadKubeconfig({ kubeconfigPath: broken() });
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['ok'],
    );
    assert.deepEqual(
      loaded.invalidContexts.map((e) => [e.context, e.kind]),
      [
        ['no-cluster', 'missingCluster'],
        ['no-user', 'missingUser'],
        ['no-server', 'noServer'],
      ],
    );
    for (const error of loaded.invalidContexts) {
      for (const secret of [SECRET_TOKEN, SECRET_KEY_DATA, SECRET_ENV]) assert.ok(!error.message.includes(secret));
    }
  });

  it('a certificate file that cannot be read makes that context invalid, naming the field', () => {
    const file = tmp.writeKubeconfig('certs.yaml', {
      clusters: [{ name: 'c', cluster: { server: 'https://c.example', 'certificate-authority': 'missing-ca.crt' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c' } }],
    });
    const error = expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: file, context: 'ctx' }), 'unreadableFile');
    assert.match(error.message, /certificate-authority .*missing-ca\.crt of cluster "c"/);
  });

  it('a server that is not an https:// URL makes that context invalid at load, quoting it without credentials', () => {
    const file = tmp.writeKubeconfig('schemes.yaml', {
      clusters: [
        { name: 'ftp', cluster: { server: 'ftp://files.example/k8s' } },
        { name: 'bare', cluster: { server: '10.0.0.1:6443' } },
        { name: 'named', cluster: { server: 'api.example:6443' } },
        { name: 'plain', cluster: { server: 'http://127.0.0.1:8001' } },
        { name: 'nohost', cluster: { server: 'https://' } },
        { name: 'creds', cluster: { server: `ftp://admin:${SECRET_TOKEN}@files.example` } },
        { name: 'proxy', cluster: { server: 'http://127.0.0.1:8001', 'insecure-skip-tls-verify': true } },
        { name: 'good', cluster: { server: 'https://good.example:6443/k8s/clusters/c-1' } },
      ],
      contexts: ['ftp', 'bare', 'named', 'plain', 'nohost', 'creds', 'proxy', 'good'].map((name) => ({ name, context: { cluster: name } })),
    });
    const loaded = loadKubeconfig({ kubeconfigPath: file });
    // kubectl proxy style (http:// with insecure-skip-tls-verify) is what client-node accepts too.
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['proxy', 'good'],
    );
    const messages = new Map(loaded.invalidContexts.map((e) => [e.context, e.message]));
    assert.match(
      messages.get('ftp') ?? '',
      /^server "ftp:\/\/files\.example\/k8s" of cluster "ftp" must be an https:\/\/ URL \(in .*schemes\.yaml, used by context "ftp"\)$/,
    );
    assert.match(messages.get('bare') ?? '', /^server "10\.0\.0\.1:6443" of cluster "bare" must be an https:\/\/ URL/);
    assert.match(messages.get('named') ?? '', /^server "api\.example:6443" of cluster "named" must be an https:\/\/ URL/);
    assert.match(
      messages.get('plain') ?? '',
      /^server "http:\/\/127\.0\.0\.1:8001" of cluster "plain" must be an https:\/\/ URL \(plain http:\/\/ only with insecure-skip-tls-verify: true; in /,
    );
    assert.match(messages.get('nohost') ?? '', /^server "https:\/\/" of cluster "nohost" must be an https:\/\/ URL/);
    assert.match(messages.get('creds') ?? '', /^server "ftp:\/\/…@files\.example" of cluster "creds"/);
    for (const message of messages.values()) assert.ok(!message.includes(SECRET_TOKEN));
    assert.ok(loaded.invalidContexts.every((e) => e.kind === 'badServer'));
  });

  it('a file with no contexts at all is an error', () => {
    const file = tmp.writeKubeconfig('empty.yaml', {});
    expectKubeconfigError(() => loadKubeconfig({ kubeconfigPath: file }), 'noContexts');
  });
});
