// kubectl sends SelfSubjectAccessReview in protobuf (`kubectl auth can-i`: the authorization
// client prefers application/vnd.kubernetes.protobuf), so the simulator reads that one message.
// The envelope is the 4-byte magic `k8s\0` and a runtime.Unknown {1 typeMeta, 2 raw}; raw is
// authorization.v1.SelfSubjectAccessReview {1 metadata, 2 spec}, spec {1 resourceAttributes,
// 2 nonResourceAttributes}; ResourceAttributes {1 namespace, 2 verb, 3 group, 4 version,
// 5 resource, 6 subresource, 7 name}, NonResourceAttributes {1 path, 2 verb} (field numbers from
// k8s.io/api/authorization/v1/generated.proto). Only length-delimited and varint fields occur.
import type { JsonObject } from './types.ts';
import { badRequest } from './status.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Length-delimited fields of one message, by field number (last one wins, as in proto3). */
function fields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= buf.length) throw badRequest('truncated protobuf');
      const byte = buf[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      out.set(field, buf.subarray(at, at + length));
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw badRequest(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

function strings(buf: Buffer | undefined, names: Record<number, string>): JsonObject {
  const out: JsonObject = {};
  if (buf === undefined) return out;
  for (const [num, value] of fields(buf)) {
    const name = names[num];
    if (name !== undefined) out[name] = value.toString('utf8');
  }
  return out;
}

/** The review's spec as JSON, from the protobuf request body. */
export function decodeAccessReview(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('the body is not a Kubernetes protobuf message');
  const raw = fields(body.subarray(4)).get(2);
  if (raw === undefined) throw badRequest('the protobuf envelope holds no object');
  const spec = fields(raw).get(2);
  const specFields = spec !== undefined ? fields(spec) : new Map<number, Buffer>();
  const out: JsonObject = {};
  if (specFields.has(1)) {
    out.resourceAttributes = strings(specFields.get(1), {
      1: 'namespace',
      2: 'verb',
      3: 'group',
      4: 'version',
      5: 'resource',
      6: 'subresource',
      7: 'name',
    });
  }
  if (specFields.has(2)) out.nonResourceAttributes = strings(specFields.get(2), { 1: 'path', 2: 'verb' });
  return { spec: out };
}
