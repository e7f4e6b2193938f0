// The findings feed: the checks' answer follows the mesh store, and the findings store is set
// only when the findings changed, so a commit that changes nothing a check reads redraws nothing.
// Time is a hand-cranked clock: how often it evaluated is a fact of the code, not of the machine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFindingsFeed, THROTTLE_MS, CLOCK_TICK_MS } from '../../src/console/findingsFeed.ts';
import { createMeshStore } from '../../src/store/meshStore.ts';
import { contextId } from '../../src/store/types.ts';
import type { FindingsState } from '../../src/console/services.ts';
import type { CheckDefinition } from '../../checks/types.ts';
import { ManualClock } from '../helpers/manualClock.ts';
import { pod } from '../store/fixtures.ts';

const ctx = contextId('cluster-a');

function setup(refreshFacts?: () => Promise<void>) {
  const clock = new ManualClock();
  const mesh = createMeshStore({ contexts: [ctx], timers: clock });
  const feed = createFindingsFeed({
    mesh,
    istioNamespace: 'istio-system',
    precheck: false,
    timers: clock,
    ...(refreshFacts ? { refreshFacts } : {}),
  });
  const published: FindingsState[] = [];
  feed.store.subscribe((state) => published.push(state));
  return { clock, mesh, feed, published };
}

function accessMessage(state: FindingsState): string {
  return state.evaluation?.findings.find((f) => f.check === 'MC-ACCESS-001')?.message ?? '';
}

describe('findings feed', () => {
  it('publishes findings at start: a context still connecting is unknown, and says so', () => {
    const { feed } = setup();
    feed.start();
    const state = feed.store.getState();
    assert.ok(state.evaluation, 'evaluated at start');
    assert.ok(state.evaluatedAt);
    const access = state.evaluation.findings.filter((f) => f.contexts.includes(ctx));
    assert.ok(access.length > 0, 'findings name the context');
    assert.ok(
      access.some((f) => f.severity === 'unknown'),
      'nothing is known about a connecting context',
    );
    feed.stop();
  });

  it('does not publish for a commit no check reads (a bookmark), and does for a change', () => {
    const { clock, mesh, feed, published } = setup();
    mesh.actions.relist(ctx, 'pods', [pod('ztunnel-1', 'istio-system')], '10');
    mesh.flush();
    feed.start();
    clock.advance(THROTTLE_MS * 2);
    const before = feed.store.getState().evaluation;
    const count = published.length;
    const meshBefore = mesh.getState();

    mesh.actions.watchEvents(ctx, 'pods', [
      { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '11' } } },
    ]);
    mesh.flush();
    assert.notEqual(mesh.getState(), meshBefore, 'the bookmark was a commit');
    clock.advance(THROTTLE_MS * 2);
    assert.equal(published.length, count, 'a bookmark wakes no subscriber of the findings');
    assert.equal(feed.store.getState().evaluation, before);

    const message = accessMessage(feed.store.getState());
    mesh.actions.setContextStatus(ctx, 'unreachable', ['unreachable']);
    mesh.flush();
    clock.advance(THROTTLE_MS * 2);
    assert.ok(published.length > count, 'a status change is published');
    assert.notEqual(accessMessage(feed.store.getState()), message);
    assert.match(accessMessage(feed.store.getState()), /unreachable/);
    feed.stop();
  });

  it('evaluates the first commit of a burst at once and the rest once, at the end of the window', () => {
    const { clock, mesh, feed } = setup();
    feed.start();
    clock.advance(THROTTLE_MS * 2);
    mesh.actions.setContextStatus(ctx, 'unreachable', ['unreachable']);
    mesh.flush();
    assert.match(accessMessage(feed.store.getState()), /unreachable/, 'leading edge: no wait');
    mesh.actions.setContextStatus(ctx, 'authFailed', ['auth failed']);
    mesh.flush();
    assert.match(accessMessage(feed.store.getState()), /unreachable/, 'within the window: not yet');
    clock.advance(THROTTLE_MS);
    assert.match(accessMessage(feed.store.getState()), /auth failed/, 'trailing edge: the last commit counts');
    feed.stop();
  });

  it('re-evaluates once a minute without any commit (checks read the clock to the minute)', () => {
    const clock = new ManualClock();
    const mesh = createMeshStore({ contexts: [ctx], timers: clock });
    const start = Date.parse('2026-12-02T10:00:00Z');
    // A check whose verdict is the minute it ran at, as a certificate's days-left would be.
    const minuteCheck: CheckDefinition = {
      id: 'MC-ACCESS-001',
      title: 'clock',
      reads: [],
      decides: '',
      remediation: '',
      run: (snapshot) => [
        {
          check: 'MC-ACCESS-001',
          title: 'clock',
          severity: 'pass',
          contexts: [ctx],
          subject: { context: ctx, kind: 'Check', name: 'clock' },
          message: snapshot.takenAt.slice(11, 16),
          evidence: [],
        },
      ],
    };
    const feed = createFindingsFeed({
      mesh,
      istioNamespace: 'istio-system',
      precheck: false,
      timers: clock,
      checks: [minuteCheck],
      now: () => new Date(start + clock.now()),
    });
    feed.start();
    assert.equal(feed.store.getState().evaluation?.findings[0]?.message, '10:00');
    clock.advance(CLOCK_TICK_MS);
    assert.equal(feed.store.getState().evaluation?.findings[0]?.message, '10:01', 'a minute later, without a commit');
    clock.advance(CLOCK_TICK_MS);
    assert.equal(feed.store.getState().evaluation?.findings[0]?.message, '10:02');
    feed.stop();
    assert.equal(clock.pending, 0, 'stop() leaves no timer behind');
  });

  it('rerun(): rerunning while the facts are fetched, then the findings of the fresh store', async () => {
    let release: () => void = () => undefined;
    const fetched = new Promise<void>((resolve) => (release = resolve));
    const { mesh, feed } = setup(async () => {
      await fetched;
      mesh.actions.setContextStatus(ctx, 'unreachable', ['unreachable']);
      mesh.flush();
    });
    feed.start();
    const running = feed.rerun();
    assert.equal(feed.store.getState().rerunning, true);
    release();
    await running;
    assert.equal(feed.store.getState().rerunning, false);
    assert.match(accessMessage(feed.store.getState()), /unreachable/);
    feed.stop();
  });
});
