// Across the registry: in scenarios whose root cause lies elsewhere, the peering and data-plane
// checks must not add unexplained failures. Every failure they report is either a root cause
// the scenario declares or names (explainedBy) a check that fails earlier in the same report.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../checks/registry.ts';
import type { CheckId, Finding } from '../../checks/types.ts';
import { snapshotOfScenario } from '../helpers/meshSnapshot.ts';
import { describe as describeFindings, OPTIONS } from './peeringChecksHarness.ts';
import type { Scenario } from '../../src/sim/scenario/model.ts';

const OURS: readonly CheckId[] = ['MC-NET-001', 'MC-PEER-002', 'MC-PEER-001', 'MC-WE-001', 'MC-SVC-001', 'MC-XDS-001', 'MC-LOG-001'];

function declared(scenario: Scenario, f: Finding): boolean {
  return scenario.rootCauses.some((c) => c.check === f.check && c.context === f.subject.context && c.subject.name === f.subject.name);
}

const CASES: readonly { scenario: string; explained: readonly CheckId[] }[] = [
  { scenario: 'asymmetric-link', explained: [] },
  { scenario: 'eastwest-no-address', explained: ['MC-XDS-001'] },
  { scenario: 'env-incompatible', explained: ['MC-SVC-001', 'MC-XDS-001'] },
  { scenario: 'root-ca-mismatch', explained: ['MC-PEER-001', 'MC-XDS-001', 'MC-LOG-001'] },
  { scenario: 'license-invalid', explained: ['MC-SVC-001', 'MC-XDS-001', 'MC-LOG-001'] },
  { scenario: 'ztunnel-crashloop', explained: ['MC-XDS-001'] },
  { scenario: 'select-workload-entries-false', explained: ['MC-SVC-001', 'MC-XDS-001', 'MC-LOG-001'] },
  { scenario: 'remote-gateway-stale-address', explained: ['MC-PEER-001', 'MC-XDS-001', 'MC-LOG-001'] },
];

describe('peering and data-plane failures are root causes or explained symptoms', () => {
  for (const { scenario: name, explained } of CASES) {
    it(name, async () => {
      const s = await snapshotOfScenario(name);
      try {
        const findings = runChecks(s.snapshot, OPTIONS);
        const ours = findings.filter((f) => OURS.includes(f.check) && f.severity === 'fail');
        const unexplained = ours.filter((f) => !declared(s.sim.scenario, f) && f.explainedBy === undefined);
        assert.deepEqual(unexplained, [], describeFindings(unexplained));
        for (const f of ours.filter((x) => x.explainedBy !== undefined)) {
          const cause = findings.findIndex((c) => c.check === f.explainedBy && c.severity !== 'pass' && c.severity !== 'info');
          assert.ok(
            cause !== -1 && cause < findings.indexOf(f),
            `${f.check} names ${f.explainedBy ?? ''}, which must be reported before it`,
          );
        }
        assert.deepEqual([...new Set(ours.filter((f) => f.explainedBy !== undefined).map((f) => f.check))].sort(), [...explained].sort());
      } finally {
        await s.stop();
      }
    });
  }
});
