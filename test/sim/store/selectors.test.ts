import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, parseLabelSelector, selectableFields } from '../../../src/sim/api/selectors.ts';
import { ApiError } from '../../../src/sim/api/status.ts';
import { RESOURCE_TYPES } from '../../../src/sim/api/resources.ts';
import type { ResourceType } from '../../../src/sim/api/types.ts';
import { pod } from './fixtures.ts';

function type(kind: string): ResourceType {
  const rt = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!rt) throw new Error(kind);
  return rt;
}

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status.code, 400);
    assert.equal(e.status.reason, 'BadRequest');
    return e.status.message;
  }
  assert.fail('expected a 400');
}

describe('label selectors', () => {
  const labels = { app: 'istiod', 'topology.istio.io/network': 'net1', tier: '3' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=istiod', true],
    ['app==istiod', true],
    ['app=ztunnel', false],
    ['app!=ztunnel', true],
    ['missing!=x', true],
    ['app in (ztunnel, istiod)', true],
    ['app in (ztunnel)', false],
    ['app notin (ztunnel)', true],
    ['app notin (istiod,ztunnel)', false],
    ['missing notin (a)', true],
    ['topology.istio.io/network', true],
    ['!topology.istio.io/network', false],
    ['!missing', true],
    ['missing', false],
    ['app=istiod,topology.istio.io/network=net1', true],
    ['app=istiod, topology.istio.io/network=net2', false],
    ['tier>2', true],
    ['tier<3', false],
    ['app=', false],
    ['missing=', false],
  ];
  for (const [selector, expected] of cases) {
    it(`${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(parseLabelSelector(selector).matches(labels), expected);
    });
  }

  it('an empty-valued label matches key= ', () => {
    assert.equal(parseLabelSelector('flag=').matches({ flag: '' }), true);
  });

  it('objects without labels match only negative requirements', () => {
    assert.equal(parseLabelSelector('!app').matches(undefined), true);
    assert.equal(parseLabelSelector('app').matches(undefined), false);
  });

  it('rejects bad syntax and bad keys/values with 400, worded like labels.Parse', () => {
    assert.equal(
      badRequestMessage(() => parseLabelSelector('app in ()')),
      "unable to parse requirement: values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('app=a b')),
      "found 'b', expected: ',' or 'end of string'",
    );
    assert.match(
      badRequestMessage(() => parseLabelSelector('-bad=x')),
      /^unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'MyName',  or 'my\.name',  or '123-abc', regex used/,
    );
    assert.match(
      badRequestMessage(() => parseLabelSelector('app=-x-')),
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-x-": a valid label must be an empty string/,
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('app IN (a)')),
      "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt",
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('app in (a')),
      "unable to parse requirement: found '', expected: ',' or ')'",
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('app=x,')),
      "found '', expected: identifier after ','",
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('=x')),
      "found '=', expected: !, identifier, or 'end of string'",
    );
    assert.equal(
      badRequestMessage(() => parseLabelSelector('tier>x')),
      "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
    );
  });
});

describe('field selectors', () => {
  const p = pod('istio-system', 'istiod-1', { nodeName: 'node-a', phase: 'Running' });

  it('matches =, == and != on the fields the kind supports', () => {
    const fields = selectableFields(type('Pod'), p);
    assert.equal(parseFieldSelector('metadata.name=istiod-1', type('Pod')).matches(fields), true);
    assert.equal(parseFieldSelector('metadata.namespace==istio-system,spec.nodeName=node-a', type('Pod')).matches(fields), true);
    assert.equal(parseFieldSelector('status.phase!=Running', type('Pod')).matches(fields), false);
    assert.equal(parseFieldSelector('spec.nodeName!=node-b', type('Pod')).matches(fields), true);
    assert.equal(parseFieldSelector('spec.host=node-a', type('Pod')).matches(fields), true, 'spec.host is the old name of spec.nodeName');
    assert.equal(parseFieldSelector('spec.hostNetwork=false', type('Pod')).matches(fields), true);
  });

  it('unsupported labels are refused the way the real conversion function words it', () => {
    // Built-in kinds with only the default labels list them (seen against kube-apiserver 1.37).
    assert.equal(
      badRequestMessage(() => parseFieldSelector('spec.nodeName=x', type('ConfigMap'))),
      '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.equal(
      badRequestMessage(() => parseFieldSelector('spec.x=x', type('Pod'))),
      'field label not supported: spec.x',
    );
    assert.equal(
      badRequestMessage(() => parseFieldSelector('metadata.namespace=x', type('Namespace'))),
      'field label not supported: metadata.namespace',
    );
    assert.equal(
      badRequestMessage(() => parseFieldSelector('metadata.namespace=x', type('GatewayClass'))),
      'field label not supported: metadata.namespace',
    );
    assert.doesNotThrow(() => parseFieldSelector('type=kubernetes.io/tls', type('Secret')));
    assert.doesNotThrow(() => parseFieldSelector('metadata.namespace=istio-system', type('Gateway')));
  });

  it('a term without an operator is a syntax error', () => {
    assert.equal(
      badRequestMessage(() => parseFieldSelector('metadata.name', type('Pod'))),
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });

  it('escaped commas and equals belong to the value', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c', type('ConfigMap'));
    assert.equal(sel.matches({ 'metadata.name': 'a,b=c' }), true);
  });
});
