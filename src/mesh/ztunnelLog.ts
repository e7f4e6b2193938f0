// One parser for the log lines the console reads: ztunnel (text and LOG_FORMAT=json) and
// istiod (zap console and --log_as_json). Lines come from pods we do not control: they may be
// garbage, binary, cut in half, or a megabyte long. So: no regex that can backtrack, every
// loop is linear in a capped prefix, nothing throws, and what a record keeps is bounded.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type LogFieldValue = string | number | boolean | null;
export type LogSource = 'ztunnel' | 'istiod' | 'unknown';
export type LogFormat = 'text' | 'json' | 'raw';

export interface LogSpan {
  name: string;
  fields: Record<string, LogFieldValue>;
}

export interface LogRecord {
  source: LogSource;
  /** `raw` when the line had no recognisable structure; its text is then the message. */
  format: LogFormat;
  /** RFC 3339 as printed. */
  time?: string;
  level?: LogLevel;
  /** ztunnel target without `ztunnel::` (`access`, `xds::client`) or istiod scope (`ads`, `peering`). */
  target?: string;
  spans: LogSpan[];
  message: string;
  /** `k=v` fields (ztunnel) or labels (istiod); Debug-quoted strings are unescaped. */
  fields: Record<string, LogFieldValue>;
  /** The line as received, capped and with control characters replaced. */
  raw: string;
  /** Something was cut: the line, a value, or the number of fields. */
  truncated: boolean;
}

/** Only this much of a line is looked at; real lines are a few hundred bytes. */
export const MAX_PARSED_CHARS = 16 * 1024;
/** A JSON line longer than this is not parsed as JSON (its prefix is kept as raw text). */
export const MAX_JSON_CHARS = 64 * 1024;
export const MAX_RAW_CHARS = 2048;
export const MAX_MESSAGE_CHARS = 2048;
export const MAX_VALUE_CHARS = 1024;
export const MAX_FIELDS = 48;
export const MAX_SPANS = 8;

const LEVELS: ReadonlyMap<string, LogLevel> = new Map([
  ['trace', 'trace'],
  ['debug', 'debug'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['fatal', 'fatal'],
  ['panic', 'fatal'],
  ['dpanic', 'fatal'],
]);

/** istiod scopes we know by name; used only to guess the source of an unhinted line. */
const ISTIOD_SCOPES = new Set([
  'ads',
  'delta',
  'deltaadsc',
  'peering',
  'security',
  'pkica',
  'model',
  'xdsproxy',
  'multicluster',
  'kube',
  'krt',
  'controllers',
  'gateway',
  'ambient',
  'leader',
  'serviceentry',
  'validation',
  'grpc',
  'status',
  'spiffe',
  'authorization',
  'cache',
  'klog',
  'cert-watcher',
  'default',
  'installer',
]);

// Anchored, bounded: can only scan ~40 characters.
const TIME_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})/;
// A single class, no nesting: linear.
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Spell control characters (terminal escapes included) as `\xNN`, the form every report prints
 * them in (docs/report.md), and cap the length.
 */
function clean(text: string, max: number): { text: string; cut: boolean } {
  const cut = text.length > max;
  const head = cut ? text.slice(0, max) : text;
  return { text: head.replace(CONTROL_CHARS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`), cut };
}

function parseLevel(token: string | undefined): LogLevel | undefined {
  return token === undefined ? undefined : LEVELS.get(token.trim().toLowerCase());
}

function isKeyStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

function isKeyChar(c: string): boolean {
  return isKeyStart(c) || (c >= '0' && c <= '9') || c === '.' || c === '-';
}

/** Does `text` at `pos` start a `key=` token? */
function startsField(text: string, pos: number): boolean {
  if (!isKeyStart(text[pos])) return false;
  for (let i = pos + 1; i < text.length && i < pos + 128; i++) {
    const c = text[i] as string;
    if (c === '=') return true;
    if (!isKeyChar(c)) return false;
  }
  return false;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '0': '\0', '"': '"', "'": "'", '\\': '\\' };

/**
 * Read a Rust-Debug quoted string starting at the opening quote. Returns the unescaped value
 * and the index after the closing quote (or the end, for an unbalanced quote).
 */
function readQuoted(text: string, start: number): { value: string; end: number; closed: boolean } {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value: out, end: i + 1, closed: true };
    if (c === '\\' && i + 1 < text.length) {
      const e = text[i + 1] as string;
      if (e === 'u' && text[i + 2] === '{') {
        const close = text.indexOf('}', i + 3);
        const hex = close > 0 && close - (i + 3) <= 6 ? text.slice(i + 3, close) : '';
        const code = /^[0-9a-fA-F]{1,6}$/.test(hex) ? Number.parseInt(hex, 16) : NaN;
        if (!Number.isNaN(code) && code <= 0x10ffff) {
          out += String.fromCodePoint(code);
          i = close + 1;
          continue;
        }
      }
      const simple = SIMPLE_ESCAPES[e];
      out += simple ?? e;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return { value: out, end: text.length, closed: false };
}

function plainValue(raw: string): LogFieldValue {
  // Numbers stay numbers (bytes_sent=0), the way the JSON format carries them.
  if (raw !== '' && /^-?\d{1,15}(?:\.\d{1,15})?$/.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return raw;
}

interface Fields {
  fields: Record<string, LogFieldValue>;
  cut: boolean;
}

/** Parse `k=v k="quoted \" value" …`; tokens without `=` are skipped. */
function parseFields(text: string): Fields {
  const fields: Record<string, LogFieldValue> = {};
  let count = 0;
  let cut = false;
  let i = 0;
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    if (!startsField(text, i)) {
      while (i < text.length && !isSpace(text[i])) i++;
      continue;
    }
    const eq = text.indexOf('=', i);
    const key = text.slice(i, eq);
    i = eq + 1;
    let value: LogFieldValue;
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      value = q.value;
      i = q.end;
      if (!q.closed) cut = true;
    } else {
      const start = i;
      while (i < text.length && !isSpace(text[i])) i++;
      value = plainValue(text.slice(start, i));
    }
    if (count >= MAX_FIELDS) {
      cut = true;
      continue;
    }
    if (typeof value === 'string') {
      const c = clean(value, MAX_VALUE_CHARS);
      if (c.cut) cut = true;
      value = c.text;
    }
    if (key === '__proto__') continue;
    fields[key] = value;
    count++;
  }
  return { fields, cut };
}

/**
 * Split a ztunnel target such as `xds::client:xds{id=8}` into the module path and its spans.
 * Spans are joined by a single `:`; `::` belongs to the module path.
 */
function parseTarget(target: string): { target: string; spans: LogSpan[]; cut: boolean } {
  const parts: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < target.length; i++) {
    const c = target[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) {
      if (target[i + 1] === ':') {
        i++;
        continue;
      }
      parts.push(target.slice(last, i));
      last = i + 1;
    }
  }
  parts.push(target.slice(last));
  const module = (parts[0] ?? '').replace(/^ztunnel::/, '');
  const spans: LogSpan[] = [];
  let cut = false;
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (spans.length >= MAX_SPANS) {
      cut = true;
      break;
    }
    const brace = part.indexOf('{');
    const name = brace >= 0 ? part.slice(0, brace) : part;
    const inner = brace >= 0 ? part.slice(brace + 1, part.endsWith('}') ? -1 : undefined) : '';
    const parsed = parseFields(inner);
    if (parsed.cut) cut = true;
    spans.push({ name: clean(name, 128).text, fields: parsed.fields });
  }
  return { target: clean(module, 256).text, spans, cut };
}

function guessSource(target: string | undefined, hint: LogSource | undefined): LogSource {
  if (hint) return hint;
  if (target === undefined) return 'istiod';
  if (target.includes('::') || target.includes('{') || target === 'access' || target === 'hyper_util') return 'ztunnel';
  return ISTIOD_SCOPES.has(target) ? 'istiod' : 'unknown';
}

function record(
  partial: Omit<LogRecord, 'raw' | 'truncated' | 'spans' | 'fields'> & Partial<Pick<LogRecord, 'spans' | 'fields'>>,
  line: string,
  cut: boolean,
): LogRecord {
  const raw = clean(line, MAX_RAW_CHARS);
  const message = clean(partial.message, MAX_MESSAGE_CHARS);
  return {
    ...partial,
    spans: partial.spans ?? [],
    fields: partial.fields ?? {},
    message: message.text,
    raw: raw.text,
    truncated: cut || raw.cut || message.cut,
  };
}

/** Looks like a `k=v` list (a label column) rather than a message or a scope. */
function looksLikeFieldList(text: string): boolean {
  return startsField(text, 0);
}

/** Tab-separated columns: time, level, [target|scope], message, [fields|labels]. */
function parseTabbed(line: string, source: LogSource | undefined, cut: boolean): LogRecord | undefined {
  const cols = line.split('\t');
  const time = cols[0] ?? '';
  const level = parseLevel(cols[1]);
  if (level === undefined) return undefined;
  const rest = cols.slice(2);
  let targetText: string | undefined;
  let message = '';
  let fieldText = '';
  if (rest.length >= 3) {
    targetText = rest[0];
    message = rest[1] ?? '';
    fieldText = rest.slice(2).join(' ');
  } else if (rest.length === 2) {
    const [a = '', b = ''] = rest;
    // istiod default scope with labels: "<message>\t<k=v …>"; otherwise "<target>\t<message>".
    if (source !== 'ztunnel' && a.includes(' ') && looksLikeFieldList(b)) {
      message = a;
      fieldText = b;
    } else {
      targetText = a;
      message = b;
    }
  } else {
    message = rest[0] ?? '';
  }
  const t = targetText !== undefined ? parseTarget(targetText.trim()) : undefined;
  const f = parseFields(fieldText);
  return record(
    {
      source: guessSource(t?.target, source),
      format: 'text',
      time,
      level,
      ...(t ? { target: t.target, spans: t.spans } : {}),
      message: message.trim(),
      fields: f.fields,
    },
    line,
    cut || f.cut || (t?.cut ?? false),
  );
}

/** Read one whitespace-delimited token at `pos`, keeping `{…}` span groups together. */
function readToken(text: string, pos: number): { token: string; end: number } {
  let i = pos;
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (isSpace(c) && depth === 0) break;
    i++;
  }
  return { token: text.slice(pos, i), end: i };
}

function skipSpaces(text: string, pos: number): number {
  let i = pos;
  while (isSpace(text[i])) i++;
  return i;
}

/** Tabs turned into runs of spaces (copy-pastes, some log shippers). */
function parseSpaced(line: string, timeEnd: number, source: LogSource | undefined, cut: boolean): LogRecord {
  const time = line.slice(0, timeEnd);
  let pos = skipSpaces(line, timeEnd);
  const levelTok = readToken(line, pos);
  const level = parseLevel(levelTok.token);
  if (level === undefined) {
    return record({ source: source ?? 'unknown', format: 'text', time, message: line.slice(pos).trim() }, line, cut);
  }
  pos = skipSpaces(line, levelTok.end);
  const cand = readToken(line, pos);
  const gapEnd = skipSpaces(line, cand.end);
  const candidate = cand.token.endsWith(':') ? cand.token.slice(0, -1) : cand.token;
  // A target/scope is one token followed by a column gap; a default-scope istiod message is
  // words separated by single spaces.
  const isTarget =
    cand.token !== '' &&
    (source === 'ztunnel' ||
      candidate.includes('::') ||
      candidate.includes('{') ||
      ISTIOD_SCOPES.has(candidate) ||
      candidate === 'access' ||
      gapEnd - cand.end >= 2);
  let t: ReturnType<typeof parseTarget> | undefined;
  if (isTarget) {
    t = parseTarget(candidate);
    pos = gapEnd;
  }
  // The message ends where the first `key=` token starts.
  let fieldsAt = line.length;
  for (let i = pos; i < line.length; i++) {
    if (isSpace(line[i]) && !isSpace(line[i + 1]) && startsField(line, i + 1)) {
      fieldsAt = i + 1;
      break;
    }
  }
  const f = parseFields(line.slice(fieldsAt));
  return record(
    {
      source: guessSource(t?.target, source),
      format: 'text',
      time,
      level,
      ...(t ? { target: t.target, spans: t.spans } : {}),
      message: line.slice(pos, fieldsAt).trim(),
      fields: f.fields,
    },
    line,
    cut || f.cut || (t?.cut ?? false),
  );
}

function jsonScalar(v: unknown): { value: LogFieldValue; cut: boolean } {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return { value: v, cut: false };
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const c = clean(text, MAX_VALUE_CHARS);
  return { value: c.text, cut: c.cut };
}

function parseJsonLine(line: string, source: LogSource | undefined): LogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const obj = parsed as Record<string, unknown>;
  const fields: Record<string, LogFieldValue> = {};
  const spans: LogSpan[] = [];
  let cut = false;
  let count = 0;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'level' || key === 'time' || key === 'ts' || key === 'scope' || key === 'msg' || key === 'message') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // ztunnel's JSON format nests each span's fields under the span name.
      if (spans.length >= MAX_SPANS) {
        cut = true;
        continue;
      }
      const spanFields: Record<string, LogFieldValue> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_FIELDS)) {
        const s = jsonScalar(v);
        if (s.cut) cut = true;
        if (k !== '__proto__') spanFields[k] = s.value;
      }
      spans.push({ name: clean(key, 128).text, fields: spanFields });
      continue;
    }
    if (count >= MAX_FIELDS) {
      cut = true;
      continue;
    }
    const s = jsonScalar(value);
    if (s.cut) cut = true;
    fields[key] = s.value;
    count++;
  }
  const messageValue = obj['message'] ?? obj['msg'];
  const scope = typeof obj['scope'] === 'string' ? clean(obj['scope'].replace(/^ztunnel::/, ''), 256).text : undefined;
  const time = typeof obj['time'] === 'string' ? obj['time'] : typeof obj['ts'] === 'string' ? obj['ts'] : undefined;
  const level = typeof obj['level'] === 'string' ? parseLevel(obj['level']) : undefined;
  // `msg` is zap's key (istiod); ztunnel writes `message`.
  const inferred: LogSource = 'msg' in obj ? 'istiod' : 'message' in obj ? 'ztunnel' : 'unknown';
  return record(
    {
      source: source ?? inferred,
      format: 'json',
      ...(time !== undefined ? { time: clean(time, 64).text } : {}),
      ...(level ? { level } : {}),
      ...(scope !== undefined ? { target: scope } : {}),
      spans,
      message: typeof messageValue === 'string' ? messageValue : messageValue === undefined ? '' : JSON.stringify(messageValue),
      fields,
    },
    line,
    cut,
  );
}

/**
 * Parse one log line. `source` is a hint from the caller (which container the line came from);
 * without it the source is guessed. Never throws.
 */
export function parseLogLine(line: string, source?: LogSource): LogRecord {
  try {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') && trimmed.length <= MAX_JSON_CHARS) {
      const json = parseJsonLine(trimmed, source);
      if (json) return json;
    }
    const cut = text.length > MAX_PARSED_CHARS;
    const head = cut ? text.slice(0, MAX_PARSED_CHARS) : text;
    const time = TIME_PREFIX.exec(head);
    if (time) {
      const afterTime = head[time[0].length];
      if (afterTime === '\t') {
        const tabbed = parseTabbed(head, source, cut);
        if (tabbed) return tabbed;
      }
      if (afterTime === undefined || isSpace(afterTime)) return parseSpaced(head, time[0].length, source, cut);
    }
    return record({ source: source ?? 'unknown', format: 'raw', message: head.trim() }, head, cut);
  } catch {
    // Unreachable by design; a parser must never take a log follower down with it.
    return record({ source: source ?? 'unknown', format: 'raw', message: '' }, line.slice(0, MAX_RAW_CHARS), true);
  }
}

export function parseZtunnelLine(line: string): LogRecord {
  return parseLogLine(line, 'ztunnel');
}

export function parseIstiodLine(line: string): LogRecord {
  return parseLogLine(line, 'istiod');
}

/** The `error` field (ztunnel) or `error`/`err` label, else undefined. */
export function recordError(rec: LogRecord): string | undefined {
  const e = rec.fields['error'] ?? rec.fields['err'];
  return typeof e === 'string' ? e : undefined;
}
