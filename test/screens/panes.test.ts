// Each pane in the console, as the user sees it: what the frame shows for a store filled by hand.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Evaluator } from '../../checks/evaluate.ts';
import { CHECKS } from '../../checks/registry.ts';
import type { PaneId } from '../../src/console/types.ts';
import { toSnapshot } from '../../src/store/snapshot.ts';
import { KEYS } from '../helpers/inkHarness.ts';
import { addHboneTimeouts, meshPod, setMeshPods, testConsole } from '../helpers/consoleServices.ts';
import type { TestConsole } from '../helpers/consoleServices.ts';
import { consoleScreen, selectedLine } from '../helpers/screenFixtures.ts';
import type { OpenConsole } from '../helpers/screenFixtures.ts';

const screen = consoleScreen();

function startOn(pane: PaneId, fill: (c: TestConsole) => void = () => {}, size = { columns: 80, rows: 24 }): OpenConsole {
  const console = testConsole({ ui: { pane } });
  fill(console);
  return screen.open(console, size);
}

afterEach(() => screen.close());

describe('pods pane', () => {
  it('shows the mesh pods of every context with kubectl columns', async () => {
    const { term } = startOn('pods', (c) => {
      setMeshPods(c, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-a', 'istio-system', { restarts: 3, node: 'worker-7' })]);
      setMeshPods(c, 'west', [meshPod('istiod-west-1', 'istio-system', { ready: false })]);
    });
    const frame = await term.waitForFrame((f) => f.includes('istiod-west-1'));
    assert.match(frame, /CONTEXT\s+NAMESPACE\s+NAME\s+READY\s+STATUS/);
    assert.match(lineOf(frame, 'ztunnel-east-a'), /east\s+istio-system\s+ztunnel-east-a\s+1\/1\s+Running/);
    assert.match(lineOf(frame, 'istiod-west-1'), /0\/1/);
  });

  it('keeps the selection on the same pod when a pod is added above it', async () => {
    const { term, console } = startOn('pods', (c) => {
      setMeshPods(c, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-b')]);
      setMeshPods(c, 'west', [meshPod('istiod-west-1')]);
    });
    await term.waitForFrame((f) => f.includes('istiod-west-1'));
    await term.press('j');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-b'));
    setMeshPods(console, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-a'), meshPod('ztunnel-east-b')]);
    await term.waitForFrame((f) => f.includes('ztunnel-east-a'));
    assert.match(selectedLine(term), /ztunnel-east-b/);
    assert.match(term.lines()[22] ?? '', /^3\/4/);
  });

  it('moves to the nearest row when the selected pod goes away', async () => {
    const { term, console } = startOn('pods', (c) => {
      setMeshPods(c, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-a'), meshPod('ztunnel-east-b')]);
      setMeshPods(c, 'west', []);
    });
    await term.waitForFrame((f) => f.includes('ztunnel-east-b'));
    await term.press('j');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-east-a'));
    setMeshPods(console, 'east', [meshPod('istiod-east-1'), meshPod('ztunnel-east-b')]);
    await term.waitForFrame(() => !term.frame().includes('ztunnel-east-a'));
    assert.match(selectedLine(term), /ztunnel-east-b/);
  });

  it('windows a long list: the frame stays 24 lines and the selection stays in view', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `ztunnel-${String(i).padStart(3, '0')}`);
    const { term } = startOn('pods', (c) => {
      setMeshPods(
        c,
        'east',
        names.map((n) => meshPod(n)),
      );
      setMeshPods(c, 'west', []);
    });
    await term.waitForFrame((f) => f.includes('ztunnel-000'));
    await term.press(KEYS.pageDown);
    await term.press(KEYS.pageDown);
    await term.waitForFrame(() => /^\d+\/200/.test(term.lines()[22] ?? '') && !term.frame().includes('ztunnel-000'));
    await term.press('G');
    await term.waitForFrame(() => selectedLine(term).includes('ztunnel-199'));
    assert.match(term.lines()[22] ?? '', /^200\/200/);
    assert.deepEqual(term.stats(), { fullClears: 0, scrolls: 0 });
  });
});

describe('pods pane clock and detail', () => {
  it('ages move when the clock ticks (tests ask for it; by default the clock stands still)', async () => {
    let now = Date.parse('2026-01-10T12:00:00.000Z');
    const { term } = startOn('pods', (c) => {
      c.services.clock = { nowMs: () => now, tickMs: 20 };
      setMeshPods(c, 'east', [meshPod('istiod-east-1')]);
      setMeshPods(c, 'west', []);
    });
    await term.waitForFrame((f) => /istiod-east-1.*\b60m\b/.test(f));
    now += 2 * 3_600_000;
    await term.waitForFrame((f) => /istiod-east-1.*\b3h\b/.test(f));
  });

  it('the detail of a pod shows its Kubernetes events when the services can fetch them', async () => {
    const asked: string[] = [];
    const { term } = startOn('pods', (c) => {
      c.services.fetchEvents = (ref) => {
        asked.push(`${ref.context}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`);
        return Promise.resolve([
          { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 4, lastSeen: '' },
        ]);
      };
      setMeshPods(c, 'east', [meshPod('istiod-east-1')]);
      setMeshPods(c, 'west', []);
    });
    await term.waitForFrame((f) => f.includes('istiod-east-1'));
    await term.press(KEYS.enter);
    await term.press('G');
    await term.waitForFrame((f) => f.includes('Events') && /Warning BackOff ×4\s+Back-off restarting failed container/.test(f));
    assert.deepEqual(asked, ['east/Pod/istio-system/istiod-east-1']);
  });
});

describe('logs pane', () => {
  it('shows signatures with counts; Enter drills into the raw lines and Esc comes back', async () => {
    const { term } = startOn('logs', (c) => addHboneTimeouts(c, 'east', 4));
    const frame = await term.waitForFrame((f) => f.includes('HBONE 15008 timeout'));
    assert.match(frame, /SIGNATURE\s+COUNT/);
    assert.match(lineOf(frame, 'HBONE 15008 timeout'), /HBONE 15008 timeout\s+4\b/);
    await term.press(KEYS.enter);
    const lines = await term.waitForFrame((f) => /TIME\s+POD\s+LINE/.test(f) && f.includes('connection complete'));
    assert.equal(lines.split('\n').filter((l) => l.includes('connection complete')).length, 4);
    assert.match(term.lines()[23] ?? '', /Esc back/);
    assert.match(term.lines()[22] ?? '', /^1\/4/);
    await term.press(KEYS.escape);
    await term.waitForFrame((f) => f.includes('SIGNATURE') && !f.includes('connection complete'));
  });

  it('p pauses: the counts stay put, the status counts new lines, p again follows', async () => {
    const { term, console } = startOn('logs', (c) => addHboneTimeouts(c, 'east', 2));
    await term.waitForFrame((f) => /HBONE 15008 timeout\s+2\b/.test(f));
    await term.press('p');
    await term.waitForFrame(() => (term.lines()[22] ?? '').includes('paused, 0 new'));
    assert.match(term.lines()[23] ?? '', /p follow/);
    addHboneTimeouts(console, 'east', 3, 10);
    await term.waitForFrame(() => (term.lines()[22] ?? '').includes('paused, 3 new'));
    assert.match(lineOf(term.frame(), 'HBONE 15008 timeout'), /HBONE 15008 timeout\s+2\b/);
    await term.press('p');
    await term.waitForFrame((f) => /HBONE 15008 timeout\s+5\b/.test(f) && !f.includes('paused'));
  });
});

/** The checks' answer for what the store holds now, as the findings feed would set it. */
function evaluate(c: TestConsole): void {
  c.setEvaluation(new Evaluator(CHECKS).evaluate(toSnapshot(c.mesh.getState()), { precheck: false, istioNamespace: 'istio-system' }));
}

describe('overview pane', () => {
  it('says the checks have not run before the first evaluation', async () => {
    const { term } = startOn('overview');
    await term.waitForFrame((f) => f.includes('evaluating the checks'));
    assert.match(term.lines()[22] ?? '', /checks: not run yet/);
  });

  it('lists the findings with their severity in words and opens one with Enter', async () => {
    const { term } = startOn('overview', (c) => {
      setMeshPods(c, 'east', [meshPod('istiod-east-1')]);
      setMeshPods(c, 'west', [meshPod('istiod-west-1')]);
      evaluate(c);
    });
    const frame = await term.waitForFrame((f) => f.includes('SEVERITY'));
    assert.match(frame, /SEVERITY\s+CHECK/);
    assert.match(selectedLine(term), /^> (fail|unknown|warn)\s+MC-/);
    assert.match(term.lines()[22] ?? '', /evaluated 12:00:00, (none fail|\d+ fail)/);
    const check = /MC-[A-Z]+-\d+/.exec(selectedLine(term))?.[0] ?? '';
    await term.press(KEYS.enter);
    await term.waitForFrame((f) => f.includes('Finding') && f.includes(`check     ${check}`));
    await term.press(KEYS.escape);
    await term.waitForFrame(() => selectedLine(term).includes(check));
  });
});

describe('gateways and proxies panes', () => {
  it('say in words why a context cannot be read, instead of showing nothing', async () => {
    const { term } = startOn('gateways');
    const gateways = await term.waitForFrame((f) => f.includes('[3 Gateways]') && f.includes('unknown:'));
    assert.match(gateways, /east\s+\(gateways\)\s+unknown:/);
    await term.press('5');
    const proxies = await term.waitForFrame((f) => f.includes('[5 Proxies]') && f.includes('unknown:'));
    assert.match(proxies, /NAME\s+CLUSTER/);
  });
});

describe('slices', () => {
  it('a commit the pane on screen does not show writes nothing to the terminal', async () => {
    const { term, console } = startOn('pods', (c) => {
      setMeshPods(c, 'east', [meshPod('istiod-east-1')]);
      setMeshPods(c, 'west', []);
    });
    await term.waitForFrame((f) => f.includes('istiod-east-1') && (term.lines()[22] ?? '').startsWith('1/1'));
    const before = term.writes();
    // Log lines change the logs slice only: the pods pane, the header and the status line stay put.
    addHboneTimeouts(console, 'east', 5);
    // A negative check can only miss a stray write, never flake: give Ink several turns to make one.
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(term.writes(), before);
    // And a commit it does show is drawn.
    setMeshPods(console, 'west', [meshPod('istiod-west-1')]);
    await term.waitForFrame((f) => f.includes('istiod-west-1'));
  });
});

describe('links pane', () => {
  it('says when there is nothing to show', async () => {
    const { term } = startOn('links');
    const frame = await term.waitForFrame((f) => f.includes('[4 Links]'));
    assert.ok(frame.split('\n').length <= 24);
  });
});

function lineOf(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}
