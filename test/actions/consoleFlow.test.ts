// The console's guided-action flow end to end, as an on-call engineer drives it: the real App in
// a fake terminal, fed by a live LiveMesh watching the simulator and the real findings feed.
// Select the finding (filter to it), `x`, read the diff and the dry run, `y`, read the results,
// Esc — and the watches bring the change back until the finding is gone, without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { App } from '../../screens/App.ts';
import { createFindingsFeed } from '../../src/console/findingsFeed.ts';
import { createUiStore } from '../../src/console/uiStore.ts';
import type { ConsoleServices } from '../../src/console/services.ts';
import { createConsoleActions } from '../../src/actions/consoleActions.ts';
import { KEYS, renderTerminal, type Terminal } from '../helpers/inkHarness.ts';
import { getObject } from '../feeds/simChanges.ts';
import { ISTIO_NS, startLiveScenario, type LiveScenario } from './actionsHarness.ts';

const h = React.createElement;
const WAIT_MS = 45_000;

async function openConsole(
  name: string,
): Promise<{ live: LiveScenario; term: Terminal; services: ConsoleServices; stop(): Promise<void> }> {
  const live = await startLiveScenario(name);
  const findings = createFindingsFeed({ mesh: live.mesh.store, istioNamespace: ISTIO_NS, precheck: false });
  findings.start();
  const services: ConsoleServices = {
    mesh: live.mesh.store.api,
    findings: findings.store,
    ui: createUiStore(),
    options: { readOnly: false, istioNamespace: ISTIO_NS, precheck: false, invalidContexts: [], source: `test: ${name}` },
    rerunChecks: () => void findings.rerun(),
    quit: () => undefined,
    actions: createConsoleActions({
      mesh: live.mesh.store.api,
      findings: findings.store,
      istioNamespace: ISTIO_NS,
      env: live.env,
      rerun: () => findings.rerun(),
    }),
  };
  // `r` as console.ts wires it: through the actions, which then show what changed.
  services.rerunChecks = () => services.actions?.rerunChecks?.();
  const term = renderTerminal(h(App, { services }), { columns: 140, rows: 40 });
  return {
    live,
    term,
    services,
    async stop() {
      await term.unmount();
      services.actions?.stop?.();
      findings.stop();
      await live.stop();
    },
  };
}

async function filterTo(term: Terminal, text: string): Promise<void> {
  await term.press('/');
  await term.type(text);
  await term.press(KEYS.enter);
}

test('console: select the network finding, x, confirm with y — the label changes and the finding goes away by itself', async () => {
  const run = await openConsole('network-mismatch');
  const { term, live } = run;
  try {
    await term.waitForFrame((f) => /fail +MC-NET-001/.test(f), WAIT_MS);
    // Root causes come first: the namespace's fail is the first MC-NET-001 row.
    await filterTo(term, 'MC-NET-001');
    await term.press('x');
    const confirm = await term.waitForFrame((f) => f.includes('[confirm]'), WAIT_MS);
    assert.match(confirm, /Guided action: relabel cluster-west to network west-net \[confirm\]/);
    assert.match(confirm, /context cluster-west/);
    assert.match(confirm, /~ Namespace istio-system: metadata\.labels\["topology\.istio\.io\/network"\] "west-network" -> "west-net"/);
    assert.match(confirm, /accepted {2}cluster-west {2}Namespace istio-system/);
    assert.match(confirm, /y apply {2}n\/Esc cancel/);
    const ns = getObject(live.sim.sim.cluster('cluster-west'), 'v1', 'Namespace', undefined, ISTIO_NS);
    assert.equal(ns.metadata.labels?.['topology.istio.io/network'], 'west-network', 'nothing changed before y');

    await term.press('y');
    const done = await term.waitForFrame((f) => f.includes('[done]'), WAIT_MS);
    assert.match(done, /applied {3}cluster-west {2}Namespace istio-system/);
    assert.match(done, /To undo what was applied:/);
    await term.press(KEYS.escape);
    await term.press(KEYS.escape); // clears the filter
    // The watch brings the new label back, the checks run again, and the row is gone.
    await live.waitForFindings('MC-NET-001', 'cluster-west', (fs) => fs.every((f) => f.severity === 'pass'), 'MC-NET-001 to pass');
    await term.waitForFrame((f) => f.includes('1 Overview') && !/fail +MC-NET-001/.test(f) && !f.includes('Guided action'), WAIT_MS);
    // r: re-run the checks and see what changed since the last run (the console's first evaluation).
    await term.press('r');
    const changes = await term.waitForFrame((f) => f.includes('what changed since the last run [done]'), WAIT_MS);
    assert.match(changes, /cleared +MC-NET-001 cluster-west Namespace istio-system/);
    assert.match(
      changes,
      /cluster-west:\n +\S+ {2}Namespace istio-system {2}label topology\.istio\.io\/network "west-network" -> "west-net"/,
    );
    await term.press(KEYS.escape);
    const entries = await live.auditEntries();
    // One dry run for the confirm screen, one more right before the write, then the write.
    assert.deepEqual(
      entries.map((e) => `${e.phase} ${e.result}`),
      ['dry-run accepted', 'dry-run accepted', 'apply applied'],
    );
  } finally {
    await run.stop();
  }
});

test('console: a user who may not delete WorkloadEntries sees the missing permission, and nothing is deleted', async () => {
  const run = await openConsole('stale-autogenflat');
  const { term, live } = run;
  try {
    live.sim.sim
      .cluster('cluster-east')
      .faults.forbid('admin', { verb: 'delete', resource: 'workloadentries', group: 'networking.istio.io' });
    await term.waitForFrame((f) => /fail +MC-WE-001/.test(f), WAIT_MS);
    await filterTo(term, 'stale workload:');
    await term.press('x');
    const blocked = await term.waitForFrame((f) => f.includes('[cannot apply]'), WAIT_MS);
    assert.match(blocked, /Missing permissions \(nothing was dry-run or changed\):/);
    assert.match(blocked, /cluster-east: cannot delete workloadentries\.networking\.istio\.io in istio-system/);
    assert.match(blocked, /a every stale entry/);
    // Every stale entry of the context, still refused for the same reason.
    await term.press('a');
    const all = await term.waitForFrame(
      (f) => f.includes('delete 2 stale WorkloadEntries in cluster-east') && f.includes('[cannot apply]'),
      WAIT_MS,
    );
    assert.match(all, /a only the selected entry/);
    await term.press('y'); // not a confirm screen: y does nothing
    await term.press(KEYS.escape);
    await term.waitForFrame((f) => !f.includes('Guided action'), WAIT_MS);
    const east = live.sim.sim.cluster('cluster-east');
    const weType = east.registry.anyByKind('networking.istio.io/v1', 'WorkloadEntry')!;
    for (const name of ['q8m4z', 'x2x7k']) {
      assert.ok(
        east.store.get(weType, ISTIO_NS, `autogenflat.west.bookinfo.reviews-7d9c6b4f8b-${name}.29b5948be416`),
        `${name} still there`,
      );
    }
  } finally {
    await run.stop();
  }
});
