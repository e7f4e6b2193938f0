// MC-ACCESS-001 on the `forbidden` scenario (a user without pods/log and pods/portforward) and
// on hand-edited snapshots: unreachable and auth-failed contexts, a forbidden watch.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshSnapshot } from '../../src/store/types.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';
import { consoleAccessCheck } from '../../checks/access.ts';
import { assertRootCauses, copy, ctx, only, run, scenarioSnapshot, withSync } from './checkHarness.ts';

describe('MC-ACCESS-001 console access', () => {
  let forbidden: { snapshot: MeshSnapshot; scenario: Scenario };
  let healthy: MeshSnapshot;
  before(async () => {
    forbidden = await scenarioSnapshot('forbidden');
    healthy = (await scenarioSnapshot('healthy')).snapshot;
  });

  it('is unknown for the restricted user in every context, naming user, verbs and resources', () => {
    const findings = run(consoleAccessCheck, forbidden.snapshot);
    assertRootCauses(forbidden.scenario, findings, 'MC-ACCESS-001');
    for (const finding of findings) {
      assert.equal(finding.severity, 'unknown');
      assert.match(finding.message, /user "oncall"/);
      assert.match(finding.message, /get pods\/log in namespace "istio-system"/);
      assert.match(finding.message, /create pods\/portforward in namespace "istio-system"/);
      assert.match(finding.message, /MC-LIC-001/);
    }
  });

  it('names a refused pod log as a pod log read, never as a watch', () => {
    const [east] = only(run(consoleAccessCheck, forbidden.snapshot), 'cluster-east');
    const logDenials = (east?.evidence ?? []).filter((e) => e.value.includes('pods/log'));
    assert.ok(logDenials.length > 0);
    for (const e of logDenials) assert.match(e.where, /^(pod log istio-system\/|read pods\/log$)/);
  });

  it("gives the RBAC to grant with the finding's context, both verbs for port-forward", () => {
    const [east] = only(run(consoleAccessCheck, forbidden.snapshot), 'cluster-east');
    const commands = east?.remediation?.commands ?? [];
    assert.ok(
      commands.includes(
        'kubectl --context cluster-east -n istio-system create role mesh-tui-pods-portforward --verb=create,get --resource=pods/portforward',
      ),
      commands.join('\n'),
    );
    assert.ok(
      commands.includes(
        'kubectl --context cluster-east -n istio-system create rolebinding mesh-tui-pods-portforward --role=mesh-tui-pods-portforward --user=oncall',
      ),
    );
    assert.ok(
      commands.includes('kubectl --context cluster-east -n istio-system create role mesh-tui-pods-log --verb=get --resource=pods/log'),
    );
    assert.ok(commands.every((c) => c.includes('--context cluster-east')));
  });

  it('passes when everything could be read', () => {
    assert.deepEqual(
      run(consoleAccessCheck, healthy).map((f) => f.severity),
      ['pass', 'pass'],
    );
  });

  it('is unknown for an unreachable context, with the last error, and leaves the others alone', () => {
    const edited = copy(healthy);
    const west = edited.contexts[ctx('cluster-west')];
    assert.ok(west);
    Object.assign(west, {
      status: { phase: 'unreachable', reasons: ['unreachable'], since: edited.takenAt },
      lastError: {
        kind: 'unreachable',
        message: 'cluster-west: connection refused (https://127.0.0.1:1)',
        retryable: true,
        at: edited.takenAt,
      },
    });
    const findings = run(consoleAccessCheck, edited);
    const [westFinding] = only(findings, 'cluster-west');
    assert.equal(westFinding?.severity, 'unknown');
    assert.match(westFinding?.message ?? '', /unreachable/);
    assert.deepEqual(
      westFinding?.evidence.map((e) => e.value),
      ['cluster-west: connection refused (https://127.0.0.1:1)'],
    );
    assert.equal(only(findings, 'cluster-east')[0]?.severity, 'pass');
  });

  it('tells an auth failure to refresh credentials', () => {
    const edited = copy(healthy);
    const east = edited.contexts[ctx('cluster-east')];
    assert.ok(east);
    Object.assign(east, { status: { phase: 'authFailed', reasons: ['auth failed'], since: edited.takenAt } });
    const [finding] = only(run(consoleAccessCheck, edited), 'cluster-east');
    assert.equal(finding?.severity, 'unknown');
    assert.match(finding?.message ?? '', /auth failed/);
    assert.match(finding?.remediation?.summary ?? '', /credentials/);
  });

  it('reads a forbidden watch and asks for list and watch on that resource cluster-wide', () => {
    const edited = withSync(healthy, 'cluster-east', 'gateways.gateway.networking.k8s.io', 'forbidden');
    const res = edited.contexts[ctx('cluster-east')]?.resources['gateways.gateway.networking.k8s.io'];
    assert.ok(res);
    Object.assign(res, {
      error: {
        kind: 'forbidden',
        message: 'cluster-east: forbidden: user "viewer" cannot list gateways.gateway.networking.k8s.io at cluster scope',
        retryable: false,
        at: edited.takenAt,
        forbidden: { user: 'viewer', verb: 'list', resource: 'gateways', group: 'gateway.networking.k8s.io', namespace: undefined },
      },
    });
    const [finding] = only(run(consoleAccessCheck, edited), 'cluster-east');
    assert.equal(finding?.severity, 'unknown');
    assert.deepEqual(finding?.subject, { context: 'cluster-east', kind: 'User', name: 'viewer' });
    assert.match(finding?.message ?? '', /list gateways\.gateway\.networking\.k8s\.io \(cluster-wide\)/);
    assert.ok(
      finding?.remediation?.commands.includes(
        'kubectl --context cluster-east create clusterrole mesh-tui-gateways --verb=list,watch --resource=gateways.gateway.networking.k8s.io',
      ),
      finding?.remediation?.commands.join('\n'),
    );
  });
});
