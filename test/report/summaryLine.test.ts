// The summary line says what was read and what was not. A context whose every watch synced but
// whose pod logs and istiod debug endpoints could not be read (a kubelet the apiserver cannot
// reach, or RBAC without pods/log and pods/portforward) was read — in part — not "0/1 read".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateChecks } from '../../checks/registry.ts';
import { buildOnceReport, type ReportOptions } from '../../src/report/findingsReport.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';

const OPTIONS: ReportOptions = { precheck: false, istioNamespace: 'istio-system', since: null, timeoutSeconds: 30, demoScenario: null };

function summaryOf(scenario: ScenarioSnapshot): string {
  const { snapshot } = scenario;
  return buildOnceReport({
    snapshot,
    findings: evaluateChecks(snapshot, { precheck: false, istioNamespace: 'istio-system' }),
    toolVersion: '9.9.9',
    options: OPTIONS,
  }).summary.line;
}

describe('the summary line', () => {
  let forbidden: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  before(async () => {
    [forbidden, healthy] = await Promise.all([snapshotOfScenario('forbidden'), snapshotOfScenario('healthy')]);
  });
  after(async () => {
    await Promise.all([forbidden.stop(), healthy.stop()]);
  });

  it('objects listed but no logs and no istiod debug endpoints: says which were read and which not', () => {
    assert.match(summaryOf(forbidden), /; read from 2\/2 contexts: objects 2\/2, logs 0\/2, istiod debug 0\/2 \(exit 3\)$/);
  });

  it('everything read: says so in four words', () => {
    assert.match(summaryOf(healthy), /; 2\/2 contexts read \(exit 0\)$/);
  });

  it('a context that could not be read at all counts in none of the parts', () => {
    const { snapshot } = healthy;
    const west = snapshot.contexts['cluster-west' as keyof typeof snapshot.contexts];
    assert.ok(west);
    const down = {
      ...snapshot,
      contexts: {
        ...snapshot.contexts,
        [west.context]: {
          ...west,
          status: {
            phase: 'unreachable' as const,
            reasons: ['cannot reach the API server: connection refused (ECONNREFUSED)'],
            since: west.status.since,
          },
        },
      },
    };
    const line = buildOnceReport({
      snapshot: down,
      findings: evaluateChecks(down, { precheck: false, istioNamespace: 'istio-system' }),
      toolVersion: '9.9.9',
      options: OPTIONS,
    }).summary.line;
    assert.match(line, /; read from 1\/2 contexts: objects 1\/2, logs 1\/2, istiod debug 1\/2 \(exit \d\)$/);
  });
});
