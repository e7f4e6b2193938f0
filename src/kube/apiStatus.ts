// Reading what kube-apiserver says in a failure: the metav1.Status body (as JSON text or an
// object), the RBAC denial message, and whether a 404 means "no such object" or "nothing serves
// this resource type" (a CRD that is not installed).

export interface ForbiddenDetail {
  user: string | undefined;
  verb: string;
  /** e.g. "pods", "pods/portforward", "gateways" */
  resource: string;
  /** '' for the core group */
  group: string;
  /** undefined: cluster scope */
  namespace: string | undefined;
}

export interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; retryAfterSeconds?: number };
}

export function parseStatusBody(body: unknown): StatusBody | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const details = typeof fields.details === 'object' && fields.details !== null ? (fields.details as Record<string, unknown>) : undefined;
  return {
    ...(typeof fields.message === 'string' && { message: fields.message }),
    ...(typeof fields.reason === 'string' && { reason: fields.reason }),
    ...(typeof fields.code === 'number' && { code: fields.code }),
    ...(details && {
      details: {
        ...(typeof details.name === 'string' && { name: details.name }),
        ...(typeof details.kind === 'string' && { kind: details.kind }),
        ...(typeof details.group === 'string' && { group: details.group }),
        ...(typeof details.retryAfterSeconds === 'number' && { retryAfterSeconds: details.retryAfterSeconds }),
      },
    }),
  };
}

// The apiserver answers a path no installed API serves with this exact message and no details
// (its NotFound handler), while a missing object names itself: `pods "x" not found`.
const NO_SUCH_RESOURCE = 'the server could not find the requested resource';

export function isNotInstalled(body: StatusBody | undefined, path: string | undefined): boolean {
  if (body?.message === NO_SUCH_RESOURCE && body.details?.name === undefined) return true;
  // No Status at all (a bare 404 "404 page not found") for a group/version path: nothing serves it.
  return body === undefined && path !== undefined && path.startsWith('/apis/');
}

/** "/apis/gateway.networking.k8s.io/v1/namespaces/x/gateways/y" → "gateways.gateway.networking.k8s.io/v1" */
export function resourceOfPath(path: string): string | undefined {
  const parts =
    path
      .split('?')[0]
      ?.split('/')
      .filter((part) => part !== '') ?? [];
  if (parts[0] !== 'apis' || parts.length < 3) return undefined;
  const [, group, version, ...rest] = parts;
  const plural = rest[0] === 'namespaces' ? rest[2] : rest[0];
  return plural ? `${plural}.${group}/${version}` : `${group}/${version}`;
}

// kube-apiserver's RBAC denial: `pods "x" is forbidden: User "u" cannot get resource "pods" in API
// group "" in the namespace "ns"` (or `at the cluster scope`), optionally followed by `: <reason>`.
const FORBIDDEN_PATTERN =
  /User "((?:[^"\\]|\\.)*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)?/;

export function parseForbidden(message: string): ForbiddenDetail | undefined {
  const match = FORBIDDEN_PATTERN.exec(message);
  if (!match || match[2] === undefined || match[3] === undefined) return undefined;
  return { user: match[1], verb: match[2], resource: match[3], group: match[4] ?? '', namespace: match[5] };
}
