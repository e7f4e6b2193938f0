// Accept-header negotiation for reads: which representation (object as JSON or YAML, Table,
// PartialObjectMetadata) the client asked for, decided the way the real negotiator decides.
import { badRequest, failure, type ApiError } from './status.ts';
import { parseIncludeObject, type IncludeObject } from './table.ts';
import type { Format } from './responses.ts';

export type Representation =
  { as: 'object'; format: Format } | { as: 'table'; include: IncludeObject; apiVersion: string } | { as: 'metadata'; list: boolean };

export function notAcceptable(): ApiError {
  return failure(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

function mediaParams(parts: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const p of parts) {
    const [k, v] = p.split('=');
    if (k && v !== undefined) params.set(k.trim(), v.trim());
  }
  return params;
}

/** Picks the first acceptable entry of the Accept header, as the real negotiator does. */
export function negotiate(accept: string | undefined, query: URLSearchParams): Representation {
  if (!accept || accept.trim() === '') return { as: 'object', format: 'json' };
  for (const entry of accept.split(',')) {
    const [mediaRaw, ...paramParts] = entry.split(';');
    const media = (mediaRaw ?? '').trim().toLowerCase();
    const params = mediaParams(paramParts);
    const json = media === 'application/json' || media === 'application/*' || media === '*/*';
    if (!json && media !== 'application/yaml') continue;
    const as = params.get('as');
    if (as === undefined) return { as: 'object', format: json ? 'json' : 'yaml' };
    if (!json || params.get('g') !== 'meta.k8s.io') continue;
    const v = params.get('v');
    if (as === 'Table' && (v === 'v1' || v === 'v1beta1')) {
      const include = parseIncludeObject(query.get('includeObject'));
      if (!include) throw badRequest(`includeObject: Unsupported value: "${query.get('includeObject')}"`);
      return { as: 'table', include, apiVersion: `meta.k8s.io/${v}` };
    }
    if (v === 'v1' && (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')) {
      return { as: 'metadata', list: as === 'PartialObjectMetadataList' };
    }
  }
  throw notAcceptable();
}
