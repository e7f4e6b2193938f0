// POST (create, with generateName) and PUT (update of the object or its status subresource).
import { randomInt } from 'node:crypto';
import type { ResourceCall } from './handlerContext.ts';
import { badRequest } from './status.ts';
import { readObject } from './requestBody.ts';
import { checkBodyAgainstPath } from './bodyMatchesPath.ts';
import { subresourceOption, writeQuery } from './writeOptions.ts';
import { writeJson } from './responses.ts';

/** The alphabet of utilrand.String: no vowels (no words) and no look-alike characters. */
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export async function serveCreate(call: ResourceCall): Promise<void> {
  const { ctx, req, res, query, rt, r, headers } = call;
  const w = writeQuery(query, 'CreateOptions');
  const obj = checkBodyAgainstPath(rt, await readObject(req), r);
  if (!obj.metadata.name && typeof obj.metadata.generateName === 'string' && obj.metadata.generateName !== '') {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
    obj.metadata.name = obj.metadata.generateName + suffix;
  }
  const created = ctx.store.create(rt, obj, w);
  writeJson(res, 201, created, headers);
}

export async function serveUpdate(call: ResourceCall, name: string): Promise<void> {
  const { ctx, req, res, query, rt, r, headers } = call;
  const w = writeQuery(query, 'UpdateOptions');
  const obj = checkBodyAgainstPath(rt, await readObject(req), r);
  if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const updated = ctx.store.update(rt, obj, { ...w, ...subresourceOption(r) });
  writeJson(res, 200, updated, headers);
}
