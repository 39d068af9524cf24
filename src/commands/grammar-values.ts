import { echo, ParseError } from './grammar-lexer.js';

// C0/C1 controls and bidi overrides/isolates, which can make a name read differently than it is.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Trimmed text without control characters, at most `max` long. */
export function requiredText(value: string, what: string, max: number): string {
  const text = value.trim();
  if (text === '') throw new ParseError(`The ${what} is empty.`);
  if (CONTROL.test(text)) throw new ParseError(`The ${what} contains control characters.`);
  if (text.length > max) throw new ParseError(`The ${what} is longer than ${max} characters.`);
  return text;
}

/** Like requiredText for an optional flag value; newlines become spaces. */
export function optionalText(value: string | undefined, what: string, max: number): string | undefined {
  // Newlines and tabs in free text are layout, not meaning.
  return value === undefined ? undefined : requiredText(value.replace(/[\r\n\t]+/g, ' '), what, max);
}

/** A repeatable or comma-separated flag as a deduplicated list, each item matching `pattern`. */
export function listFlag(values: string[] | undefined, what: string, pattern: RegExp): string[] | undefined {
  if (values === undefined) return undefined;
  const items = [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()))].filter(Boolean);
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new ParseError(`"${echo(bad, 40)}" is not a valid ${what}.`);
  if (items.length === 0 || items.length > 20) throw new ParseError(`Give between 1 and 20 of --${what}.`);
  return items;
}

/** Days for `--since` (default 7, 1 to 365). */
export function since(flags: Map<string, string[]>): number {
  const value = flags.get('since')?.[0]?.trim().toLowerCase();
  if (value === undefined) return 7;
  const match = /^(\d{1,4})\s*(d|w|days?|weeks?)?$/.exec(value);
  const days = match === null ? NaN : Number(match[1]) * (match[2]?.startsWith('w') ? 7 : 1);
  if (!(days >= 1 && days <= 365)) throw new ParseError('--since takes a number of days from 1 to 365, like 7d.');
  return days;
}

const HOUR = 3_600_000;
const UNIT_MS: Record<string, number> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR, y: 365 * 24 * HOUR };

/** `30d`, `12h`, `2w`, `1y`, a date or an ISO time → ISO string, in the future and within 5 years. */
export function parseExpires(value: string, now: Date): string {
  const relative = /^(\d{1,6})\s*([hdwy])$/i.exec(value);
  let at: number;
  if (relative !== null) {
    at = now.getTime() + Number(relative[1]) * (UNIT_MS[(relative[2] ?? '').toLowerCase()] ?? NaN);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    at = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value) {
      throw new ParseError(`${value} is not a real date.`);
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(value)) {
    at = Date.parse(value);
  } else {
    throw new ParseError('--expires takes 30d, 12h or a date like 2027-01-31.');
  }
  const limit = new Date(now.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + 5);
  if (!(at > now.getTime())) throw new ParseError('--expires must be in the future.');
  if (!(at <= limit.getTime())) throw new ParseError('--expires can be at most 5 years away.');
  return new Date(at).toISOString();
}
