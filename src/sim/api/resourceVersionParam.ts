// The resourceVersion a list or watch asks for, parsed as the storage layer does.
import { invalid } from './status.ts';
import type { ResourceType } from './types.ts';
import { invalidValue } from './validation.ts';

/** The storage layer's parse error, reported (oddly, but really) as a 422 about the resource. */
export function parseResourceVersion(rt: ResourceType, text: string): number {
  if (!/^\d+$/.test(text))
    throw invalid({ ...rt, kind: rt.plural }, '', [
      invalidValue('resourceVersion', text, `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`),
    ]);
  return Number(text);
}
