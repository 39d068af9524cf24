import { TokenOpsError } from '../core/errors.js';
import { isConnectionName, type Ref } from '../core/ref.js';
import { looksLikeRef, parseRef } from '../providers/ref.js';
import { type ProviderType } from '../core/token.js';
import { isProviderType, PROVIDER_TYPES } from '../providers/descriptors.js';
import type { Command, CommandName, ParseResult, Target } from './command.js';
import { closest, echo, fromSlack, ParseError, tokenize, type Tok, type Word } from './grammar-lexer.js';
import { listFlag, optionalText, parseExpires, requiredText, since } from './grammar-values.js';
import { COMMAND_NAMES, USAGE } from './help.js';

interface FlagSpec {
  value: boolean;
  repeat?: boolean;
  /** Free text that may run over several unquoted words (a reason typed in a hurry). */
  greedy?: boolean;
  example: string;
}

const FLAGS: Record<string, FlagSpec> = {
  name: { value: true, example: '--name "ci bot"' },
  mine: { value: false, example: '--mine' },
  tier: { value: true, example: '--tier tier1' },
  expires: { value: true, example: '--expires 30d' },
  scope: { value: true, repeat: true, example: '--scope account:admin' },
  hosts: { value: true, example: '--hosts app.example.com,example.com' },
  reason: { value: true, greedy: true, example: '--reason "leaked in CI log"' },
  since: { value: true, example: '--since 7d' },
  owner: { value: true, example: '--owner @sam' },
  provider: { value: true, example: '--provider mailtrap' },
  connection: { value: true, example: '--connection triton:staging' },
  'created-before': { value: true, example: '--created-before 2026-06-01' },
};

/** The flags that turn `revoke` into a bulk selection (compromise mode). */
const SELECTION_FLAGS = ['owner', 'provider', 'connection', 'name', 'created-before'];

const COMMAND_FLAGS: Record<CommandName, string[]> = {
  help: [],
  providers: [],
  list: ['name', 'mine'],
  show: [],
  create: ['tier', 'expires', 'scope', 'hosts', 'reason'],
  revoke: ['reason', ...SELECTION_FLAGS],
  rotate: ['reason'],
  activate: ['reason'],
  deactivate: ['reason'],
  find: [],
  audit: ['since'],
  leaked: [],
};

const MAX_INPUT = 4000;
const MAX_NAME = 100;
const MAX_REASON = 500;

/** Parses the text of a `/token` slash command (Slack `should_escape` form). Never throws. */
export function parseCommand(text: string, now: Date = new Date()): ParseResult {
  const input = typeof text === 'string' ? text : '';
  try {
    return { ok: true, command: parseOrFail(input, now) };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message, usage: err.usage ?? usageFor(input) };
    return { ok: false, error: 'That command could not be read.', usage: USAGE.help };
  }
}

function parseOrFail(raw: string, now: Date): Command {
  if (raw.length > MAX_INPUT) throw new ParseError('That command is too long.');
  const [head, ...rest] = tokenize(fromSlack(keepOwnerIds(raw)));
  if (head === undefined) return { name: 'help' };
  if (head.kind !== 'word') throw new ParseError('Start with a command, for example /token list.', USAGE.help);
  const name = commandName(head.text);
  if (name === 'create' && rest.length === 0) return { name: 'create_modal' };
  // Whatever follows `leaked` may be a secret: it is never parsed, echoed or kept.
  if (name === 'leaked') return { name: 'leaked', typed: rest.length > 0 };
  const args = collect(name, rest);
  try {
    return build(name, args, now);
  } catch (err) {
    if (err instanceof ParseError && err.usage === undefined) throw new ParseError(err.message, USAGE[name]);
    throw err;
  }
}

interface Args {
  words: Word[];
  flags: Map<string, string[]>;
}

function collect(command: CommandName, toks: Tok[]): Args {
  const args: Args = { words: [], flags: new Map() };
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i] as Tok;
    if (tok.kind === 'word') {
      args.words.push(tok);
      continue;
    }
    const spec = flagSpec(command, tok.name);
    const seen = args.flags.get(tok.name) ?? [];
    if (seen.length > 0 && !spec.repeat) throw new ParseError(`--${tok.name} is given twice.`, USAGE[command]);
    if (!spec.value) {
      if (tok.value !== undefined) throw new ParseError(`--${tok.name} takes no value.`, USAGE[command]);
      args.flags.set(tok.name, ['true']);
      continue;
    }
    let value = tok.value;
    if (value === undefined && toks[i + 1]?.kind === 'word') value = toks[++i] as Word;
    if (value === undefined || value.text.trim() === '') {
      throw new ParseError(`--${tok.name} needs a value, for example ${spec.example}.`, USAGE[command]);
    }
    let text = value.text;
    while (spec.greedy && !value.quoted && isLooseWord(toks[i + 1])) text += ` ${(toks[++i] as Word).text}`;
    args.flags.set(tok.name, [...seen, text]);
  }
  return args;
}

function isLooseWord(tok: Tok | undefined): boolean {
  return tok?.kind === 'word' && !tok.quoted && !looksLikeRef(tok.text);
}

function flagSpec(command: CommandName, name: string): FlagSpec {
  const allowed = COMMAND_FLAGS[command];
  const spec = FLAGS[name];
  if (spec !== undefined && allowed.includes(name)) return spec;
  const shown = `--${echo(name)}`;
  if (spec !== undefined) throw new ParseError(`${shown} does not apply to ${command}.`, USAGE[command]);
  const guess = closest(name, allowed);
  const hint = guess === undefined ? '' : `: did you mean --${guess}?`;
  throw new ParseError(`Unknown flag ${shown}${hint || '.'}`, USAGE[command]);
}

function commandName(word: string): CommandName {
  const lower = word.toLowerCase();
  const found = COMMAND_NAMES.find((name) => name === lower);
  if (found !== undefined) return found;
  if (looksLikeRef(lower)) throw new ParseError('Start with a command, for example /token show REF.', USAGE.show);
  const guess = closest(lower, COMMAND_NAMES);
  const shown = `"${echo(word)}"`;
  if (guess === undefined) throw new ParseError(`There is no command ${shown}; see /token help.`, USAGE.help);
  throw new ParseError(`There is no command ${shown}: did you mean ${guess}? See /token help.`, USAGE[guess]);
}

function build(name: CommandName, args: Args, now: Date): Command {
  const { words, flags } = args;
  const one = (what: string): string => {
    if (words.length === 0) throw new ParseError(`${name} needs a ${what}.`);
    if (words.length > 1) throw new ParseError(`${name} takes one ${what}; put text with spaces in quotes.`);
    return (words[0] as Word).text;
  };
  const reason = optionalText(flags.get('reason')?.[0], 'reason', MAX_REASON);
  switch (name) {
    case 'help':
      return { name, topic: words.length === 0 ? undefined : helpTopic(one('command')) };
    case 'providers':
      if (words.length > 0) throw new ParseError('providers takes no arguments.');
      return { name };
    case 'list':
      return {
        name,
        target: words.length === 0 ? undefined : parseTarget(one('provider[:connection]')),
        nameFilter: optionalText(flags.get('name')?.[0], 'name filter', MAX_NAME),
        mine: flags.has('mine'),
      };
    case 'show':
      return { name, ref: parseRefArg(one('REF')) };
    case 'create':
      return buildCreate(args, now, reason);
    case 'revoke':
      if (SELECTION_FLAGS.some((f) => flags.has(f))) return buildBulk(args, reason, now);
      return { name, ref: parseRefArg(one('REF')), reason };
    case 'rotate':
    case 'activate':
    case 'deactivate':
      return { name, ref: parseRefArg(one('REF')), reason };
    case 'find':
      return { name, query: findQuery(words) };
    case 'audit':
      return {
        name,
        provider: words.length === 0 ? undefined : auditProvider(one('provider')),
        sinceDays: since(flags),
      };
    case 'leaked':
      return { name, typed: words.length > 0 };
  }
}

function buildCreate(args: Args, now: Date, reason: string | undefined): Command {
  const [target, tokenName, ...extra] = args.words;
  if (target === undefined) throw new ParseError('create needs a provider[:connection] and a name.');
  if (tokenName === undefined) throw new ParseError('create needs a name for the token.');
  if (extra.length > 0) throw new ParseError('Put a name with spaces in quotes, for example "ci deploy bot".');
  const expires = args.flags.get('expires')?.[0];
  const tier = args.flags.get('tier')?.[0]?.trim().toLowerCase();
  if (tier !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(tier)) throw new ParseError('That --tier is not valid.');
  return {
    name: 'create',
    target: parseTarget(target.text),
    tokenName: requiredText(tokenName.text, 'name', MAX_NAME),
    tier,
    expiresAt: expires === undefined ? undefined : parseExpires(expires.trim(), now),
    scopes: listFlag(args.flags.get('scope'), 'scope', /^[A-Za-z0-9_.:/*-]{1,64}$/),
    hosts: listFlag(args.flags.get('hosts'), 'host', /^[A-Za-z0-9_.:/*-]{1,253}$/),
    reason,
  };
}

/**
 * Slack escapes a mention as `<@U123|sam>`, which reads back as `@sam`; the owner filter needs the id,
 * so an `--owner` mention keeps it: `--owner @U123`.
 */
function keepOwnerIds(raw: string): string {
  return raw.replace(/(--owner(?:=|\s+))<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g, '$1@$2');
}

/** `/token revoke --owner @sam --provider mailtrap …`: a selection, never "everything". */
function buildBulk(args: Args, reason: string | undefined, now: Date): Command {
  if (args.words.length > 0)
    throw new ParseError(
      'Give a REF or a selection (--owner, --connection, --provider, --name, --created-before), not both.',
    );
  const flag = (f: string): string | undefined => args.flags.get(f)?.[0]?.trim();
  const owner = flag('owner');
  if (owner !== undefined && !/^@?[UW][A-Z0-9]{2,}$/.test(owner))
    throw new ParseError(
      "--owner takes a person, like --owner @sam (pick them from Slack's list so it becomes a mention).",
    );
  const conn = flag('connection');
  let target: Target | undefined;
  if (conn !== undefined) {
    target = parseTarget(conn);
    if (target.connection === undefined)
      throw new ParseError('--connection takes provider:connection, like --connection triton:staging.');
  }
  const provider = flag('provider');
  const byProvider = provider === undefined ? undefined : auditProvider(provider);
  if (target && byProvider && target.provider !== byProvider)
    throw new ParseError(
      `--connection ${target.provider}:${target.connection ?? ''} is not a ${byProvider} connection.`,
    );
  return {
    name: 'revoke_bulk',
    selection: {
      owner: owner?.replace(/^@/, ''),
      provider: target?.provider ?? byProvider,
      connection: target?.connection,
      name: optionalText(flag('name'), 'name filter', MAX_NAME),
      createdBefore: createdBefore(flag('created-before'), now),
    },
    reason,
  };
}

/** `--created-before 2026-06-01` (a past or present date) as an ISO time at 00:00 UTC. */
function createdBefore(value: string | undefined, now: Date): string | undefined {
  if (value === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value)
    throw new ParseError('--created-before takes a date like 2026-06-01.');
  if (at > now.getTime() + 86_400_000) throw new ParseError('--created-before takes a date that is not in the future.');
  return new Date(at).toISOString();
}

function helpTopic(word: string): CommandName {
  const lower = word.toLowerCase();
  const found = COMMAND_NAMES.find((name) => name === lower);
  if (found !== undefined) return found;
  const guess = closest(lower, COMMAND_NAMES);
  const hint = guess === undefined ? '' : `: did you mean ${guess}?`;
  throw new ParseError(`There is no command "${echo(word)}"${hint || '.'}`, USAGE.help);
}

function normalizeProvider(text: string): string {
  return text.toLowerCase().replace(/[-_\s]/g, '');
}

function providerNamed(text: string): ProviderType {
  const name = normalizeProvider(text);
  if (isProviderType(name)) return name;
  const guess = closest(name, PROVIDER_TYPES);
  const shown = `"${echo(text)}"`;
  if (guess !== undefined)
    throw new ParseError(
      `${shown} is not a provider: did you mean ${guess}? The providers are ${PROVIDER_TYPES.join(', ')}.`,
    );
  throw new ParseError(
    `${shown} is not a provider. The providers are ${PROVIDER_TYPES.join(', ')}; see /token providers.`,
  );
}

function parseTarget(text: string): Target {
  if (text.includes('/')) throw new ParseError('That is a REF; here give a provider[:connection], like triton:prod.');
  const [provider = '', connection, ...more] = text.split(':');
  if (more.length > 0) throw new ParseError('Too many ":"; a target looks like triton:prod.');
  const conn = connection?.toLowerCase();
  if (conn !== undefined && !isConnectionName(conn)) {
    throw new ParseError(`"${echo(connection ?? '', 40)}" is not a valid connection name.`);
  }
  return { provider: providerNamed(provider), connection: conn };
}

function auditProvider(text: string): ProviderType {
  if (text.includes(':')) throw new ParseError('audit takes a provider without a connection, like triton.');
  return providerNamed(text);
}

function parseRefArg(text: string): Ref {
  const slash = text.indexOf('/');
  if (slash > 0) {
    const [provider = '', ...rest] = text.slice(0, slash).split(':');
    const head = [normalizeProvider(provider), ...rest.map((c) => c.toLowerCase())].join(':');
    providerNamed(provider);
    text = head + text.slice(slash);
  }
  try {
    return parseRef(text);
  } catch (err) {
    if (!(err instanceof TokenOpsError)) throw err;
    const why = (err.message.split('. ')[0] ?? '').replace(/[`.]/g, '');
    throw new ParseError(`${why}; a REF looks like triton:prod/fa2fec9c (provider:connection/id).`);
  }
}

function findQuery(words: Word[]): string {
  // Replies show last characters as `…abcd`; people paste that back.
  const text = words
    .map((w) => w.text)
    .join(' ')
    .trim()
    .replace(/^(?:…|\.{2,})/, '');
  if (text.trim().length < 3) throw new ParseError('find needs at least 3 characters.');
  return requiredText(text, 'search text', 200);
}

function usageFor(raw: string): string {
  const first = raw.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return COMMAND_NAMES.find((name) => name === first) !== undefined ? USAGE[first as CommandName] : USAGE.help;
}
