// Parsing resource URLs (/api/v1/... and /apis/<group>/<version>/...) into what they name.

export interface ResourceRequest {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy /watch/ path prefix. */
  watchPath: boolean;
}

/** Whether the path is below a group version, where only resources are served. */
export function isResourcePath(segments: string[]): boolean {
  return (segments[0] === 'api' && segments.length >= 3) || (segments[0] === 'apis' && segments.length >= 4);
}

/** Parses the path segments of a resource URL; undefined → 404. */
export function parseResourcePath(segments: string[]): ResourceRequest | undefined {
  const core = segments[0] === 'api';
  const group = core ? '' : segments[1]!;
  const version = core ? segments[1]! : segments[2]!;
  let rest = segments.slice(core ? 2 : 3);
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  const named = (plural: string, name: string | undefined, subresource: string | undefined, namespace?: string): ResourceRequest => {
    const r: ResourceRequest = { group, version, plural, watchPath };
    if (namespace !== undefined) r.namespace = namespace;
    if (name !== undefined) r.name = name;
    if (subresource !== undefined) r.subresource = subresource;
    return r;
  };
  // Core /namespaces/<ns> (and its status/finalize) is the namespace object itself, not a scope.
  const namespaceSelf = rest.length <= 2 || (rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'));
  const namespaceScoped = rest[0] === 'namespaces' && (group === '' ? !namespaceSelf : rest.length >= 3);
  if (namespaceScoped) {
    if (rest.length > 5) return undefined;
    return named(rest[2]!, rest[3], rest[4], rest[1]);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  return named(rest[0]!, rest[1], rest[2]);
}
