// The few writes the guided actions make, each bound to what was seen at plan time so a changed
// object refuses instead of being overwritten: a label change is a JSON merge patch that carries
// metadata.resourceVersion and metadata.uid (the server compares the resourceVersion and answers
// 409 Conflict when the object moved on; a uid that is not the live object's is refused as an
// immutable field), a delete carries DeleteOptions preconditions {uid, resourceVersion}. Every
// write can be a server-side dry run (`?dryRun=All`): admission and validation run, nothing is
// stored. Also here: a GET of one object and SelfSubjectAccessReview, to ask before offering.
//
// Raw requests through ContextClient.fetch rather than the generated APIs: one code path for core
// and custom resources, the content type is ours to choose (the generated patch methods default
// to JSON patch, see reference/client-node.md §6), and the Status body of a refusal is kept.
import type { ContextClient } from './contextClient.ts';
import { parseStatusBody } from './apiStatus.ts';

/** The object a write is about, as a user names it with kubectl. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type WriteRefusal = 'conflict' | 'forbidden' | 'notFound' | 'invalid' | 'unreachable' | 'other';

export type WriteResult =
  | { ok: true; status: number; object?: Record<string, unknown> }
  | { ok: false; status: number; refusal: WriteRefusal; reason: string; message: string };

/** Plural and scope of the kinds the actions touch; anything else is named by the caller. */
const KNOWN_KINDS: Readonly<Record<string, { plural: string; namespaced: boolean }>> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  Pod: { plural: 'pods', namespaced: true },
  Gateway: { plural: 'gateways', namespaced: true },
  WorkloadEntry: { plural: 'workloadentries', namespaced: true },
  ServiceEntry: { plural: 'serviceentries', namespaced: true },
  DaemonSet: { plural: 'daemonsets', namespaced: true },
  Deployment: { plural: 'deployments', namespaced: true },
};

export function pluralOfKind(kind: string): string {
  return KNOWN_KINDS[kind]?.plural ?? `${kind.toLowerCase()}s`;
}

/** The API group of an apiVersion (`v1` → '', `gateway.networking.k8s.io/v1` → the group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `/api/v1/namespaces/x` or `/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>`. */
export function objectPath(ref: ObjectRef): string {
  const base = groupOf(ref.apiVersion) === '' ? `/api/${ref.apiVersion}` : `/apis/${ref.apiVersion}`;
  const plural = pluralOfKind(ref.kind);
  const scoped = ref.namespace !== undefined && ref.namespace !== '' && KNOWN_KINDS[ref.kind]?.namespaced !== false;
  const ns = scoped ? `/namespaces/${encodeURIComponent(ref.namespace ?? '')}` : '';
  return `${base}${ns}/${plural}/${encodeURIComponent(ref.name)}`;
}

function withDryRun(path: string, dryRun: boolean): string {
  return dryRun ? `${path}?dryRun=All` : path;
}

function refusalOf(status: number): WriteRefusal {
  if (status === 409) return 'conflict';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 422 || status === 400) return 'invalid';
  return 'other';
}

async function send(
  client: ContextClient,
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST',
  path: string,
  body?: unknown,
  contentType?: string,
) {
  try {
    const response = await client.fetch(path, {
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': contentType ?? 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status >= 200 && response.status < 300) {
      const object = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      return { ok: true as const, status: response.status, ...(object ? { object } : {}) };
    }
    const statusBody = parseStatusBody(parsed);
    return {
      ok: false as const,
      status: response.status,
      refusal: refusalOf(response.status),
      reason: statusBody?.reason ?? response.statusText,
      message: statusBody?.message ?? (text.slice(0, 300) || `HTTP ${response.status}`),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false as const, status: 0, refusal: 'unreachable' as const, reason: 'Unreachable', message };
  }
}

/**
 * Sets (or, with `value` null, removes) one label, refused unless the object still has the
 * preconditions' resourceVersion (409) and uid (422 immutable field).
 */
export function patchLabel(
  client: ContextClient,
  ref: ObjectRef,
  label: { key: string; value: string | null },
  preconditions: Preconditions,
  options: { dryRun: boolean },
): Promise<WriteResult> {
  const metadata: Record<string, unknown> = { labels: { [label.key]: label.value } };
  if (preconditions.uid !== undefined) metadata['uid'] = preconditions.uid;
  if (preconditions.resourceVersion !== undefined) metadata['resourceVersion'] = preconditions.resourceVersion;
  return send(client, 'PATCH', withDryRun(objectPath(ref), options.dryRun), { metadata }, 'application/merge-patch+json');
}

/** Deletes the object only if it is still the one seen (uid) in the state seen (resourceVersion). */
export function deleteWithPreconditions(
  client: ContextClient,
  ref: ObjectRef,
  preconditions: Preconditions,
  options: { dryRun: boolean },
): Promise<WriteResult> {
  // dryRun goes in the body: with a DeleteOptions body, kube-apiserver ignores the query string,
  // so `?dryRun=All` would really delete (seen in test/contract/actions.contract.test.ts).
  const body = {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    ...(options.dryRun ? { dryRun: ['All'] } : {}),
    preconditions: {
      ...(preconditions.uid !== undefined ? { uid: preconditions.uid } : {}),
      ...(preconditions.resourceVersion !== undefined ? { resourceVersion: preconditions.resourceVersion } : {}),
    },
  };
  return send(client, 'DELETE', objectPath(ref), body);
}

export function getObject(client: ContextClient, ref: ObjectRef): Promise<WriteResult> {
  return send(client, 'GET', objectPath(ref));
}

/** What SelfSubjectAccessReview is asked: RBAC's resource attributes. */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type AccessAnswer = { state: 'allowed' } | { state: 'denied'; reason: string } | { state: 'unknown'; reason: string };

/** Asks the API server whether this context's user may do `question` (nothing is changed). */
export async function canI(client: ContextClient, question: AccessQuestion): Promise<AccessAnswer> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: question.verb,
        group: question.group,
        resource: question.resource,
        ...(question.subresource !== undefined ? { subresource: question.subresource } : {}),
        ...(question.namespace !== undefined ? { namespace: question.namespace } : {}),
        ...(question.name !== undefined ? { name: question.name } : {}),
      },
    },
  };
  const result = await send(client, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body);
  if (!result.ok) return { state: 'unknown', reason: `cannot ask the API server (${result.status || 'no answer'}): ${result.message}` };
  const status = result.object?.['status'];
  const record = typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
  if (record['allowed'] === true) return { state: 'allowed' };
  const reason = typeof record['reason'] === 'string' ? record['reason'] : '';
  return { state: 'denied', reason };
}
