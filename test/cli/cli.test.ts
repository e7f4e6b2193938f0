import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.ts';

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
    assert.match(r.stdout, /Usage: mesh-tui <command>/);
    assert.match(r.stdout, /\n {2}scenarios {2}/);
    assert.match(r.stdout, /\n {2}sim {8}/);
  });

  it('prints a command\'s own options with --help', async () => {
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
