// Go's time.Parse(time.RFC3339, s), as the apiserver applies it to `?sinceTime=`: the same
// values accepted, and for the rest the same error text ("parsing time … cannot parse …"),
// since the apiserver returns that text verbatim in its 400.

const LAYOUT = '2006-01-02T15:04:05Z07:00';

function quote(s: string): string {
  return JSON.stringify(s);
}

function cannotParse(value: string, rest: string, element: string): string {
  return `parsing time ${quote(value)} as ${quote(LAYOUT)}: cannot parse ${quote(rest)} as ${quote(element)}`;
}

function outOfRange(value: string, what: string): string {
  return `parsing time ${quote(value)}: ${what} out of range`;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits; `fixed` demands two. */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch, or Go's error message. */
export function parseRfc3339(value: string): number | { error: string } {
  let rest = value;
  const literal = (text: string): boolean => {
    if (!rest.startsWith(text)) return false;
    rest = rest.slice(text.length);
    return true;
  };
  const number = (element: string, fixed: boolean): number | { error: string } => {
    const parsed = getnum(rest, fixed);
    if (!parsed) return { error: cannotParse(value, rest, element) };
    rest = parsed[1];
    return parsed[0];
  };

  if (rest.length < 4 || ![0, 1, 2, 3].every((i) => isDigit(rest, i))) return { error: cannotParse(value, rest, '2006') };
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  const fields: [string, string, boolean, number, string][] = [
    // literal before, element, fixed width, exclusive upper bound, range name
    ['-', '01', true, 13, 'month'],
    ['-', '02', true, 32, ''],
    ['T', '15', false, 24, 'hour'],
    [':', '04', true, 60, 'minute'],
    [':', '05', true, 60, 'second'],
  ];
  const numbers: number[] = [];
  for (const [before, element, fixed, bound, name] of fields) {
    if (!literal(before)) return { error: cannotParse(value, rest, before) };
    const n = number(element, fixed);
    if (typeof n !== 'number') return n;
    if (name && (n >= bound || (name === 'month' && n < 1))) return { error: outOfRange(value, name) };
    numbers.push(n);
  }
  const [month = 1, day = 1, hour = 0, minute = 0, second = 0] = numbers;
  let fractionMs = 0;
  if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
    let n = 2;
    while (isDigit(rest, n)) n++;
    fractionMs = Math.floor(Number(`0.${rest.slice(1, n)}`) * 1000);
    rest = rest.slice(n);
  }
  let offsetMinutes = 0;
  if (rest[0] === 'Z') {
    rest = rest.slice(1);
  } else {
    const zone = rest;
    const sign = zone[0];
    const hh = getnum(zone.slice(1, 3), true);
    const mm = getnum(zone.slice(4, 6), true);
    if (zone.length < 6 || zone[3] !== ':' || (sign !== '+' && sign !== '-') || !hh || !mm)
      return { error: cannotParse(value, zone, 'Z07:00') };
    if (hh[0] > 24) return { error: outOfRange(value, 'time zone offset hour') };
    if (mm[0] > 60) return { error: outOfRange(value, 'time zone offset minute') };
    offsetMinutes = (sign === '-' ? -1 : 1) * (hh[0] * 60 + mm[0]);
    rest = zone.slice(6);
  }
  if (rest.length > 0) return { error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` };
  if (day < 1 || day > daysIn(month, year)) return { error: outOfRange(value, 'day') };
  return Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMinutes * 60_000;
}
