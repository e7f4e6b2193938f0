import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchRejected } from '../../../src/sim/api/patch.ts';
import { ApiError } from '../../../src/sim/api/status.ts';
import type { JsonValue } from '../../../src/sim/api/types.ts';

function rejection(fn: () => unknown): { code: number; reason: string; message: string; cause?: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    // The library's words are kept on the error but not sent (the real 422 has empty details).
    const cause = e instanceof PatchRejected ? e.detail : undefined;
    return { code: e.status.code, reason: e.status.reason, message: e.status.message, ...(cause !== undefined ? { cause } : {}) };
  }
  assert.fail('expected an ApiError');
}

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    const original: JsonValue = { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1, 2], keep: true } };
    const patched = applyMergePatch(original, { metadata: { labels: { a: null, c: '3' } }, spec: { list: [3] } });
    assert.deepEqual(patched, { metadata: { labels: { b: '2', c: '3' } }, spec: { list: [3], keep: true } });
    assert.deepEqual(original, { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1, 2], keep: true } }, 'input untouched');
  });

  it('RFC 7386 appendix examples', () => {
    assert.deepEqual(applyMergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
    assert.deepEqual(applyMergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
    assert.deepEqual(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
    assert.deepEqual(applyMergePatch({ a: 'foo' }, 'bar'), 'bar');
    assert.deepEqual(applyMergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
    assert.deepEqual(applyMergePatch([1, 2], { a: 'b', c: null }), { a: 'b' });
    assert.deepEqual(applyMergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc: JsonValue = { metadata: { resourceVersion: '5', labels: { 'app.kubernetes.io/name': 'x' } }, spec: { items: ['a', 'b'] } };

  it('add, remove, replace, move, copy and test', () => {
    const patched = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/resourceVersion', value: '5' },
      { op: 'add', path: '/metadata/labels/topology.istio.io~1network', value: 'net1' },
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' },
      { op: 'replace', path: '/spec/items/0', value: 'A' },
      { op: 'add', path: '/spec/items/-', value: 'c' },
      { op: 'copy', from: '/spec/items/2', path: '/spec/copied' },
      { op: 'move', from: '/spec/copied', path: '/spec/moved' },
    ]);
    assert.deepEqual(patched, {
      metadata: { resourceVersion: '5', labels: { 'topology.istio.io/network': 'net1' } },
      spec: { items: ['A', 'b', 'c'], moved: 'c' },
    });
    assert.deepEqual((doc as { spec: { items: string[] } }).spec.items, ['a', 'b'], 'input untouched');
  });

  it('a failed test is the generic 422 (the library message kept, not sent)', () => {
    assert.deepEqual(
      rejection(() => applyJsonPatch(doc, [{ op: 'test', path: '/metadata/resourceVersion', value: '4' }])),
      {
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
        cause: 'testing value /metadata/resourceVersion failed: test failed',
      },
    );
  });

  it('missing paths are refused', () => {
    assert.equal(
      rejection(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/nope', value: 1 }])).cause,
      'replace operation does not apply: doc is missing key: /spec/nope: missing value',
    );
    assert.equal(
      rejection(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }])).cause,
      "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value",
    );
    assert.equal(rejection(() => applyJsonPatch(doc, [{ op: 'add', path: '/nope/deeper', value: 1 }])).code, 422);
  });

  it('a body that is not a list of operations is 400', () => {
    assert.equal(rejection(() => applyJsonPatch(doc, { op: 'add' })).code, 400);
  });
});

describe('strategic merge patch', () => {
  const pod: JsonValue = {
    metadata: { labels: { a: '1' }, finalizers: ['x'] },
    spec: {
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
        { name: 'sidecar', image: 'proxy:1' },
      ],
      tolerations: [{ key: 'a' }],
    },
    status: {
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'Initialized', status: 'True' },
      ],
    },
  };

  it('merges containers by name, env by name, conditions by type; atomic lists are replaced', () => {
    const patched = applyStrategicMergePatch(
      pod,
      {
        metadata: { finalizers: ['y'] },
        spec: {
          containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] }],
          tolerations: [{ key: 'b' }],
        },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'Pod',
    );
    assert.deepEqual(patched, {
      metadata: { labels: { a: '1' }, finalizers: ['x', 'y'] },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80 }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'b' }],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Initialized', status: 'True' },
        ],
      },
    });
  });

  it('$patch: delete removes a list element; $patch: replace replaces a map or list', () => {
    const deleted = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }, 'Pod') as {
      spec: { containers: { name: string }[] };
    };
    assert.deepEqual(
      deleted.spec.containers.map((c) => c.name),
      ['app'],
    );
    const replacedMap = applyStrategicMergePatch(pod, { metadata: { labels: { b: '2', $patch: 'replace' } } }, 'Pod') as {
      metadata: { labels: object };
    };
    assert.deepEqual(replacedMap.metadata.labels, { b: '2' });
    const replacedList = applyStrategicMergePatch(
      pod,
      { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'i' }] } },
      'Pod',
    ) as { spec: { containers: object[] } };
    assert.deepEqual(replacedList.spec.containers, [{ name: 'only', image: 'i' }]);
  });

  it('null deletes a key; $deleteFromPrimitiveList and $setElementOrder are understood', () => {
    const patched = applyStrategicMergePatch(
      pod,
      {
        metadata: { labels: { a: null }, '$deleteFromPrimitiveList/finalizers': ['x'] },
        spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }] },
      },
      'Pod',
    ) as { metadata: { labels: object; finalizers: string[] }; spec: Record<string, unknown> };
    assert.deepEqual(patched.metadata.labels, {});
    assert.deepEqual(patched.metadata.finalizers, []);
    assert.equal(
      Object.keys(patched.spec).some((k) => k.startsWith('$')),
      false,
    );
  });

  it('deployments merge their pod template containers by name; services merge ports by port', () => {
    const deployment: JsonValue = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '1' },
            ],
          },
        },
      },
    };
    const patched = applyStrategicMergePatch(
      deployment,
      { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } },
      'Deployment',
    );
    assert.deepEqual(patched, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '2' },
            ],
          },
        },
      },
    });
    const svc: JsonValue = {
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 15008, name: 'hbone' },
        ],
      },
    };
    const svcPatched = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 15008, name: 'tunnel' }] } }, 'Service');
    assert.deepEqual(svcPatched, {
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 15008, name: 'tunnel' },
        ],
      },
    });
  });

  it('$setElementOrder orders a merged list the way the patch lists it', () => {
    const patched = applyStrategicMergePatch(
      pod,
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
          containers: [{ name: 'sidecar', image: 'proxy:2' }],
        },
      },
      'Pod',
    ) as { spec: { containers: { name: string; image: string }[] } };
    assert.deepEqual(
      patched.spec.containers.map((c) => `${c.name}=${c.image}`),
      ['sidecar=proxy:2', 'app=app:1'],
    );
  });

  it('$retainKeys drops keys not listed', () => {
    const patched = applyStrategicMergePatch(
      { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
      { spec: { strategy: { type: 'Recreate', $retainKeys: ['type'] } } },
      'Deployment',
    );
    assert.deepEqual(patched, { spec: { strategy: { type: 'Recreate' } } });
  });
});
