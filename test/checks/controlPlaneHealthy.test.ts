// On the healthy scenarios every control-plane check passes in every context, with evidence:
// a check that found nothing to say would not prove anything.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckDefinition } from '../../checks/types.ts';
import type { MeshSnapshot } from '../../src/store/types.ts';
import { consoleAccessCheck } from '../../checks/access.ts';
import { istiodEnvCheck } from '../../checks/istiodEnv.ts';
import { licenseCheck } from '../../checks/license.ts';
import { certificateTrustCheck } from '../../checks/certificateTrust.ts';
import { certificateExpiryCheck } from '../../checks/certificateExpiry.ts';
import { eastWestGatewayCheck } from '../../checks/eastWestGateway.ts';
import { podHealthCheck } from '../../checks/podHealth.ts';
import { dnsCaptureCheck } from '../../checks/dnsCapture.ts';
import { run, scenarioSnapshot } from './checkHarness.ts';

const CHECKS: CheckDefinition[] = [
  consoleAccessCheck,
  istiodEnvCheck,
  licenseCheck,
  certificateTrustCheck,
  certificateExpiryCheck,
  eastWestGatewayCheck,
  podHealthCheck,
  dnsCaptureCheck,
];

for (const scenarioName of ['healthy', 'healthy-3']) {
  describe(`control-plane checks on ${scenarioName}`, () => {
    let snapshot: MeshSnapshot;
    let contexts: string[];
    before(async () => {
      const taken = await scenarioSnapshot(scenarioName);
      snapshot = taken.snapshot;
      contexts = taken.scenario.clusters.map((c) => c.context).sort();
    });

    for (const check of CHECKS) {
      it(`${check.id} passes in every context`, () => {
        const findings = run(check, snapshot);
        const notPassing = findings.filter((f) => f.severity !== 'pass').map((f) => `${f.severity} ${f.subject.context}: ${f.message}`);
        assert.deepEqual(notPassing, []);
        assert.deepEqual([...new Set(findings.map((f) => f.subject.context))].sort(), contexts);
        for (const f of findings) {
          assert.equal(f.check, check.id);
          assert.equal(f.title, check.title);
        }
      });
    }

    it('certificate trust shows every root fingerprint, identical across clusters', () => {
      const findings = run(certificateTrustCheck, snapshot);
      const first = findings[0];
      assert.ok(first);
      const roots = first.evidence.filter((e) => e.where.includes('istio-ca-root-cert'));
      assert.deepEqual(roots.map((e) => e.context).sort(), contexts);
      assert.equal(new Set(roots.map((e) => e.value)).size, 1, 'a shared root has one fingerprint');
      assert.match(roots[0]?.value ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2} /);
    });
  });
}
