import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { autogenflatName, parsePeeredWorkloadUid, peeredPodUid, sourceWorkloadLabel } from '../../src/mesh/autogenflat.ts';

describe('autogenflat names', () => {
  it("matches Solo's own example: cluster c2, pod default/pod1 selected by default/svc1", () => {
    assert.equal(autogenflatName('c2', 'default', 'pod1', ['default/svc1']), 'autogenflat.c2.default.pod1.f2396f15c5c2');
  });

  it('hashes the comma-joined service names, so each selector group gets its own entry', () => {
    const expected = createHash('sha256').update('default/a,default/b').digest('hex').slice(0, 12);
    assert.equal(autogenflatName('c2', 'default', 'pod1', ['default/a', 'default/b']), `autogenflat.c2.default.pod1.${expected}`);
    assert.notEqual(autogenflatName('c2', 'default', 'pod1', ['default/a']), autogenflatName('c2', 'default', 'pod1', ['default/b']));
  });

  it('is cut at 253 characters', () => {
    const name = autogenflatName('c'.repeat(60), 'n'.repeat(63), 'p'.repeat(200), ['default/svc1']);
    assert.equal(name.length, 253);
    assert.ok(name.startsWith(`autogenflat.${'c'.repeat(60)}.`));
  });

  it('the source-workload group label is hashed to 8 hex digits when it would exceed 63 characters', () => {
    assert.equal(sourceWorkloadLabel('c2', 'default', 'pod1'), 'autogenflat.c2.default.pod1');
    const long = `autogenflat.cluster-west.payments.checkout-5d8f9c7b6-abcde${'x'.repeat(10)}`;
    const label = sourceWorkloadLabel('cluster-west', 'payments', `checkout-5d8f9c7b6-abcde${'x'.repeat(10)}`);
    assert.ok(long.length > 63);
    assert.equal(label, `autogenflat.${createHash('sha256').update(long).digest('hex').slice(0, 8)}`);
    // 63 exactly is still a valid label value and is kept as is.
    const exact = sourceWorkloadLabel('c', 'ns', 'p'.repeat(63 - 'autogenflat.c.ns.'.length));
    assert.equal(exact.length, 63);
    assert.ok(exact.endsWith('ppp'));
  });

  it('parses peered workload uids and refuses anything else', () => {
    assert.deepEqual(parsePeeredWorkloadUid(peeredPodUid('c2', 'default', 'pod1')), {
      cluster: 'c2',
      group: '',
      kind: 'Pod',
      namespace: 'default',
      name: 'pod1',
    });
    assert.deepEqual(parsePeeredWorkloadUid('c2/networking.istio.io/WorkloadEntry/ns/we1'), {
      cluster: 'c2',
      group: 'networking.istio.io',
      kind: 'WorkloadEntry',
      namespace: 'ns',
      name: 'we1',
    });
    for (const bad of [
      '',
      'c2',
      'c2//Pod/default',
      '//Pod/default/pod1',
      'c2//Pod//pod1',
      'c2///default/pod1',
      'c2//Pod/default/pod1/extra',
    ]) {
      assert.equal(parsePeeredWorkloadUid(bad), undefined, bad);
    }
  });
});
