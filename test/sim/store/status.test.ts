import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError,
  alreadyExists,
  deleteResponseBody,
  conflict,
  expired,
  forbidden,
  invalid,
  notFound,
  resourceNotFound,
  tooManyRequests,
  unauthorized,
} from '../../../src/sim/api/status.ts';
import { RESOURCE_TYPES } from '../../../src/sim/api/resources.ts';
import type { ResourceType } from '../../../src/sim/api/types.ts';

function type(kind: string): ResourceType {
  const rt = RESOURCE_TYPES.find((t) => t.kind === kind);
  if (!rt) throw new Error(kind);
  return rt;
}

describe('metav1.Status errors', () => {
  it('notFound names core resources bare and others group-qualified, with omitempty details', () => {
    assert.deepEqual(notFound(type('Pod'), 'x').status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
    const gw = notFound(type('Gateway'), 'ew').status;
    assert.equal(gw.message, 'gateways.gateway.networking.k8s.io "ew" not found');
    assert.deepEqual(gw.details, { name: 'ew', group: 'gateway.networking.k8s.io', kind: 'gateways' });
  });

  it('serialises keys in the real order (details before code)', () => {
    assert.deepEqual(Object.keys(notFound(type('Pod'), 'x').status), [
      'kind',
      'apiVersion',
      'metadata',
      'status',
      'message',
      'reason',
      'details',
      'code',
    ]);
  });

  it('resourceNotFound is the generic 404 with empty details', () => {
    const s = resourceNotFound().status;
    assert.equal(s.message, 'the server could not find the requested resource');
    assert.deepEqual(s.details, {});
    assert.equal(s.code, 404);
  });

  it('alreadyExists and conflict', () => {
    assert.equal(alreadyExists(type('ConfigMap'), 'c').status.message, 'configmaps "c" already exists');
    assert.equal(alreadyExists(type('ConfigMap'), 'c').status.code, 409);
    const c = conflict(type('Pod'), 'p', 'why').status;
    assert.equal(c.message, 'Operation cannot be fulfilled on pods "p": why');
    assert.equal(c.reason, 'Conflict');
  });

  it('forbidden words namespace and cluster scope like the authorizer, subresource in the sentence only', () => {
    const list = forbidden('alice', 'list', 'pods', '', 'istio-system').status;
    assert.equal(
      list.message,
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "istio-system"',
    );
    assert.deepEqual(list.details, { kind: 'pods' });
    const log = forbidden('alice', 'get', 'pods/log', '', 'istio-system', 'ztunnel-1').status;
    assert.equal(
      log.message,
      'pods "ztunnel-1" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "istio-system"',
    );
    const gc = forbidden('bob', 'watch', 'gatewayclasses', 'gateway.networking.k8s.io').status;
    assert.equal(
      gc.message,
      'gatewayclasses.gateway.networking.k8s.io is forbidden: User "bob" cannot watch resource "gatewayclasses" ' +
        'in API group "gateway.networking.k8s.io" at the cluster scope',
    );
    assert.equal(gc.code, 403);
  });

  it('unauthorized, expired and tooManyRequests', () => {
    assert.deepEqual(unauthorized().status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const e = expired('too old resource version: 1 (5)').status;
    assert.equal(e.code, 410);
    assert.equal(e.reason, 'Expired');
    assert.equal(tooManyRequests(3).status.details?.retryAfterSeconds, 3);
  });

  it('invalid aggregates one cause bare and several in brackets, with kind (not resource) in details', () => {
    const one = invalid(type('Pod'), 'P', [{ field: 'metadata.name', message: 'Invalid value: "P": bad' }]);
    assert.ok(one instanceof ApiError);
    assert.equal(one.status.message, 'Pod "P" is invalid: metadata.name: Invalid value: "P": bad');
    assert.deepEqual(one.status.details, {
      name: 'P',
      kind: 'Pod',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "P": bad', field: 'metadata.name' }],
    });
    const two = invalid(type('Gateway'), 'g', [
      { field: 'a', message: 'Required value', reason: 'FieldValueRequired' },
      { field: 'b', message: 'Required value', reason: 'FieldValueRequired' },
    ]);
    assert.equal(two.status.message, 'Gateway.gateway.networking.k8s.io "g" is invalid: [a: Required value, b: Required value]');
    assert.equal(two.status.code, 422);
  });

  it('a DELETE answers a Status for most kinds and the object for pods, services, namespaces and custom resources', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', uid: 'u1' } };
    assert.deepEqual(deleteResponseBody(type('ConfigMap'), cm), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'c', kind: 'configmaps', uid: 'u1' },
    });
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'd', uid: 'u2' } };
    assert.deepEqual((deleteResponseBody(type('Deployment'), dep) as { details: object }).details, {
      name: 'x',
      group: 'apps',
      kind: 'deployments',
      uid: 'u2',
    });
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' } };
    assert.equal(deleteResponseBody(type('Pod'), p), p);
    const held = { ...cm, metadata: { ...cm.metadata, finalizers: ['x'], deletionTimestamp: '2026-01-01T00:00:00Z' } };
    assert.equal(deleteResponseBody(type('ConfigMap'), held), held);
  });
});
