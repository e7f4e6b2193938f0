// Turns whatever a Kubernetes call threw into one of a few kinds a context status and a check
// can act on, with a one-line message that names what failed. The shapes come from
// reference/client-node.md §8: ApiException (code + Status JSON text in body; 401 has no body),
// Watch's Error(statusText) with statusCode, undici's TypeError('fetch failed') with a cause code,
// DOMException TimeoutError/AbortError, ws ErrorEvent ("Unexpected server response: 403"),
// exec plugin and kubeconfig errors.
import { ApiException } from '@kubernetes/client-node';
import { ExecPluginError } from './execPluginError.ts';
import { KubeconfigError } from './kubeconfigError.ts';
import { isNotInstalled, parseForbidden, parseStatusBody, resourceOfPath, type ForbiddenDetail, type StatusBody } from './apiStatus.ts';

export { parseForbidden, type ForbiddenDetail } from './apiStatus.ts';

export type ErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'notInstalled'
  | 'gone'
  | 'conflict'
  | 'invalid'
  | 'throttled'
  | 'server'
  | 'exec'
  | 'config'
  /** We cancelled it ourselves (context closed, screen left): usually not worth showing. */
  | 'aborted'
  | 'unknown';

export interface ClassifiedError {
  kind: ErrorKind;
  /** One line, names what failed. Never contains credentials. */
  message: string;
  statusCode?: number;
  /** metav1.Status reason, e.g. "Forbidden", "Expired", "TooManyRequests". */
  reason?: string;
  /** Network/TLS/undici/exec error code, e.g. "ECONNREFUSED", "ERR_TLS_CERT_ALTNAME_INVALID". */
  code?: string;
  retryAfterSeconds?: number;
  forbidden?: ForbiddenDetail;
  /** Trying the same request again later can succeed (network, 5xx, 429, timeouts). */
  retryable: boolean;
}

export interface ClassifyHints {
  /** The context the request was for; prefixed to the message. */
  context?: string;
  /** The server URL, named in network and TLS messages. */
  server?: string;
  /** What was being done, e.g. "list gateways". */
  action?: string;
  /** The request path; lets a 404 on /apis/<group>/… be told apart as "not installed". */
  path?: string;
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
};

const TLS_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "server certificate is not signed by the kubeconfig's certificate-authority",
  UNABLE_TO_GET_ISSUER_CERT: "server certificate is not signed by the kubeconfig's certificate-authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'server certificate is not signed by a trusted certificate-authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'server certificate chain ends in an untrusted self-signed CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'server certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'server certificate has expired',
  CERT_NOT_YET_VALID: 'server certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'server certificate does not match the host name (check server / tls-server-name)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'server did not answer with TLS (plain HTTP on that port?)',
};

export function classifyError(error: unknown, hints: ClassifyHints = {}): ClassifiedError {
  const classified = classify(error, hints);
  const prefix = hints.context !== undefined && !classified.message.includes(`context ${hints.context}`) ? `${hints.context}: ` : '';
  return { ...classified, message: oneLine(prefix + classified.message) };
}

function classify(error: unknown, hints: ClassifyHints): ClassifiedError {
  if (error instanceof KubeconfigError) return { kind: 'config', message: error.message, retryable: false };
  if (error instanceof ExecPluginError) {
    return { kind: 'exec', message: error.message, code: error.kind, retryable: error.kind === 'timeout' || error.kind === 'failed' };
  }

  const status = httpStatusOf(error);
  if (status) return fromHttpStatus(status.code, status.body, status.headers, hints);

  const chain = causeChain(error);
  for (const link of chain) {
    const name = nameOf(link);
    if (name === 'TimeoutError') return { kind: 'timeout', message: `${what(hints)} timed out`, retryable: true };
    if (name === 'AbortError') return { kind: 'aborted', message: `${what(hints)} was cancelled`, retryable: false };
  }
  for (const link of chain) {
    const code = codeOf(link);
    if (code === undefined) continue;
    const syscall = (link as { syscall?: unknown }).syscall;
    if (code === 'ENOENT' && typeof syscall === 'string' && syscall.startsWith('spawn ')) {
      // client-node's own ExecAuth, if something used it directly.
      return { kind: 'exec', message: `exec plugin "${syscall.slice(6)}" not found on PATH`, code, retryable: false };
    }
    if (code === 'ENOENT' || code === 'EACCES') {
      return { kind: 'config', message: `cannot read a file named in the kubeconfig (${code})`, code, retryable: false };
    }
    const unreachable = UNREACHABLE_CODES[code];
    if (unreachable)
      return { kind: 'unreachable', message: `cannot reach ${where(hints)}: ${unreachable} (${code})`, code, retryable: true };
    const timeout = TIMEOUT_CODES[code];
    if (timeout) return { kind: 'timeout', message: `${what(hints)} timed out: ${timeout} (${code})`, code, retryable: true };
    const tls = TLS_CODES[code] ?? (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_/.test(code) ? 'TLS handshake failed' : undefined);
    if (tls) return { kind: 'tls', message: `TLS error talking to ${where(hints)}: ${tls} (${code})`, code, retryable: false };
  }
  for (const link of chain) {
    const message = link instanceof Error ? link.message : '';
    if (message.includes('HTTP protocol is not allowed')) {
      return { kind: 'config', message: `${where(hints)} is plain http:// but insecure-skip-tls-verify is not set`, retryable: false };
    }
    if (message === 'bad port') {
      return { kind: 'config', message: `${where(hints)} uses a port that fetch refuses to connect to`, retryable: false };
    }
  }
  const first = chain[0];
  const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
  return { kind: 'unknown', message: `${what(hints)} failed: ${text}`, retryable: false };
}

function fromHttpStatus(
  code: number,
  body: StatusBody | undefined,
  headers: Record<string, string> | undefined,
  hints: ClassifyHints,
): ClassifiedError {
  const reason = body?.reason;
  const serverMessage = body?.message;
  const base = { statusCode: code, ...(reason !== undefined && { reason }) };
  switch (true) {
    case code === 401:
      return { ...base, kind: 'auth', message: `credentials rejected by ${where(hints)} (401 Unauthorized)`, retryable: false };
    case code === 403: {
      const forbidden = serverMessage !== undefined ? parseForbidden(serverMessage) : undefined;
      const message = forbidden ? describeForbidden(forbidden) : `forbidden: ${serverMessage ?? `${what(hints)} (403)`}`;
      return { ...base, kind: 'forbidden', message, ...(forbidden && { forbidden }), retryable: false };
    }
    case code === 404: {
      if (isNotInstalled(body, hints.path)) {
        const resource = hints.path ? resourceOfPath(hints.path) : undefined;
        return {
          ...base,
          kind: 'notInstalled',
          message: `${resource ?? 'the requested resource type'} is not served by this cluster (CRD not installed?)`,
          retryable: false,
        };
      }
      return { ...base, kind: 'notFound', message: serverMessage ?? `${what(hints)}: not found (404)`, retryable: false };
    }
    case code === 410:
      return {
        ...base,
        kind: 'gone',
        message: `resource version expired (410 Gone)${serverMessage ? `: ${serverMessage}` : ''}`,
        retryable: true,
      };
    case code === 409:
      return { ...base, kind: 'conflict', message: `conflict: ${serverMessage ?? what(hints)}`, retryable: false };
    case code === 429: {
      const retryAfterSeconds = body?.details?.retryAfterSeconds ?? retryAfterHeader(headers);
      const after = retryAfterSeconds !== undefined ? `, retry after ${retryAfterSeconds}s` : '';
      return {
        ...base,
        kind: 'throttled',
        message: `throttled by ${where(hints)} (429 ${serverMessage ?? 'Too Many Requests'})${after}`,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        retryable: true,
      };
    }
    case code === 400 || code === 405 || code === 406 || code === 415 || code === 422:
      return {
        ...base,
        kind: 'invalid',
        message: `rejected as invalid (${code}${reason ? ` ${reason}` : ''}): ${serverMessage ?? what(hints)}`,
        retryable: false,
      };
    case code >= 500 && code <= 599: {
      const retryAfterSeconds = body?.details?.retryAfterSeconds ?? retryAfterHeader(headers);
      return {
        ...base,
        kind: 'server',
        message: `API server error ${code}${reason ? ` ${reason}` : ''}${serverMessage ? `: ${serverMessage}` : ''}`,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        retryable: true,
      };
    }
    default:
      return {
        ...base,
        kind: 'unknown',
        message: `${what(hints)}: unexpected HTTP ${code}${serverMessage ? `: ${serverMessage}` : ''}`,
        retryable: false,
      };
  }
}

/** The status of an HTTP-level failure in any of client-node's shapes, with the Status body if any. */
function httpStatusOf(
  error: unknown,
): { code: number; body: StatusBody | undefined; headers: Record<string, string> | undefined } | undefined {
  if (error instanceof ApiException) {
    const apiError = error as ApiException<unknown>;
    return { code: apiError.code, body: parseStatusBody(apiError.body), headers: lowerCaseKeys(apiError.headers) };
  }
  if (typeof error !== 'object' || error === null) return undefined;
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number')
    return { code: statusCode, body: parseStatusBody((error as { body?: unknown }).body), headers: undefined };
  // ws ErrorEvent from PortForward/Exec: the code only survives in the message text.
  const message = (error as { message?: unknown }).message;
  const match = typeof message === 'string' ? /Unexpected server response: (\d{3})/.exec(message) : null;
  if (match?.[1]) return { code: Number(match[1]), body: undefined, headers: undefined };
  return undefined;
}

function describeForbidden(detail: ForbiddenDetail): string {
  const resource = detail.group === '' ? detail.resource : `${detail.resource}.${detail.group}`;
  const scope = detail.namespace !== undefined ? ` in namespace "${detail.namespace}"` : ' at cluster scope';
  const who = detail.user !== undefined ? `user "${detail.user}"` : 'this user';
  return `forbidden: ${who} cannot ${detail.verb} ${resource}${scope}`;
}

function retryAfterHeader(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

/** err, err.cause, err.cause.cause…, and the members of AggregateErrors, without cycles. */
function causeChain(error: unknown): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (value === undefined || value === null || seen.has(value) || depth > 8) return;
    seen.add(value);
    out.push(value);
    if (typeof value !== 'object') return;
    const errors = (value as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const member of errors) visit(member, depth + 1);
    visit((value as { cause?: unknown }).cause, depth + 1);
  };
  visit(error, 0);
  return out;
}

function nameOf(value: unknown): string | undefined {
  const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function codeOf(value: unknown): string | undefined {
  const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function what(hints: ClassifyHints): string {
  return hints.action ?? 'request';
}

function where(hints: ClassifyHints): string {
  return hints.server ?? 'the API server';
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
