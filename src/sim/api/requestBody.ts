// Reading and decoding request bodies: the real server's 3 MiB limit, its Content-Type
// checks for object bodies, and JSON or YAML decoding with its error wording.
import type { IncomingMessage } from 'node:http';
import { load as loadYaml } from 'js-yaml';
import type { JsonObject, JsonValue } from './types.ts';
import { badRequest, failure, unsupportedMediaType, type ApiError } from './status.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function entityTooLarge(): ApiError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
}

/** The whole body; past the limit it is still drained (so the client sees our answer) but not kept. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(entityTooLarge());
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The Content-Type without parameters, lower-cased ('' when absent). */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function parseDocument(text: string, mediaType: string): JsonValue {
  try {
    if (mediaType === 'application/yaml' || mediaType.endsWith('+yaml')) return loadYaml(text) as JsonValue;
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw badRequest(`error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A non-empty body decoded with the given media type. */
export async function readDocument(req: IncomingMessage, mediaType: string): Promise<JsonValue> {
  const body = await readBody(req);
  if (body.length === 0) throw badRequest('the body of the request was empty');
  return parseDocument(body.toString('utf8'), mediaType);
}

/** The object body of a create or update (JSON or YAML). */
export async function readObject(req: IncomingMessage): Promise<JsonObject> {
  const mediaType = mediaTypeOf(req);
  if (mediaType !== '' && mediaType !== 'application/json' && mediaType !== 'application/yaml') {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, ` +
        `application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  const doc = await readDocument(req, mediaType);
  if (!isObject(doc)) throw badRequest('the body of the request was not an object');
  return doc;
}
