// The explanation pass on findings made by hand, so every rule of linking is exercised whatever
// the checks say today: a symptom goes under a failing cause in a context it names, never under
// one elsewhere; causes are followed to the root; a symptom whose cause did not fire stands alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXPLANATIONS, ExplanationPass, explain, rootOf, signatureCheck, signatureFailsAlone } from '../../checks/explanations.ts';
import { makeFinding } from '../../checks/makeFinding.ts';
import type { CheckId, Finding, Severity, SymptomOf } from '../../checks/types.ts';
import { SIGNATURES, type SignatureId } from '../../src/mesh/logSignatures.ts';

function finding(check: CheckId, severity: Severity, context: string, symptomOf?: SymptomOf, contexts?: string[]): Finding {
  return makeFinding(
    { id: check, title: check },
    {
      severity,
      subject: { context, kind: 'Thing', name: `${check}@${context}` },
      message: `${check} in ${context}`,
      ...(contexts ? { contexts } : {}),
      remediation: { summary: 'Read the lines around these errors.', commands: [] },
      ...(symptomOf ? { symptomOf } : {}),
    },
  );
}

const NO_PRECHECK = { precheck: false };

describe('explanation pass', () => {
  it('puts a log signature under the failing check that explains it in the same context, and says so in the fix', () => {
    const cause = finding('MC-NET-001', 'fail', 'west');
    const symptom = finding('MC-LOG-001', 'fail', 'west', { kind: 'log:network-identity-mismatch' });
    const { findings, causeOf } = explain([symptom, cause], NO_PRECHECK);
    assert.deepEqual(
      findings.map((f) => f.check),
      ['MC-NET-001', 'MC-LOG-001'],
      'root-cause order',
    );
    const explained = findings[1];
    assert.equal(explained?.explainedBy, 'MC-NET-001');
    assert.equal(explained?.remediation?.summary, 'Fix MC-NET-001 first; these lines should stop.');
    assert.equal(causeOf.get(explained), findings[0]);
  });

  it('does not explain a symptom by a cause in another context', () => {
    const { findings, causeOf } = explain(
      [finding('MC-NET-001', 'fail', 'east'), finding('MC-LOG-001', 'fail', 'west', { kind: 'log:network-identity-mismatch' })],
      NO_PRECHECK,
    );
    const log = findings.find((f) => f.check === 'MC-LOG-001');
    assert.equal(log?.explainedBy, undefined);
    assert.equal(causeOf.size, 0);
    assert.match(log?.message ?? '', /\(nothing explains it: MC-NET-001 does not fail here\)$/);
  });

  it('tries the explaining checks in the table order: 15008 timeouts are the peer link before the network label', () => {
    const rule = EXPLANATIONS['log:hbone-timeout'];
    assert.deepEqual(rule.by, ['MC-PEER-001', 'MC-NET-001']);
    const both = explain(
      [
        finding('MC-NET-001', 'fail', 'a'),
        finding('MC-PEER-001', 'fail', 'a'),
        finding('MC-LOG-001', 'fail', 'a', { kind: 'log:hbone-timeout' }),
      ],
      NO_PRECHECK,
    );
    assert.equal(both.findings.find((f) => f.check === 'MC-LOG-001')?.explainedBy, 'MC-PEER-001');
    const netOnly = explain(
      [finding('MC-NET-001', 'fail', 'a'), finding('MC-LOG-001', 'fail', 'a', { kind: 'log:hbone-timeout' })],
      NO_PRECHECK,
    );
    assert.equal(netOnly.findings.find((f) => f.check === 'MC-LOG-001')?.explainedBy, 'MC-NET-001');
  });

  it('follows causes to the root: a log line under a disconnected peer under a foreign root', () => {
    const root = finding('MC-CERT-001', 'fail', 'east');
    const peer = finding('MC-PEER-001', 'fail', 'east', { kind: 'peer-disconnected', contexts: ['east'] }, ['east', 'west']);
    const log = finding('MC-LOG-001', 'fail', 'east', { kind: 'log:peer-disconnected' });
    const { findings, causeOf } = explain([log, peer, root], NO_PRECHECK);
    const [r, p, l] = findings;
    assert.equal(p?.explainedBy, 'MC-CERT-001');
    assert.equal(l?.explainedBy, 'MC-PEER-001', 'its own explanation is the link; the report groups it under the root');
    assert.equal(rootOf(l, causeOf), r);
  });

  it('counts a warning as a cause only under --precheck for failure rules, and any problem of the console access check', () => {
    const warnPeer = finding('MC-PEER-001', 'warn', 'a');
    const log = finding('MC-LOG-001', 'fail', 'a', { kind: 'log:hbone-timeout' });
    assert.equal(explain([warnPeer, log], NO_PRECHECK).findings[1]?.explainedBy, undefined);
    assert.equal(explain([warnPeer, log], { precheck: true }).findings[1]?.explainedBy, 'MC-PEER-001');
    const access = finding('MC-ACCESS-001', 'unknown', 'a');
    const logs = finding('MC-LOG-001', 'unknown', 'a', { kind: 'logs-forbidden' });
    assert.equal(explain([access, logs], NO_PRECHECK).findings[1]?.explainedBy, 'MC-ACCESS-001');
  });

  it('never explains a passing finding, nor links a finding to itself', () => {
    const pass = finding('MC-LOG-001', 'pass', 'a', { kind: 'log:hbone-timeout' });
    const { findings } = explain([finding('MC-PEER-001', 'fail', 'a'), pass], NO_PRECHECK);
    assert.equal(findings[1], pass);
  });

  it('gives back the same objects when the same findings come again, so nothing redraws', () => {
    const pass = new ExplanationPass();
    const input = [
      finding('MC-NET-001', 'fail', 'a'),
      finding('MC-LOG-001', 'fail', 'a', { kind: 'log:network-identity-mismatch' }),
      finding('MC-ENV-001', 'pass', 'a'),
    ];
    const first = pass.run(input, NO_PRECHECK);
    const second = pass.run(input, NO_PRECHECK);
    first.findings.forEach((f, i) => assert.equal(second.findings[i], f));
    const causeGone = pass.run([input[1] as Finding, input[2] as Finding], NO_PRECHECK);
    assert.equal(causeGone.findings.find((f) => f.check === 'MC-LOG-001')?.explainedBy, undefined, 'the cause cleared, so the link did');
  });

  it('puts DNS lookup failures under DNS capture off or not set; on their own they only warn', () => {
    const capture = finding('MC-DNS-001', 'warn', 'west');
    const lookups = finding('MC-LOG-001', 'warn', 'west', { kind: 'log:dns-failure' });
    const { findings } = explain([lookups, capture], NO_PRECHECK);
    assert.equal(findings[1]?.explainedBy, 'MC-DNS-001');
    const alone = explain([lookups, finding('MC-DNS-001', 'pass', 'west')], NO_PRECHECK).findings.find((f) => f.check === 'MC-LOG-001');
    assert.equal(alone?.explainedBy, undefined);
    assert.match(alone?.message ?? '', /nothing explains it: MC-DNS-001 does not fail here/);
    assert.equal(signatureFailsAlone('log:dns-failure'), false);
    assert.equal(signatureFailsAlone('log:hbone-timeout'), true);
  });

  it('follows a missing subscription through the disconnected link to the stale address it dials', () => {
    const stale = finding('MC-PEER-002', 'fail', 'east', undefined, ['east', 'west']);
    const link = finding('MC-PEER-001', 'fail', 'east', { kind: 'stale-peer-address', contexts: ['east'] }, ['east', 'west']);
    const unknownLink = finding('MC-PEER-001', 'unknown', 'north', undefined, ['north', 'west']);
    const missing = finding('MC-XDS-001', 'fail', 'east', { kind: 'peer-link-down', contexts: ['east'] }, ['west', 'east']);
    const silent = finding('MC-XDS-001', 'fail', 'north', { kind: 'peer-link-down', contexts: ['north'] }, ['west', 'north']);
    const { findings, causeOf } = explain([missing, silent, link, unknownLink, stale], NO_PRECHECK);
    const out = (f: Finding): Finding =>
      findings.find((x) => x.subject.name === f.subject.name && x.subject.context === f.subject.context)!;
    assert.equal(rootOf(out(missing), causeOf), out(stale), 'the stale address is the root');
    assert.equal(out(silent).explainedBy, 'MC-PEER-001', 'a link with no status explains a missing peer too');
  });

  it('defines once which check each log signature belongs to, and every signature has a rule', () => {
    for (const id of Object.keys(SIGNATURES) as SignatureId[]) assert.ok(EXPLANATIONS[`log:${id}`], id);
    assert.equal(signatureCheck('hbone-timeout'), 'MC-PEER-001');
    assert.equal(signatureCheck('network-identity-mismatch'), 'MC-NET-001');
    assert.equal(signatureCheck('root-of-trust'), 'MC-CERT-001');
    assert.equal(signatureCheck('dns-failure'), 'MC-DNS-001');
    assert.equal(signatureCheck('peering-incompatible-env'), 'MC-ENV-001');
    assert.equal(signatureCheck('policy-rejection'), 'MC-LOG-001');
  });
});
