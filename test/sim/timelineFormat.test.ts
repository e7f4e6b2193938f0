// A scenario's `timeline:` as a person writes it: what a valid one becomes (events in time
// order, names resolved against the generated clusters, heals tied to their events), and the
// error, naming the file and the path, for each kind of mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinScenario, loadScenarioFile } from '../../src/sim/scenario/load.ts';
import type { ScenarioError } from '../../src/sim/scenario/scenarioError.ts';
import { loadProblem, parseProblem, SCENARIO_NOW, scratchDir, withTimeline } from './scenario/scenarioFixtures.ts';

const dir = scratchDir('mesh-tui-timeline-');

function problem(text: string): ScenarioError {
  return parseProblem(text, '/tmp/timed.yaml');
}

/** Problems only the generated clusters can show (an object or pod that does not exist) surface on load. */
async function problemOnLoad(text: string): Promise<ScenarioError> {
  return loadProblem(await dir.write('timed.yaml', text));
}

const FULL = withTimeline(`  - at: 20
    context: b
    cutOff: {}
    id: b-down
  - at: 5
    id: relabel
    context: a
    setLabel: { kind: Namespace, name: istio-system, label: topology.istio.io/network, value: elsewhere }
  - at: 5
    context: a
    setCondition: { peer: b, type: PeerConnected, status: False, reason: Pending, message: not connected to peer }
  - at: 6.5
    id: crash
    context: b
    crashPod: { pods: app=ztunnel, node: b-worker }
  - at: 7
    context: a
    logBurst: { pods: app=ztunnel, event: { kind: hbone-timeout, to: b, service: bookinfo/reviews }, lines: 4, overSeconds: 3 }
  - at: 8
    context: a
    deletePod: { pods: app=istiod, replaceAfterSeconds: 1 }
  - at: 9
    context: a
    restartPod: { pods: app=ztunnel }
  - at: 10
    context: a
    removeLabel: { kind: Gateway, namespace: istio-eastwest, name: istio-eastwest, label: topology.istio.io/network }
  - at: 30
    heal: relabel
  - at: 30
    heal: crash
  - at: 40
    heal: b-down
`);

describe('timeline format', () => {
  it('plays events in time order (ties as written), with their objects resolved and their heals in the right context', async () => {
    const file = await dir.write('full.yaml', FULL);
    const scenario = await loadScenarioFile(file, { now: SCENARIO_NOW });
    assert.deepEqual(
      scenario.timeline.map((e) => `${e.at} ${e.description}`),
      [
        '5 a: label Namespace istio-system topology.istio.io/network=elsewhere',
        '5 a: Gateway istio-eastwest/istio-remote-peer-b condition gloo.solo.io/PeerConnected=False (Pending)',
        '6.5 b: pods app=ztunnel on b-worker crash-loop (exit code 1)',
        '7 a: 4 log lines in pods app=ztunnel over 3 s',
        '8 a: pods app=istiod deleted, replaced after 1 s',
        '9 a: pods app=ztunnel restart',
        '10 a: remove label topology.istio.io/network from Gateway istio-eastwest/istio-eastwest',
        '20 b: API server unreachable',
        '30 a: heal relabel',
        '30 b: heal crash',
        '40 b: heal b-down',
      ],
    );
    const label = scenario.timeline[0]?.action;
    assert.deepEqual(label, {
      kind: 'setLabel',
      target: { apiVersion: 'v1', kind: 'Namespace', name: 'istio-system' },
      key: 'topology.istio.io/network',
      value: 'elsewhere',
    });
    const burst = scenario.timeline[3]?.action;
    assert.ok(burst?.kind === 'logBurst');
    // Each node's ztunnel names a client on its own node; every line is a real 15008 timeout line.
    assert.deepEqual(Object.keys(burst.textByNode).sort(), ['a-control-plane', 'a-worker']);
    for (const text of Object.values(burst.textByNode)) assert.match(text, /blocking HBONE port 15008/);
  });

  it('every built-in timeline loads (live-demo: four breakages, the last at 45 s)', async () => {
    const demo = await loadBuiltinScenario('live-demo');
    assert.deepEqual(
      demo.timeline.map((e) => [e.at, e.context, e.action.kind]),
      [
        [8, 'cluster-east', 'logBurst'],
        [15, 'cluster-west', 'setLabel'],
        [16, 'cluster-west', 'logBurst'],
        [30, 'cluster-east', 'setCondition'],
        [45, 'cluster-north', 'crashPod'],
      ],
    );
    assert.deepEqual((await loadBuiltinScenario('healthy')).timeline, []);
  });

  it('names the path of a malformed event', () => {
    const cases: [string, string, RegExp][] = [
      ['  - { at: 1, context: a }\n', 'timeline[0]', /expected exactly one action of setLabel, .*; got none/],
      [
        '  - { at: 1, context: a, cutOff: {}, restartPod: { pods: app=ztunnel } }\n',
        'timeline[0]',
        /got restartPod, cutOff|got cutOff, restartPod/,
      ],
      ['  - { at: 1, context: a, explode: {} }\n', 'timeline[0].explode', /unknown key "explode"/],
      ['  - { at: -1, context: a, cutOff: {} }\n', 'timeline[0].at', /expected seconds from 0 to 86400; got -1/],
      ['  - { at: soon, context: a, cutOff: {} }\n', 'timeline[0].at', /expected a number of seconds; got "soon"/],
      ['  - { at: 1, cutOff: {} }\n', 'timeline[0].context', /is required/],
      [
        '  - { at: 1, context: c, cutOff: {} }\n',
        'timeline[0].context',
        /context "c" is not the context of any cluster; expected one of a, b/,
      ],
      ['  - { at: 1, context: a, cutOff: { now: true } }\n', 'timeline[0].cutOff.now', /unknown key "now"/],
      [
        '  - { at: 1, context: a, setLabel: { kind: Namespace, name: istio-system, label: "bad key!", value: x } }\n',
        'timeline[0].setLabel.label',
        /expected a label key/,
      ],
      [
        '  - { at: 1, context: a, setLabel: { kind: Namespace, name: istio-system, label: k, value: "has space" } }\n',
        'timeline[0].setLabel.value',
        /expected a label value/,
      ],
      [
        '  - { at: 1, context: a, setCondition: { peer: b, gateway: g, type: PeerConnected, status: "False", reason: r, message: m } }\n',
        'timeline[0].setCondition',
        /exactly one of gateway .* and peer/,
      ],
      [
        '  - { at: 1, context: a, setCondition: { peer: b, type: PeerConnected, status: Maybe, reason: r, message: m } }\n',
        'timeline[0].setCondition.status',
        /expected one of True, False, Unknown; got "Maybe"/,
      ],
      [
        '  - { at: 1, context: a, setCondition: { peer: a, type: PeerConnected, status: "False", reason: r, message: m } }\n',
        'timeline[0].setCondition.peer',
        /"a" is not one of a's peers \(b\)/,
      ],
      ['  - { at: 1, context: a, crashPod: { node: a-worker } }\n', 'timeline[0].crashPod', /exactly one of pod .* and pods/],
      ['  - { at: 1, context: a, crashPod: { pods: "app ztunnel" } }\n', 'timeline[0].crashPod.pods', /expected a label selector/],
      [
        '  - { at: 1, context: a, logBurst: { pods: app=ztunnel, event: { kind: hbone-timeout, to: b, service: shop/cart } } }\n',
        'timeline[0].logBurst.event.service',
        /"shop\/cart" is not a global service of any cluster/,
      ],
      [
        '  - { at: 1, context: a, logBurst: { pods: app=ztunnel, event: { kind: hbone-timeout, to: a, service: bookinfo/reviews } } }\n',
        'timeline[0].logBurst.event.to',
        /expected another cluster/,
      ],
      [
        '  - { at: 1, context: a, logBurst: { pods: app=ztunnel, event: { kind: nope } } }\n',
        'timeline[0].logBurst.event.kind',
        /expected one of text, /,
      ],
      [
        '  - { at: 1, context: a, logBurst: { pods: app=ztunnel, lines: 0, event: { kind: text, text: x } } }\n',
        'timeline[0].logBurst.lines',
        /from 1 to 10000/,
      ],
    ];
    for (const [timeline, path, message] of cases) {
      const error = problem(withTimeline(timeline));
      assert.equal(error.path, path, `${timeline.trim()} → ${error.message}`);
      assert.match(error.message, message, timeline.trim());
      assert.ok(error.message.startsWith(`/tmp/timed.yaml: ${path}: `), error.message);
    }
  });

  it('ties each heal to an earlier event it can undo', () => {
    const cases: [string, string, RegExp][] = [
      ['  - { at: 1, heal: nothing }\n', 'timeline[0].heal', /no event has id "nothing"/],
      [
        '  - { at: 1, id: x, context: a, cutOff: {} }\n  - { at: 2, heal: y }\n',
        'timeline[1].heal',
        /no event has id "y"; expected one of x/,
      ],
      [
        '  - { at: 5, id: x, context: a, cutOff: {} }\n  - { at: 2, heal: x }\n',
        'timeline[1].heal',
        /event "x" happens at 5 s, after this heal at 2 s/,
      ],
      [
        '  - { at: 1, id: x, context: a, deletePod: { pods: app=istiod } }\n  - { at: 2, heal: x }\n',
        'timeline[1].heal',
        /deletePod cannot be healed; expected an event of setLabel, /,
      ],
      [
        '  - { at: 1, id: x, context: a, cutOff: {} }\n  - { at: 2, heal: x }\n  - { at: 3, heal: x }\n',
        'timeline[2].heal',
        /event "x" is already healed/,
      ],
      [
        '  - { at: 1, id: x, context: a, cutOff: {} }\n  - { at: 2, id: x, context: b, cutOff: {} }\n',
        'timeline[1].id',
        /duplicate id "x"/,
      ],
      ['  - { at: 1, id: x, context: a, cutOff: {} }\n  - { at: 2, context: a, heal: x }\n', 'timeline[1].context', /leave context out/],
    ];
    for (const [timeline, path, message] of cases) {
      const error = problem(withTimeline(timeline));
      assert.equal(error.path, path, `${timeline.trim()} → ${error.message}`);
      assert.match(error.message, message, timeline.trim());
    }
  });

  it('names the path when an event names something the cluster does not hold', async () => {
    const cases: [string, string, RegExp][] = [
      [
        '  - { at: 1, context: a, setLabel: { kind: Namespace, name: no-such-ns, label: k, value: v } }\n',
        'timeline[0].setLabel',
        /a holds no Namespace no-such-ns at start/,
      ],
      [
        '  - { at: 1, context: a, setCondition: { gateway: missing, type: Programmed, status: "False", reason: r, message: m } }\n',
        'timeline[0].setCondition.gateway',
        /a holds no Gateway istio-eastwest\/missing at start/,
      ],
      ['  - { at: 1, context: a, crashPod: { pod: ztunnel-nope } }\n', 'timeline[0].crashPod.pod', /a has no pod "ztunnel-nope"/],
      ['  - { at: 1, context: a, crashPod: { pods: app=nothing } }\n', 'timeline[0].crashPod.pods', /a has no pod matching app=nothing/],
      [
        '  - { at: 1, context: a, crashPod: { pods: app=ztunnel, node: a-worker9 } }\n',
        'timeline[0].crashPod.node',
        /a has no node "a-worker9"; expected one of a-control-plane, a-worker/,
      ],
    ];
    for (const [timeline, path, message] of cases) {
      const error = await problemOnLoad(withTimeline(timeline));
      assert.equal(error.path, path, `${timeline.trim()} → ${error.message}`);
      assert.match(error.message, message, timeline.trim());
    }
  });
});
