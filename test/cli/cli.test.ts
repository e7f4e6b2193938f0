import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { launcher, runCli } from '../helpers/cli.ts';
import { loadBuiltinScenario } from '../../src/sim/scenario/load.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('mesh-tui command line', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), `mesh-tui ${pkg.version}`);
  });

  it('prints help that lists its commands', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: mesh-tui \[options\] +the live console/);
    assert.match(r.stdout, /\n {7}mesh-tui <command> \[options\]/);
    assert.match(r.stdout, /\n {2}scenarios {2}/);
    assert.match(r.stdout, /\n {2}sim {8}/);
  });

  it("--help's examples name contexts that the example scenario really has", async () => {
    const r = await runCli(['--help']);
    const examples = r.stdout.slice(r.stdout.indexOf('Try it without a cluster:'));
    const scenario = /--scenario (\S+)/.exec(examples)?.[1];
    assert.ok(scenario, examples);
    const contexts = (await loadBuiltinScenario(scenario)).clusters.map((c) => c.context);
    const named = [...examples.matchAll(/--context (\S+)/g)].map((m) => m[1]);
    assert.ok(named.length > 0, examples);
    for (const context of named)
      assert.ok(contexts.includes(context ?? ''), `--context ${context}: ${scenario} has ${contexts.join(', ')}`);
  });

  it('a reader that stops early (`| head`) ends the output quietly: no stack trace', async () => {
    const child = spawn(launcher, ['scenarios', '--output', 'json']);
    child.stdout.destroy(); // the pipe closes before anything is written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await once(child, 'close');
    assert.equal(stderr, '');
  });

  it("prints a command's own options with --help", async () => {
    const r = await runCli(['sim', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--kubeconfig-out FILE/);
  });

  it('rejects an unknown flag with exit code 2 and names it', async () => {
    const r = await runCli(['--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option "--frobnicate"/);
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown flag of a command with exit code 2', async () => {
    const r = await runCli(['sim', '--scenaro', 'healthy']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /sim: unknown option "--scenaro"/);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await runCli(['simulate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "simulate"/);
  });

  it('asks for a scenario when sim is given none', async () => {
    const r = await runCli(['sim', '--kubeconfig-out', '/tmp/never-written']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exactly one of --scenario NAME or --scenario-file PATH/);
  });
});
