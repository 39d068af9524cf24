// Turns the raw slash-command text into words and flags; knows Slack's escaping and smart punctuation.

/** A user error: a one-sentence message and, when known here, the right form. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** A positional word; `quoted` words are never read as flags. */
export interface Word {
  kind: 'word';
  text: string;
  quoted: boolean;
}
/** A `--name` or `--name=value` flag. */
export interface Flag {
  kind: 'flag';
  name: string;
  value?: Word | undefined;
}
/** One token of a command line. */
export type Tok = Word | Flag;

const DOUBLE = '"“”';
const SINGLE = "'‘’";
// Slack clients and phones turn typed quotes into smart ones.
const QUOTES: Record<string, string> = {
  '"': DOUBLE,
  '“': DOUBLE,
  '”': DOUBLE,
  '„': DOUBLE,
  "'": SINGLE,
  '‘': SINGLE,
  '’': SINGLE,
};
// macOS and phones turn a typed `--` into an en or em dash.
const FLAG_PREFIX = /^(?:--|—|–)/;
// Line breaks, controls and bidi marks in echoed text would make a one-line error misleading.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\s\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** User text for an error message: one line, at most `max` characters. */
export function echo(text: string, max = 30): string {
  return Array.from(text.replace(UNPRINTABLE, ' ')).slice(0, max).join('');
}

/** Whitespace, including the no-break spaces Slack clients insert. */
export const SPACE = /\s/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/** Turns Slack's escaped text back into what the user typed: `<@U1|bob>` → `@bob`, `&lt;` → `<`. */
export function fromSlack(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => slackReference(inner))
    .replace(/&(amp|lt|gt);/g, (_m, e: string) => ENTITIES[e] ?? '');
}

function slackReference(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : '';
  if (target.startsWith('@') || target.startsWith('#')) return target[0] + (label || target.slice(1));
  if (target.startsWith('!')) return label || `@${target.slice(1).split('^')[0] ?? ''}`;
  // Slack turns typed host names into links: keep what the user typed.
  return label || target.replace(/^mailto:/, '');
}

/** Splits text into words and flags, honouring straight and smart quotes; an unclosed " is an error. */
export function tokenize(input: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < input.length) {
    if (SPACE.test(input[i] ?? '')) {
      i++;
      continue;
    }
    const dash = FLAG_PREFIX.exec(input.slice(i, i + 2));
    if (dash === null) {
      const [word, next] = readWord(input, i);
      toks.push(word);
      i = next;
      continue;
    }
    let end = i + dash[0].length;
    while (end < input.length && input[end] !== '=' && !SPACE.test(input[end] ?? '')) end++;
    const flag: Flag = { kind: 'flag', name: input.slice(i + dash[0].length, end).toLowerCase() };
    i = end;
    if (input[end] === '=') [flag.value, i] = readWord(input, end + 1);
    toks.push(flag);
  }
  return toks;
}

function readWord(input: string, start: number): [Word, number] {
  const closers = QUOTES[input[start] ?? ''];
  if (closers !== undefined) {
    // A closing quote counts only before a space or the end, so `‘Bob’s token’` stays one value.
    for (let j = start + 1; j < input.length; j++) {
      if (closers.includes(input[j] ?? '') && (j + 1 === input.length || SPACE.test(input[j + 1] ?? ''))) {
        return [{ kind: 'word', text: input.slice(start + 1, j), quoted: true }, j + 1];
      }
    }
    if (closers.includes('"')) throw new ParseError('A quote is not closed: end the quoted text with ".');
  }
  let end = start;
  while (end < input.length && !SPACE.test(input[end] ?? '')) end++;
  return [{ kind: 'word', text: input.slice(start, end), quoted: false }, end];
}

/** The candidate a typo most likely meant: a prefix, or within a small edit distance. */
export function closest<T extends string>(word: string, candidates: readonly T[]): T | undefined {
  if (word.length === 0 || word.length > 40) return undefined;
  if (word.length >= 3) {
    const prefixed = candidates.find((c) => c.startsWith(word));
    if (prefixed !== undefined) return prefixed;
  }
  const allowed = word.length <= 4 ? 1 : 2;
  let best: { name: T; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (d[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = v;
    }
  }
  return d[a.length]?.[b.length] ?? Infinity;
}
