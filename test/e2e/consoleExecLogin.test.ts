// An exec credential plugin that must ask the user something (`interactiveMode: Always`, a
// password prompt): the console hands it the real terminal — alternate screen left, the prompt
// readable, what is typed reaches the plugin — and takes the screen back once it answered, the
// context then ready with the credential it printed. Nothing of the plugin is printed over the screen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { TmuxTerminal, tmuxAvailable } from '../helpers/tmux.ts';
import { startScenario, type TestSimulator } from '../helpers/simulator.ts';

const skip = tmuxAvailable() ? false : 'tmux is not installed (test/tools/ensure-tmux.sh)';

const LOGIN_SCRIPT = `#!/bin/sh
printf 'e2e-login: password for %s: ' "$2" >&2
read -r password
if [ "$password" = "s3cret" ]; then
  printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$1"
else
  echo 'e2e-login: wrong password' >&2
  exit 1
fi
`;

interface KubeconfigYaml {
  users: { name: string; user: Record<string, unknown> }[];
}

describe('an exec plugin that needs an interactive login', { skip, timeout: 300_000 }, () => {
  let sim: TestSimulator;
  let terminal: TmuxTerminal | undefined;
  let kubeconfig: string;

  before(async () => {
    sim = await startScenario('healthy');
    const script = join(sim.dir, 'e2e-login.sh');
    await writeFile(script, LOGIN_SCRIPT);
    await chmod(script, 0o755);
    const config = load(await readFile(sim.kubeconfigPath, 'utf8')) as KubeconfigYaml;
    for (const user of config.users) {
      const token = user.user.token;
      assert.equal(typeof token, 'string');
      user.user = {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: script, args: [token, user.name], interactiveMode: 'Always' },
      };
    }
    kubeconfig = join(sim.dir, 'exec-kubeconfig');
    await writeFile(kubeconfig, dump(config), { mode: 0o600 });
  });
  after(async () => {
    terminal?.close();
    await sim.stop();
  });

  it('suspends the screen for the prompt, passes the typed password, and resumes with the context ready', async () => {
    terminal = await TmuxTerminal.open({ columns: 100, rows: 30 });
    const term = terminal;
    term.run(`bin/mesh-tui --kubeconfig ${kubeconfig} --context cluster-east; echo "exit=$?"`);
    const prompt = await term.waitForScreen((s) => /e2e-login: password for \S+: *$/m.test(s), {
      what: "the plugin's password prompt",
      timeoutMs: 60_000,
    });
    assert.match(prompt, /mesh-tui: an exec credential plugin needs you to log in/);
    assert.equal(term.alternateOn(), false, 'the prompt is on the main screen, not under the console');
    term.type('s3cret');
    term.press('Enter');
    await term.waitForScreen((s) => /cluster-east +ready/.test(s), { what: 'the console back, cluster-east ready', timeoutMs: 60_000 });
    assert.equal(term.alternateOn(), true);
    assert.doesNotMatch(term.screen(), /e2e-login/, 'nothing of the plugin over the screen');
    term.press('q');
    await term.waitForScreen((s) => /^exit=0$/m.test(s), { what: 'exit=0' });
  });
});
