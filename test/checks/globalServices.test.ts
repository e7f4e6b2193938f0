// MC-SVC-001: where each global service is labelled and where its generated ServiceEntry exists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globalServicesCheck } from '../../checks/globalServices.ts';
import { snapshotOfScenario, type ScenarioSnapshot } from '../helpers/meshSnapshot.ts';
import { assertHealthy, run, setObject, setSync, withSeverity } from './peeringChecksHarness.ts';

const SERVICE_ENTRIES = 'serviceentries.networking.istio.io';

describe('MC-SVC-001 global services generated', () => {
  let envOff: ScenarioSnapshot;
  let healthy: ScenarioSnapshot;
  let healthy3: ScenarioSnapshot;
  before(async () => {
    envOff = await snapshotOfScenario('env-incompatible');
    healthy = await snapshotOfScenario('healthy');
    healthy3 = await snapshotOfScenario('healthy-3');
  });
  after(async () => {
    await envOff?.stop();
    await healthy?.stop();
    await healthy3?.stop();
  });

  it('fails a missing generated ServiceEntry and names peering being off as its explanation', () => {
    const failed = withSeverity(run(globalServicesCheck, envOff.snapshot), 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.subject.context, 'cluster-west');
    assert.equal(failed[0]?.subject.name, 'autogen.bookinfo.productpage');
    assert.equal(failed[0]?.explainedBy, 'MC-ENV-001');
    assert.match(failed[0]?.message ?? '', /productpage\.bookinfo\.mesh\.internal does not resolve there/);
  });

  it('passes every global service of healthy meshes, listing where it is labelled and generated', () => {
    const findings = run(globalServicesCheck, healthy.snapshot);
    assertHealthy(findings);
    assert.ok(
      findings.some(
        (f) =>
          f.message ===
          'bookinfo/reviews is global in cluster-east, cluster-west; ServiceEntry autogen.bookinfo.reviews is present in cluster-east, cluster-west.',
      ),
    );
    const three = run(globalServicesCheck, healthy3.snapshot);
    assertHealthy(three);
    assert.equal(withSeverity(three, 'pass').length, 2, 'shop/cart and shop/frontend');
  });

  it('fails a missing ServiceEntry with no explanation when peering is fine', () => {
    const edited = setObject(
      healthy.snapshot,
      'cluster-east',
      SERVICE_ENTRIES,
      'ServiceEntry/istio-system/autogen.bookinfo.reviews',
      undefined,
    );
    const [failed] = withSeverity(run(globalServicesCheck, edited), 'fail');
    assert.ok(failed);
    assert.equal(failed.subject.context, 'cluster-east');
    assert.equal(failed.explainedBy, undefined);
  });

  it('warns when the label is on one side only', () => {
    const edited = setObject(healthy.snapshot, 'cluster-west', 'services#global', 'Service/bookinfo/reviews', undefined);
    const [warned] = withSeverity(run(globalServicesCheck, edited), 'warn');
    assert.ok(warned);
    assert.equal(warned.subject.context, 'cluster-west');
    assert.match(warned.message, /bookinfo\/reviews is global in cluster-east but not labelled \(or absent\) in cluster-west/);
    assert.deepEqual(warned.remediation?.commands, [
      'kubectl --context cluster-west -n bookinfo label service reviews solo.io/service-scope=global --overwrite',
    ]);
  });

  it('is unknown for a context whose ServiceEntries cannot be read', () => {
    const edited = setSync(healthy.snapshot, 'cluster-west', SERVICE_ENTRIES, 'forbidden');
    const west = run(globalServicesCheck, edited).filter((f) => f.subject.context === 'cluster-west');
    assert.deepEqual(
      west.map((f) => f.severity),
      ['unknown'],
    );
  });
});
