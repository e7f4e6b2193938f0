// The healthy scenario's text report covers every check of Solo's `istioctl multicluster check`
// (reference: mission-anchors.md §1.3) with the same verdict: each one passes, in each context,
// and says so in words an istioctl user recognises.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';

const ISTIOCTL_CHECKS: { istioctl: string; check: string; verdict: RegExp }[] = [
  { istioctl: 'Incompatible Environment Variable Check', check: 'MC-ENV-001', verdict: /all relevant environment variables are valid/ },
  { istioctl: 'License Check', check: 'MC-LIC-001', verdict: /license is valid for multicluster/ },
  { istioctl: 'Pod Check (istiod)', check: 'MC-POD-001', verdict: /all istiod pods healthy/ },
  { istioctl: 'Pod Check (ztunnel)', check: 'MC-POD-001', verdict: /all ztunnel pods healthy/ },
  { istioctl: 'Pod Check (eastwest gateway)', check: 'MC-POD-001', verdict: /all eastwest gateway pods healthy/ },
  { istioctl: 'Gateway Check', check: 'MC-EW-001', verdict: /is programmed/ },
  { istioctl: 'Peers Check', check: 'MC-PEER-001', verdict: /is connected/ },
  { istioctl: 'Stale Workloads Check', check: 'MC-WE-001', verdict: /no autogenflat workload entries found|no stale workloads/ },
];

describe('--once on the healthy scenario, against istioctl multicluster check', () => {
  let stdout = '';
  let code: number | null = null;
  before(async () => {
    const r = await runCli(['--demo', 'healthy', '--once'], process.env, 120_000);
    stdout = r.stdout;
    code = r.code;
  });

  it('exits 0 with no problems', () => {
    assert.equal(code, 0);
    assert.match(stdout, /\nNo problems found\.\n/);
  });

  for (const { istioctl, check, verdict } of ISTIOCTL_CHECKS) {
    it(`${istioctl} passes in every context (${check})`, () => {
      for (const context of ['cluster-east', 'cluster-west']) {
        const row = stdout.split('\n').find((l) => new RegExp(`^ +${check} +${context}[ ,]`).test(l) && verdict.test(l));
        assert.ok(row, `${check} in ${context} with ${String(verdict)}:\n${stdout}`);
      }
    });
  }
});
