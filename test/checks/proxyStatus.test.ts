// MC-XDS-001: every ztunnel in its istiod's syncz, every linking peer's istiod subscribed here,
// no type NOT_SENT, STALE or ERROR; unreadable syncz is unknown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proxyStatusCheck } from '../../checks/proxyStatus.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import type { Fact, SynczFactValue } from '../../src/store/types.ts';
import { assertHealthy, PRECHECK, run, setFacts, withSeverity } from './peeringChecksHarness.ts';

describe('MC-XDS-001 proxies and peers in sync', () => {
  let crashloop: ScenarioSnapshot;
  let disconnected: ScenarioSnapshot;
  let forbidden: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    crashloop = await snapshotOfScenario('ztunnel-crashloop');
    disconnected = await snapshotOfScenario('peer-disconnected');
    forbidden = await snapshotOfScenario('forbidden');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    for (const s of [crashloop, disconnected, forbidden, healthy, healthy3]) await s?.stop();
  });

  it('fails a ztunnel istiod does not know, explained by its pod not being Ready', () => {
    const failed = withSeverity(run(proxyStatusCheck, crashloop.snapshot), 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.subject.kind, 'Pod');
    assert.equal(failed[0]?.subject.name, 'ztunnel-w2965');
    assert.equal(failed[0]?.explainedBy, 'MC-POD-001');
  });

  it('fails a linking peer whose istiod is not subscribed, explained by its disconnected Gateway', () => {
    const failed = withSeverity(run(proxyStatusCheck, disconnected.snapshot), 'fail');
    assert.equal(failed.length, 1);
    assert.deepEqual(failed[0]?.contexts, ['cluster-west', 'cluster-east']);
    assert.equal(failed[0]?.subject.name, 'istio-remote-peer-west-net');
    assert.equal(failed[0]?.explainedBy, 'MC-PEER-001');
    assert.match(failed[0]?.message ?? '', /no istiod of cluster east subscribes \(FSDS\/SGDS\/WDS\) to cluster-west's istiod/);
    assert.equal(withSeverity(run(proxyStatusCheck, disconnected.snapshot, PRECHECK), 'fail').length, 0);
  });

  it('is unknown, not pass, when syncz is forbidden', () => {
    const findings = run(proxyStatusCheck, forbidden.snapshot);
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['unknown', 'unknown'],
    );
    assert.match(findings[0]?.message ?? '', /forbidden/);
  });

  it('passes healthy meshes (XDS and HTTP syncz shapes)', () => {
    assertHealthy(run(proxyStatusCheck, healthy.snapshot));
    const three = run(proxyStatusCheck, healthy3.snapshot);
    assertHealthy(three);
    assert.ok(three.some((f) => /3 ztunnel\(s\) and 2 peer istiod\(s\) subscribed/.test(f.message)));
  });

  it('fails ERROR and STALE types, warns NOT_SENT', () => {
    const edited = setFacts(healthy.snapshot, 'cluster-east', (facts) => {
      const syncz: Record<string, Fact<SynczFactValue>> = {};
      for (const [pod, fact] of Object.entries(facts.syncz)) {
        if (fact.state !== 'known') continue;
        const rows = fact.value.rows.map((row, i) =>
          i === 1
            ? {
                ...row,
                types: row.types.map((t, j) =>
                  j === 0 ? { ...t, status: 'ERROR' as const, error: 'NACK: invalid policy' } : { ...t, status: 'NOT_SENT' as const },
                ),
              }
            : row,
        );
        syncz[pod] = { ...fact, value: { ...fact.value, rows } };
      }
      return { ...facts, syncz };
    });
    const east = run(proxyStatusCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.deepEqual(
      east.map((f) => f.severity),
      ['fail'],
    );
    assert.match(east[0]?.message ?? '', /ERROR \(NACK: invalid policy\), WDS NOT_SENT/);
  });

  it('is unknown about a missing ztunnel when another istiod replica could not be read', () => {
    const edited = setFacts(healthy.snapshot, 'cluster-east', (facts) => {
      const syncz: Record<string, Fact<SynczFactValue>> = {
        'istiod-other': { state: 'unknown', reason: 'connection refused', observedAt: healthy.snapshot.takenAt },
      };
      for (const [pod, fact] of Object.entries(facts.syncz)) {
        if (fact.state === 'known')
          syncz[pod] = { ...fact, value: { ...fact.value, rows: fact.value.rows.filter((r) => !r.name.startsWith('ztunnel')) } };
      }
      return { ...facts, syncz };
    });
    const east = run(proxyStatusCheck, edited).filter((f) => f.subject.context === 'cluster-east');
    assert.ok(east.length >= 2);
    assert.ok(east.every((f) => f.severity === 'unknown'));
  });
});
