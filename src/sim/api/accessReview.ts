// SelfSubjectAccessReview (`kubectl auth can-i`, and the guided actions asking before they offer
// a write): POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews, answered from the
// caller's forbidden rules (the scenario's and the run-time faults'), the same rules that make
// the real requests 403. Nothing is stored. Every authenticated user may create one (the real
// server's system:basic-user role grants it to system:authenticated), whatever else they lack;
// anonymous may not. Discovery lists the group with this one resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext } from './handlerContext.ts';
import type { JsonObject, ResourceType } from './types.ts';
import type { ResourceRequest } from './resourcePath.ts';
import { isAllowed, type Identity } from './auth.ts';
import { forbidden, invalid, methodNotAllowed } from './status.ts';
import { isObject, mediaTypeOf, readBody, readObject } from './requestBody.ts';
import { decodeAccessReview } from './accessReviewProto.ts';
import { writeJson, type ResponseHeaders } from './responses.ts';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
const PLURAL = 'selfsubjectaccessreviews';

/** Described like a served type, for discovery and error wording; never stored. */
export const ACCESS_REVIEW_TYPE: ResourceType = {
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  listKind: 'SelfSubjectAccessReviewList',
  plural: PLURAL,
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  builtin: true,
  subresources: [],
  crd: false,
};

export function isAccessReview(r: ResourceRequest): boolean {
  return r.group === AUTHORIZATION_GROUP && r.plural === PLURAL && r.namespace === undefined && r.name === undefined;
}

/** The group's discovery documents: /apis/authorization.k8s.io and /apis/authorization.k8s.io/v1. */
export function accessReviewGroup(): JsonObject {
  const entry = { groupVersion: `${AUTHORIZATION_GROUP}/v1`, version: 'v1' };
  return { kind: 'APIGroup', apiVersion: 'v1', name: AUTHORIZATION_GROUP, versions: [entry], preferredVersion: entry };
}

export function accessReviewResources(): JsonObject {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${AUTHORIZATION_GROUP}/v1`,
    resources: [
      { name: PLURAL, singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
    ],
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export async function serveAccessReview(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  identity: Identity,
  headers: ResponseHeaders,
): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed('the server does not allow this method on the requested resource');
  if (!identity.user) throw forbidden(identity.name, 'create', PLURAL, AUTHORIZATION_GROUP);
  // kubectl asks in protobuf; the answer is JSON, which it also accepts.
  const body = mediaTypeOf(req) === 'application/vnd.kubernetes.protobuf' ? decodeAccessReview(await readBody(req)) : await readObject(req);
  const spec = isObject(body.spec) ? body.spec : {};
  const resourceAttributes = isObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const nonResourceAttributes = isObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if ((resourceAttributes === undefined) === (nonResourceAttributes === undefined)) {
    throw invalid(ACCESS_REVIEW_TYPE, '', [
      {
        field: 'spec.resourceAttributes',
        message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  // Non-resource URLs: every user may read them here (authorizePath lets any user through).
  let allowed = true;
  if (resourceAttributes !== undefined) {
    const namespace = str(resourceAttributes.namespace);
    const name = str(resourceAttributes.name);
    const subresource = str(resourceAttributes.subresource);
    allowed = isAllowed(
      identity,
      {
        verb: str(resourceAttributes.verb) ?? '',
        group: str(resourceAttributes.group) ?? '',
        resource: str(resourceAttributes.resource) ?? '',
        ...(subresource !== undefined && subresource !== '' ? { subresource } : {}),
        ...(namespace !== undefined && namespace !== '' ? { namespace } : {}),
        ...(name !== undefined && name !== '' ? { name } : {}),
      },
      ctx.faults.forbiddenRules(identity.name),
    );
  }
  const review = {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `${AUTHORIZATION_GROUP}/v1`,
    metadata: { creationTimestamp: null },
    spec,
    status: allowed ? { allowed: true, reason: 'simulator: no forbidden rule of this user matches' } : { allowed: false },
  };
  writeJson(res, 201, review, headers);
}
