// Object validation with kube-apiserver's wording (k8s.io/apimachinery util/validation and
// api/validation, k8s.io/kubernetes pkg/apis/*/validation), enough for bad input to get the
// real 422: metadata names, label keys and values, annotation keys and total size, and the
// handful of required fields the kinds we serve insist on.
import type { InvalidCause } from './status.ts';
import type { JsonValue, KubeObject, ResourceType } from './types.ts';

// --- util/validation messages -------------------------------------------------------------

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // The real message puts ", " after every example and " or " between them (hence two spaces).
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number): string => `must be no more than ${n} characters`;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;

const anchored = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL = anchored(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = anchored(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL = anchored(DNS1035_LABEL_FMT);
const QNAME = anchored(QNAME_FMT);
const LABEL_VALUE = anchored(LABEL_VALUE_FMT);

export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and " +
            'must start and end with an alphanumeric character',
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " +
          "'.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an " +
          'alphabetic character, and end with an alphanumeric character',
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Label and annotation keys: `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with ` +
        `an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QNAME.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
          'and must start and end with an alphanumeric character',
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

// --- field.Error rendering ----------------------------------------------------------------

/** Go's %q for the strings we show (JSON escaping matches it for printable text). */
function quote(value: string): string {
  return JSON.stringify(value);
}

export function invalidValue(field: string, value: string | number | boolean | null, detail: string): InvalidCause {
  const shown = typeof value === 'string' ? quote(value) : value === null ? 'null' : String(value);
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${shown}${detail ? `: ${detail}` : ''}` };
}

export function required(field: string, detail = ''): InvalidCause {
  return { field, reason: 'FieldValueRequired', message: `Required value${detail ? `: ${detail}` : ''}` };
}

export function tooLong(field: string, maxBytes: number): InvalidCause {
  return { field, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${maxBytes} bytes` };
}

export function forbiddenField(field: string, detail: string): InvalidCause {
  return { field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}

// --- object validation ----------------------------------------------------------------------

/** How each kind's name is validated (ValidateXName in the real validation packages). */
function nameRule(rt: ResourceType): (name: string) => string[] {
  if (rt.group === '' && rt.kind === 'Namespace') return isDns1123Label;
  if (rt.group === '' && rt.kind === 'Service') return isDns1035Label;
  return isDns1123Subdomain;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabels(labels: unknown, field: string): InvalidCause[] {
  const causes: InvalidCause[] = [];
  if (labels === undefined || labels === null) return causes;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const m of isQualifiedName(k)) causes.push(invalidValue(field, k, m));
    const value = typeof v === 'string' ? v : String(v);
    for (const m of isValidLabelValue(value)) causes.push(invalidValue(field, value, m));
  }
  return causes;
}

export function validateAnnotations(annotations: unknown, field: string): InvalidCause[] {
  const causes: InvalidCause[] = [];
  if (annotations === undefined || annotations === null) return causes;
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const m of isQualifiedName(k.toLowerCase())) causes.push(invalidValue(field, k, m));
    // The limit is on bytes, as Go's len() counts them.
    total += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

/** ValidateObjectMeta: name (or generateName), namespace presence, labels, annotations. */
export function validateMetadata(rt: ResourceType, obj: KubeObject): InvalidCause[] {
  const causes: InvalidCause[] = [];
  const meta = obj.metadata;
  const name = typeof meta.name === 'string' ? meta.name : '';
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  const rule = nameRule(rt);
  if (generateName) {
    // The prefix is checked with a trailing dash masked, as the real server does.
    const masked = generateName.endsWith('-') ? generateName.slice(0, -1) : generateName;
    for (const m of rule(masked)) causes.push(invalidValue('metadata.generateName', generateName, m));
  }
  if (!name) {
    if (!generateName) causes.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of rule(name)) causes.push(invalidValue('metadata.name', name, m));
  }
  if (rt.namespaced) {
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    if (!ns) causes.push(required('metadata.namespace'));
    else for (const m of isDns1123Label(ns)) causes.push(invalidValue('metadata.namespace', ns, m));
  }
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return causes;
}

function at(obj: unknown, path: string[]): JsonValue | undefined {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur as JsonValue | undefined;
}

function isEmpty(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function validatePodSpec(spec: JsonValue | undefined, field: string): InvalidCause[] {
  const causes: InvalidCause[] = [];
  const containers = at(spec, ['containers']);
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${field}.containers`));
    return causes;
  }
  containers.forEach((c, i) => {
    const name = at(c, ['name']);
    if (isEmpty(name)) causes.push(required(`${field}.containers[${i}].name`));
    else if (typeof name === 'string')
      for (const m of isDns1123Label(name)) causes.push(invalidValue(`${field}.containers[${i}].name`, name, m));
    if (isEmpty(at(c, ['image']))) causes.push(required(`${field}.containers[${i}].image`));
  });
  return causes;
}

/**
 * Required fields of the built-in kinds. Custom resources get none: the CRDs the contract
 * suite installs carry no schema (x-kubernetes-preserve-unknown-fields), so a real server
 * accepts any spec for them too.
 */
function validateKind(rt: ResourceType, obj: KubeObject): InvalidCause[] {
  const key = `${rt.group}/${rt.kind}`;
  switch (key) {
    case '/Pod':
      return validatePodSpec(at(obj, ['spec']), 'spec');
    case '/Service': {
      const type = at(obj, ['spec', 'type']);
      const clusterIP = at(obj, ['spec', 'clusterIP']);
      if (type !== 'ExternalName' && clusterIP !== 'None' && isEmpty(at(obj, ['spec', 'ports']))) return [required('spec.ports')];
      return [];
    }
    case 'apps/Deployment':
    case 'apps/DaemonSet': {
      const causes: InvalidCause[] = [];
      if (isEmpty(at(obj, ['spec', 'selector']))) causes.push(required('spec.selector'));
      causes.push(...validatePodSpec(at(obj, ['spec', 'template', 'spec']), 'spec.template.spec'));
      return causes;
    }
    default:
      return [];
  }
}

/** Everything create and update check; empty means valid. */
export function validateObject(rt: ResourceType, obj: KubeObject): InvalidCause[] {
  return [...validateMetadata(rt, obj), ...validateKind(rt, obj)];
}
