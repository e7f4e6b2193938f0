// PodLogOptions read from the query string the way kube-apiserver decodes and validates them
// (apimachinery's query-parameter conversions, then core validation ValidatePodLogOptions),
// so a bad request fails with the same status, reason and message as on a real cluster.
import { ApiError, badRequest } from '../api/status.ts';
import { parseRfc3339 } from './goTimeParse.ts';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  /** Milliseconds since the epoch, already truncated to whole seconds as the apiserver forwards it. */
  sinceTime?: number;
}

/** Go's `strconv.Quote`-ish quoting, enough for the ASCII values query strings carry. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** Convert_Slice_string_To_bool: absent → false; "0", "false", "no" (any case) → false; anything else, even empty → true. */
function readBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  const lower = value.toLowerCase();
  return !(value === '0' || lower === 'false' || lower === 'no');
}

/** Convert_Slice_string_To_Pointer_int64: empty → unset; otherwise strconv.ParseInt(s, 10, 64). */
function readInt64(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^[+-]?\d+$/.test(value)) throw badRequest(`strconv.ParseInt: parsing ${quote(value)}: invalid syntax`);
  const parsed = BigInt(value);
  if (parsed > 9223372036854775807n || parsed < -9223372036854775808n) {
    throw badRequest(`strconv.ParseInt: parsing ${quote(value)}: value out of range`);
  }
  return Number(parsed);
}

/** metav1.Time.UnmarshalQueryParameter: time.Parse(time.RFC3339, s); "" and "null" mean unset. */
function readTime(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '' || value === 'null') return undefined;
  const parsed = parseRfc3339(value);
  if (typeof parsed !== 'number') throw badRequest(parsed.error);
  // The apiserver re-encodes sinceTime for the kubelet with time.RFC3339, dropping fractions.
  return Math.floor(parsed / 1000) * 1000;
}

interface FieldError {
  field: string;
  reason: string;
  body: string;
}

function invalidLogOptions(pod: string, errors: FieldError[]): ApiError {
  const lines: string[] = [];
  for (const e of errors) {
    const line = `${e.field}: ${e.body}`;
    if (!lines.includes(line)) lines.push(line);
  }
  const message = `PodLogOptions ${quote(pod)} is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`;
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    details: {
      name: pod,
      kind: 'PodLogOptions',
      // Go's omitempty drops the empty field path of the sinceTime/sinceSeconds error.
      causes: errors.map((e) => (e.field ? { reason: e.reason, message: e.body, field: e.field } : { reason: e.reason, message: e.body })),
    },
    code: 422,
  });
}

/** Decodes and validates; throws ApiError (400 on a malformed value, 422 on an invalid one). */
export function readPodLogOptions(query: URLSearchParams, pod: string): PodLogOptions {
  const options: PodLogOptions = {
    follow: readBool(query, 'follow'),
    previous: readBool(query, 'previous'),
    timestamps: readBool(query, 'timestamps'),
  };
  const container = query.get('container');
  if (container) options.container = container;
  const sinceSeconds = readInt64(query, 'sinceSeconds');
  const sinceTime = readTime(query, 'sinceTime');
  const tailLines = readInt64(query, 'tailLines');
  const limitBytes = readInt64(query, 'limitBytes');

  const errors: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) {
    errors.push({
      field: 'tailLines',
      reason: 'FieldValueInvalid',
      body: `Invalid value: ${tailLines}: must be greater than or equal to 0`,
    });
  }
  if (limitBytes !== undefined && limitBytes < 1) {
    errors.push({ field: 'limitBytes', reason: 'FieldValueInvalid', body: `Invalid value: ${limitBytes}: must be greater than 0` });
  }
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    errors.push({
      field: '',
      reason: 'FieldValueForbidden',
      body: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    errors.push({ field: 'sinceSeconds', reason: 'FieldValueInvalid', body: `Invalid value: ${sinceSeconds}: must be greater than 0` });
  }
  if (errors.length > 0) throw invalidLogOptions(pod, errors);

  if (tailLines !== undefined) options.tailLines = tailLines;
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  if (sinceTime !== undefined) options.sinceTime = sinceTime;
  return options;
}
