// ztunnel's two log encoders (istio/ztunnel src/telemetry.rs, reference §2.1–2.2), reproduced
// from their observable output: a record is turned into exactly the line ztunnel would print.
//
// Text:  <time>\t<level>\t<target>[:<span>{k=v}]…\t<message>\t<k=v k=v …>
//   - the target loses its `ztunnel::` prefix; access logs use target `access`;
//   - the message is followed by a tab even when no fields follow (the message is itself a field);
//   - string values are Rust-Debug quoted, Display values (addresses) and numbers are bare.
// JSON:  {"level","time","scope"(full target),"message", fields by dotted name…, spans as objects}
import { rfc3339Micros } from './timeFormats.ts';
import type { JsonObject, JsonValue } from '../api/types.ts';

export type LogFormat = 'text' | 'json';
export type RustLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * One recorded field. `str` values were recorded as strings (quoted in text); `display` values
 * through Display or Debug of a non-string (bare in text); numbers were recorded as integers.
 */
export type LogField = { name: string; str: string } | { name: string; display: string } | { name: string; num: number };

export interface LogSpan {
  name: string;
  fields: LogField[];
}

export interface LogRecord {
  level: RustLevel;
  /** Full tracing target, e.g. `ztunnel::xds::client`, `access`, `ztunnel::state`. */
  target: string;
  /** Enclosing spans, outermost first. Access logs have none (they are emitted with parent: None). */
  spans?: LogSpan[];
  message: string;
  fields: LogField[];
}

export function formatZtunnelRecord(record: LogRecord, format: LogFormat, at: Date): string {
  return format === 'json' ? jsonLine(record, at) : textLine(record, at);
}

function textLine(record: LogRecord, at: Date): string {
  const target = record.target.startsWith('ztunnel::') ? record.target.slice('ztunnel::'.length) : record.target;
  const spans = (record.spans ?? []).map((span) => `:${span.name}${span.fields.length > 0 ? `{${textFields(span.fields)}}` : ''}`).join('');
  return `${rfc3339Micros(at)}\t${record.level}\t${target}${spans}\t${record.message}\t${textFields(record.fields)}`;
}

function textFields(fields: LogField[]): string {
  return fields.map((field) => `${field.name}=${textValue(field)}`).join(' ');
}

function textValue(field: LogField): string {
  if ('str' in field) return rustDebugString(field.str);
  if ('num' in field) return String(field.num);
  return field.display;
}

function jsonLine(record: LogRecord, at: Date): string {
  const line: JsonObject = {
    level: record.level,
    time: rfc3339Micros(at),
    scope: record.target,
    message: record.message,
  };
  for (const field of record.fields) line[field.name] = jsonValue(field);
  for (const span of record.spans ?? []) {
    const fields: JsonObject = {};
    for (const field of span.fields) fields[field.name] = jsonValue(field);
    line[span.name] = fields;
  }
  return JSON.stringify(line);
}

function jsonValue(field: LogField): JsonValue {
  if ('str' in field) return field.str;
  if ('num' in field) return field.num;
  return field.display;
}

/** Rust's `{:?}` for &str: double quotes, with quotes, backslashes and control characters escaped. */
export function rustDebugString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}
