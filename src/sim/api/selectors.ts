// Label and field selectors parsed and matched the way k8s.io/apimachinery's labels and
// fields packages do, with their error wording, so a bad selector gets the real 400.
import { badRequest } from './status.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';
import type { KubeObject, ResourceType } from './types.ts';

// --- label selectors -----------------------------------------------------------------------

export type LabelOperator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

type Token =
  { kind: 'ident'; text: string } | { kind: 'op'; text: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' } | { kind: 'end' };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: ch as '!' | '=' | '(' | ')' | ',' | '>' | '<' });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j] ?? '') && !/\s/.test(input[j] ?? '')) j++;
    tokens.push({ kind: 'ident', text: input.slice(i, j) });
    i = j;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function describe(t: Token): string {
  return t.kind === 'end' ? '' : t.text;
}

class LabelParser {
  readonly #tokens: Token[];
  #pos = 0;
  constructor(input: string) {
    this.#tokens = tokenize(input);
  }
  #peek(): Token {
    return this.#tokens[this.#pos] ?? { kind: 'end' };
  }
  #next(): Token {
    const t = this.#peek();
    this.#pos++;
    return t;
  }
  /** Errors inside one requirement carry this prefix; the ones between requirements do not. */
  #fail(message: string): never {
    throw badRequest(`unable to parse requirement: ${message}`);
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    const first = this.#peek();
    if (first.kind === 'end') return reqs;
    if (!(first.kind === 'ident' || (first.kind === 'op' && first.text === '!')))
      throw badRequest(`found '${describe(first)}', expected: !, identifier, or 'end of string'`);
    for (;;) {
      reqs.push(this.#requirement());
      const t = this.#next();
      if (t.kind === 'end') return reqs;
      if (!(t.kind === 'op' && t.text === ',')) throw badRequest(`found '${describe(t)}', expected: ',' or 'end of string'`);
      const after = this.#peek();
      if (!(after.kind === 'ident' || (after.kind === 'op' && after.text === '!')))
        throw badRequest(`found '${describe(after)}', expected: identifier after ','`);
    }
  }

  #requirement(): LabelRequirement {
    let t = this.#next();
    let negated = false;
    if (t.kind === 'op' && t.text === '!') {
      negated = true;
      t = this.#next();
    }
    if (t.kind !== 'ident') this.#fail(`found '${describe(t)}', expected: identifier`);
    const key = t.text;
    // The parser checks the key itself, with no field path (hence Go's "<nil>").
    const keyErrors = isQualifiedName(key);
    if (keyErrors.length > 0) this.#fail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
    if (negated) return this.#checked({ key, operator: '!', values: [] });
    const op = this.#peek();
    if (op.kind === 'end' || (op.kind === 'op' && op.text === ',')) return this.#checked({ key, operator: 'exists', values: [] });
    this.#next();
    if (op.kind === 'ident' && (op.text === 'in' || op.text === 'notin')) {
      return this.#checked({ key, operator: op.text, values: this.#valueSet() });
    }
    if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=' || op.text === '>' || op.text === '<')) {
      const v = this.#peek();
      let value = '';
      if (v.kind === 'ident') {
        value = v.text;
        this.#next();
      } else if (!(v.kind === 'end' || (v.kind === 'op' && v.text === ','))) {
        this.#next();
        this.#fail(`found '${describe(v)}', expected: identifier`);
      }
      const operator = op.text === '!=' ? '!=' : op.text === '>' ? 'gt' : op.text === '<' ? 'lt' : '=';
      return this.#checked({ key, operator, values: [value] });
    }
    this.#fail(`found '${describe(op)}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  #valueSet(): string[] {
    const open = this.#next();
    if (!(open.kind === 'op' && open.text === '(')) this.#fail(`found '${describe(open)}', expected: '('`);
    const values: string[] = [];
    for (;;) {
      const t = this.#next();
      if (t.kind === 'op' && t.text === ')') return values;
      if (t.kind === 'ident') {
        values.push(t.text);
        const sep = this.#next();
        if (sep.kind === 'op' && sep.text === ')') return values;
        if (!(sep.kind === 'op' && sep.text === ',')) this.#fail(`found '${describe(sep)}', expected: ',' or ')'`);
        continue;
      }
      if (t.kind === 'op' && t.text === ',') {
        values.push('');
        continue;
      }
      this.#fail(`found '${describe(t)}', expected: ',', ')' or identifier`);
    }
  }

  /** labels.NewRequirement's checks: field errors (messages joined by "; "), aggregated. */
  #checked(req: LabelRequirement): LabelRequirement {
    const errors: string[] = [];
    if ((req.operator === 'in' || req.operator === 'notin') && req.values.length === 0)
      errors.push("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
    if (req.operator === 'gt' || req.operator === 'lt') {
      req.values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v))
          errors.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
    }
    req.values.forEach((v, i) => {
      const msgs = isValidLabelValue(v);
      if (msgs.length > 0) errors.push(`values[${i}][${req.key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
    });
    const unique = [...new Set(errors)];
    if (unique.length === 1) this.#fail(unique[0] ?? '');
    if (unique.length > 1) this.#fail(`[${unique.join(', ')}]`);
    return req;
  }
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && r.values.includes(value ?? '');
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value ?? '');
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value ?? '')) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

const EVERYTHING: LabelSelector = { requirements: [], matches: () => true };

/** Throws 400 BadRequest for a selector the real server would refuse. */
export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (input === undefined || input.trim() === '') return EVERYTHING;
  const requirements = new LabelParser(input).parse();
  return {
    requirements,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => requirementMatches(r, l));
    },
  };
}

// --- field selectors -----------------------------------------------------------------------

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  /** Field values of an object; computed once per object by the caller. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** The metadata.name / metadata.namespace the selector pins, if any (lets a list skip the scan). */
  exact(field: string): string | undefined;
}

/** Splits on separators not escaped with a backslash (fields.ParseSelector's splitTerms). */
function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (ch === '\\' && i + 1 < input.length) {
      cur += ch + (input[i + 1] ?? '');
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function unescape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '\\') {
      const next = value[i + 1];
      if (next === '\\' || next === ',' || next === '=') {
        out += next;
        i++;
        continue;
      }
      throw badRequest(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
    }
    out += ch;
  }
  return out;
}

function splitTerm(term: string): FieldRequirement | undefined {
  // Operators are tried longest-first, at the first unescaped position where one occurs.
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', value: unescape(term.slice(i + op.length)) };
      }
    }
  }
  return undefined;
}

/** Field labels the real server's conversion function accepts for this kind. */
export function supportedFieldLabels(rt: ResourceType): string[] {
  // Cluster-scoped kinds we serve (Namespace, Node, GatewayClass) reject metadata.namespace,
  // as their real conversion functions do.
  const base = rt.namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
  return [...base, ...(rt.fieldSelectors ?? [])];
}

/**
 * Built-in kinds with only the default field labels answer (1.37) with the list of what they
 * support; kinds with their own conversion function, and custom resources, keep the old words.
 */
function unsupportedFieldMessage(rt: ResourceType, field: string): string {
  if (rt.builtin && rt.namespaced && (rt.fieldSelectors ?? []).length === 0) {
    return `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
  }
  return `field label not supported: ${field}`;
}

/** Old clients send spec.host; the real server reads it as spec.nodeName. */
const FIELD_ALIASES: Record<string, string> = { '/Pod:spec.host': 'spec.nodeName' };

export function parseFieldSelector(input: string | undefined, rt: ResourceType): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (input !== undefined && input.trim() !== '') {
    for (const raw of splitUnescaped(input, ',')) {
      const term = raw.trim();
      if (term === '') continue;
      const req = splitTerm(term);
      if (!req) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
      requirements.push(req);
    }
  }
  const supported = supportedFieldLabels(rt);
  for (const req of requirements) {
    const alias = FIELD_ALIASES[`${rt.group}/${rt.kind}:${req.field}`];
    if (alias) req.field = alias;
    if (!supported.includes(req.field)) throw badRequest(unsupportedFieldMessage(rt, req.field));
  }
  return {
    requirements,
    matches(fields) {
      return requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '='));
    },
    exact(field) {
      return requirements.find((r) => r.field === field && r.operator === '=')?.value;
    },
  };
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function dig(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The field set a selector is matched against (the real GetAttrs/ToSelectableFields). */
export function selectableFields(rt: ResourceType, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name };
  if (rt.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
  for (const f of rt.fieldSelectors ?? []) {
    if (f === 'status.podIPs') {
      // The real pod field set exposes only the first pod IP under this name.
      const ips = dig(obj, 'status.podIPs');
      fields[f] = Array.isArray(ips) && ips.length > 0 ? str(dig(ips[0], 'ip')) : '';
    } else if (f === 'spec.hostNetwork' || f === 'spec.unschedulable') {
      fields[f] = dig(obj, f) === true ? 'true' : 'false';
    } else {
      fields[f] = str(dig(obj, f));
    }
  }
  return fields;
}
