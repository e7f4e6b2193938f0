// metadata.managedFields as the server keeps it: one entry per manager, operation and
// subresource, replaced on each write. (Field sets are left empty: nothing here reads them.)
import { jsonCopy } from './frozenJson.ts';
import { now } from './metaTime.ts';
import { apiVersionOf } from './resources.ts';
import type { WriteOptions } from './storeTypes.ts';
import type { JsonObject, ResourceType } from './types.ts';

export function updatedManagedFields(
  existing: readonly JsonObject[] | undefined,
  rt: ResourceType,
  opts: WriteOptions,
  subresource: string | undefined,
): JsonObject[] {
  const entries = existing ? (jsonCopy(existing) as JsonObject[]) : [];
  if (!opts.fieldManager) return entries;
  const operation = opts.fieldOperation ?? 'Update';
  const entry: JsonObject = {
    manager: opts.fieldManager,
    operation,
    apiVersion: apiVersionOf(rt),
    time: now(),
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
  if (subresource) entry.subresource = subresource;
  const same = (e: JsonObject): boolean =>
    e.manager === entry.manager && e.operation === operation && (e.subresource ?? undefined) === (entry.subresource ?? undefined);
  const i = entries.findIndex(same);
  if (i >= 0) entries[i] = entry;
  else entries.push(entry);
  return entries;
}
