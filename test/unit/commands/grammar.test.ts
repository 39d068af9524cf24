import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/commands/command.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { COMMAND_NAMES, helpText, USAGE } from '../../../src/commands/help.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

function ok(text: string): Command {
  const r = parseCommand(text, NOW);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${r.error}`);
  return r.command;
}

function bad(text: string): { error: string; usage: string } {
  const r = parseCommand(text, NOW);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(r.command)}`);
  return { error: r.error, usage: r.usage };
}

describe('parseCommand: help and providers', () => {
  it('treats empty or blank text as help', () => {
    expect(ok('')).toEqual({ name: 'help' });
    expect(ok('   \n ')).toEqual({ name: 'help' });
  });
  it('reads help with and without a topic, in any case', () => {
    expect(ok('help')).toEqual({ name: 'help', topic: undefined });
    expect(ok('help revoke')).toEqual({ name: 'help', topic: 'revoke' });
    expect(ok('HELP Create')).toEqual({ name: 'help', topic: 'create' });
  });
  it('suggests the closest command for an unknown help topic', () => {
    expect(bad('help rvoke').error).toContain('did you mean revoke?');
    expect(bad('help banana')).toEqual({ error: 'There is no command "banana".', usage: USAGE.help });
  });
  it('reads providers and refuses arguments to it', () => {
    expect(ok('providers')).toEqual({ name: 'providers' });
    expect(bad('providers triton')).toEqual({ error: 'providers takes no arguments.', usage: USAGE.providers });
  });
});

describe('parseCommand: unknown commands', () => {
  it('suggests the closest command and /token help, with that command as the usage', () => {
    const r = bad('revok triton:prod/abc');
    expect(r.error).toBe('There is no command "revok": did you mean revoke? See /token help.');
    expect(r.usage).toBe(USAGE.revoke);
    expect(bad('deactivte x').error).toContain('did you mean deactivate?');
    expect(bad('lst').error).toContain('did you mean list?');
    expect(bad('aud').error).toContain('did you mean audit?');
  });
  it('points to /token help when nothing is close', () => {
    expect(bad('xyzzy')).toEqual({ error: 'There is no command "xyzzy"; see /token help.', usage: USAGE.help });
  });
  it('asks for a command when the text starts with a REF or a flag', () => {
    expect(bad('triton:prod/abc')).toEqual({
      error: 'Start with a command, for example /token show REF.',
      usage: USAGE.show,
    });
    expect(bad('--reason x').usage).toBe(USAGE.help);
  });
  it('refuses text longer than Slack would ever send', () => {
    expect(bad(`list --name ${'a'.repeat(5000)}`).error).toBe('That command is too long.');
  });
});

describe('parseCommand: list', () => {
  it('lists everything by default', () => {
    expect(ok('list')).toEqual({ name: 'list', target: undefined, nameFilter: undefined, mine: false });
  });
  it('takes a provider or provider:connection, case-insensitively', () => {
    expect(ok('list triton')).toMatchObject({ target: { provider: 'triton', connection: undefined } });
    expect(ok('list Triton:Prod')).toMatchObject({ target: { provider: 'triton', connection: 'prod' } });
    expect(ok('list vector-charts')).toMatchObject({ target: { provider: 'vectorcharts' } });
  });
  it('suggests the closest provider on a typo', () => {
    expect(bad('list tritn')).toEqual({
      error:
        '"tritn" is not a provider: did you mean triton? The providers are vaultoro, vectorcharts, triton, mailtrap, cobalt.',
      usage: USAGE.list,
    });
    expect(bad('list mailtarp').error).toContain('did you mean mailtrap?');
    expect(bad('list github').error).toBe(
      '"github" is not a provider. The providers are vaultoro, vectorcharts, triton, mailtrap, cobalt; see /token providers.',
    );
  });
  it('refuses a bad connection name, a REF and too many targets', () => {
    expect(bad('list triton:Bad!').error).toBe('"Bad!" is not a valid connection name.');
    expect(bad('list triton:a:b').error).toContain('Too many ":"');
    expect(bad('list triton:prod/abc').error).toContain('That is a REF');
    expect(bad('list triton mailtrap').error).toContain('list takes one provider[:connection]');
  });
  it('reads --name in every form and --mine', () => {
    const expected = { name: 'list', target: { provider: 'triton' }, nameFilter: 'ci bot', mine: true };
    expect(ok('list triton --name "ci bot" --mine')).toMatchObject(expected);
    expect(ok('list triton --name “ci bot” --mine')).toMatchObject(expected);
    expect(ok('list triton --name="ci bot" --mine')).toMatchObject(expected);
    expect(ok('list --name=ci')).toMatchObject({ nameFilter: 'ci', mine: false });
    expect(ok('list --mine --name ci')).toMatchObject({ nameFilter: 'ci', mine: true });
  });
  it('refuses a value on --mine and a missing value on --name', () => {
    expect(bad('list --mine=yes')).toEqual({ error: '--mine takes no value.', usage: USAGE.list });
    expect(bad('list --name').error).toBe('--name needs a value, for example --name "ci bot".');
    expect(bad('list --name --mine').error).toContain('--name needs a value');
    expect(bad('list --name ""').error).toContain('--name needs a value');
    expect(bad('list --name=').error).toContain('--name needs a value');
  });
});

describe('parseCommand: REF commands', () => {
  it('reads show, revoke, rotate, activate and deactivate with a REF', () => {
    const ref = { provider: 'triton', connection: 'prod', id: 'fa2fec9c-1' };
    expect(ok('show triton:prod/fa2fec9c-1')).toEqual({ name: 'show', ref });
    for (const name of ['revoke', 'rotate', 'activate', 'deactivate'] as const) {
      expect(ok(`${name} triton:prod/fa2fec9c-1`)).toEqual({ name, ref, reason: undefined });
      expect(ok(`${name} triton:prod/fa2fec9c-1 --reason "x y"`)).toEqual({ name, ref, reason: 'x y' });
    }
  });
  it('accepts a REF without a connection and keeps the id case', () => {
    expect(ok('revoke Mailtrap/AbC')).toMatchObject({
      ref: { provider: 'mailtrap', connection: undefined, id: 'AbC' },
    });
  });
  it('explains a missing or bad REF with the usage line', () => {
    expect(bad('revoke')).toEqual({ error: 'revoke needs a REF.', usage: USAGE.revoke });
    expect(bad('show')).toEqual({ error: 'show needs a REF.', usage: USAGE.show });
    const notRef = bad('revoke abc');
    expect(notRef.error).toBe(
      'That is not a token REF; a REF looks like triton:prod/fa2fec9c (provider:connection/id).',
    );
    expect(notRef.usage).toBe(USAGE.revoke);
    expect(bad('rotate triton:prod/bad id!').error).toContain('rotate takes one REF');
    expect(bad('rotate triton:prod/b@d').error).toContain('invalid token id');
    expect(bad('rotate triton:Bad!/x').error).toContain('invalid connection name');
    expect(bad('activate tritn:prod/abc').error).toBe(
      '"tritn" is not a provider: did you mean triton? The providers are vaultoro, vectorcharts, triton, mailtrap, cobalt.',
    );
  });
  it('reads a reason in every quoting style', () => {
    const reason = (text: string) => (ok(`revoke cobalt:main/t1 ${text}`) as { reason?: string }).reason;
    expect(reason('--reason "leaked in CI log"')).toBe('leaked in CI log');
    expect(reason('--reason “leaked in CI log”')).toBe('leaked in CI log');
    expect(reason('--reason ”leaked in CI log”')).toBe('leaked in CI log');
    expect(reason('--reason ‘leaked in CI log’')).toBe('leaked in CI log');
    expect(reason("--reason 'leaked in CI log'")).toBe('leaked in CI log');
    expect(reason('--reason="leaked in CI log"')).toBe('leaked in CI log');
    expect(reason('--reason=“leaked”')).toBe('leaked');
    expect(reason('--reason "--mine is not a flag here"')).toBe('--mine is not a flag here');
  });
  it('takes an unquoted reason up to the next flag', () => {
    expect(ok('revoke cobalt:main/t1 --reason leaked in CI log')).toMatchObject({ reason: 'leaked in CI log' });
    expect(ok('revoke --reason leaked in CI cobalt:main/t1')).toMatchObject({
      reason: 'leaked in CI',
      ref: { id: 't1' },
    });
  });
  it('accepts flags whose dashes a phone turned into an em or en dash', () => {
    expect(ok('revoke cobalt:main/t1 —reason leaked')).toMatchObject({ reason: 'leaked' });
    expect(ok('revoke cobalt:main/t1 –reason=leaked')).toMatchObject({ reason: 'leaked' });
  });
  it('refuses unknown, misplaced, repeated and empty flags', () => {
    expect(bad('revoke cobalt:main/t1 --reasn x')).toEqual({
      error: 'Unknown flag --reasn: did you mean --reason?',
      usage: USAGE.revoke,
    });
    expect(bad('show cobalt:main/t1 --force').error).toBe('Unknown flag --force.');
    expect(bad('revoke cobalt:main/t1 --tier x')).toEqual({
      error: '--tier does not apply to revoke.',
      usage: USAGE.revoke,
    });
    expect(bad('revoke cobalt:main/t1 --reason a --reason b').error).toBe('--reason is given twice.');
    expect(bad('revoke cobalt:main/t1 --reason').error).toContain('--reason needs a value');
    expect(bad('revoke cobalt:main/t1 --').error).toBe('Unknown flag --.');
  });
  it('refuses a reason with control characters or over 500 characters', () => {
    expect(bad('revoke cobalt:main/t1 --reason "a\u0007b"').error).toBe('The reason contains control characters.');
    expect(bad(`revoke cobalt:main/t1 --reason "${'r'.repeat(501)}"`).error).toContain('longer than 500');
    expect(ok('revoke cobalt:main/t1 --reason "line one\nline two"')).toMatchObject({ reason: 'line one line two' });
  });
});

describe('parseCommand: create', () => {
  it('opens the modal when create has no arguments', () => {
    expect(ok('create')).toEqual({ name: 'create_modal' });
    expect(ok('  create  ')).toEqual({ name: 'create_modal' });
  });
  it('reads every create flag', () => {
    const text =
      'create triton:prod "ci bot" --tier TIER1 --expires 30d --scope a:read,b --scope c --scope a:read ' +
      '--hosts app.example.com,example.com --reason "for CI"';
    expect(ok(text)).toEqual({
      name: 'create',
      target: { provider: 'triton', connection: 'prod' },
      tokenName: 'ci bot',
      tier: 'tier1',
      expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
      scopes: ['a:read', 'b', 'c'],
      hosts: ['app.example.com', 'example.com'],
      reason: 'for CI',
    });
  });
  it('reads --flag=value forms', () => {
    const c = ok('create mailtrap build --scope=account:admin --expires=2027-01-31 --hosts=a.com');
    expect(c).toMatchObject({ scopes: ['account:admin'], expiresAt: '2027-01-31T00:00:00.000Z', hosts: ['a.com'] });
  });
  it('keeps a single-word name and needs quotes for several words', () => {
    expect(ok('create vaultoro deploy')).toMatchObject({ tokenName: 'deploy', target: { provider: 'vaultoro' } });
    expect(bad('create triton:prod ci bot')).toEqual({
      error: 'Put a name with spaces in quotes, for example "ci deploy bot".',
      usage: USAGE.create,
    });
    expect(ok('create triton ‘Bob’s token’')).toMatchObject({ tokenName: 'Bob’s token' });
    expect(ok("create triton “Bob's token”")).toMatchObject({ tokenName: "Bob's token" });
  });
  it('refuses a missing name, a missing target, a long name and control characters', () => {
    expect(bad('create triton')).toEqual({ error: 'create needs a name for the token.', usage: USAGE.create });
    expect(bad('create --tier tier1').error).toBe('create needs a provider[:connection] and a name.');
    expect(ok(`create triton ${'n'.repeat(100)}`)).toMatchObject({ tokenName: 'n'.repeat(100) });
    expect(bad(`create triton ${'n'.repeat(101)}`).error).toBe('The name is longer than 100 characters.');
    expect(bad('create triton "a\tb"').error).toBe('The name contains control characters.');
    expect(bad('create triton "evil\u202Egnp.exe"').error).toBe('The name contains control characters.');
    expect(bad('create triton "  "').error).toBe('The name is empty.');
    expect(bad('create tritn x').error).toBe(
      '"tritn" is not a provider: did you mean triton? The providers are vaultoro, vectorcharts, triton, mailtrap, cobalt.',
    );
  });
  it('resolves relative and absolute expiry into the future', () => {
    const at = (e: string) => (ok(`create triton x --expires ${e}`) as { expiresAt?: string }).expiresAt;
    expect(at('12h')).toBe(new Date(NOW.getTime() + 12 * 3_600_000).toISOString());
    expect(at('2w')).toBe(new Date(NOW.getTime() + 14 * DAY).toISOString());
    expect(at('1Y')).toBe(new Date(NOW.getTime() + 365 * DAY).toISOString());
    expect(at('2026-06-02')).toBe('2026-06-02T00:00:00.000Z');
    expect(at('2027-01-31T12:30:00Z')).toBe('2027-01-31T12:30:00.000Z');
    expect(at('2031-06-01')).toBe('2031-06-01T00:00:00.000Z');
  });
  it('refuses past, too distant, unreal and unreadable expiry', () => {
    const err = (e: string) => bad(`create triton x --expires ${e}`).error;
    expect(err('2026-06-01')).toBe('--expires must be in the future.');
    expect(err('2020-01-31')).toBe('--expires must be in the future.');
    expect(err('0d')).toBe('--expires must be in the future.');
    expect(err('2031-06-02')).toBe('--expires can be at most 5 years away.');
    expect(err('999999d')).toBe('--expires can be at most 5 years away.');
    expect(err('2027-02-30')).toBe('2027-02-30 is not a real date.');
    expect(err('soon')).toBe('--expires takes 30d, 12h or a date like 2027-01-31.');
    expect(err('30m')).toBe('--expires takes 30d, 12h or a date like 2027-01-31.');
  });
  it('uses the current time when no clock is given', () => {
    const r = parseCommand('create triton x --expires 1d');
    expect(r.ok && r.command.name === 'create' && Date.parse(r.command.expiresAt ?? '') > Date.now()).toBe(true);
  });
  it('validates tier, scopes and hosts', () => {
    expect(bad('create triton x --tier "big one"').error).toBe('That --tier is not valid.');
    expect(bad('create triton x --scope "a b"').error).toBe('"a b" is not a valid scope.');
    expect(bad('create triton x --scope ,').error).toBe('Give between 1 and 20 of --scope.');
    expect(bad('create triton x --hosts "a.com,&lt;b&gt;"').error).toBe('"<b>" is not a valid host.');
    const many = Array.from({ length: 21 }, (_, i) => `s${i}`).join(',');
    expect(bad(`create triton x --scope ${many}`).error).toBe('Give between 1 and 20 of --scope.');
  });
  it('refuses flags of other commands on create', () => {
    expect(bad('create triton x --since 7d').error).toBe('--since does not apply to create.');
    expect(bad('create triton x --teir t').error).toBe('Unknown flag --teir: did you mean --tier?');
  });
});

describe('parseCommand: find and audit', () => {
  it('finds by last characters, fingerprint prefix or a name of several words', () => {
    expect(ok('find 9qy7')).toEqual({ name: 'find', query: '9qy7' });
    expect(ok('find …9qy7')).toEqual({ name: 'find', query: '9qy7' });
    expect(ok('find ...9qy7')).toEqual({ name: 'find', query: '9qy7' });
    expect(ok('find 3f0c2a7e1111')).toEqual({ name: 'find', query: '3f0c2a7e1111' });
    expect(ok('find ci deploy bot')).toEqual({ name: 'find', query: 'ci deploy bot' });
    expect(ok('find "ci  bot"')).toEqual({ name: 'find', query: 'ci  bot' });
  });
  it('needs at least 3 characters to find', () => {
    expect(bad('find ab')).toEqual({ error: 'find needs at least 3 characters.', usage: USAGE.find });
    expect(bad('find')).toEqual({ error: 'find needs at least 3 characters.', usage: USAGE.find });
    expect(bad('find …ab').error).toBe('find needs at least 3 characters.');
  });
  it('reads audit with its defaults, a provider and --since', () => {
    expect(ok('audit')).toEqual({ name: 'audit', provider: undefined, sinceDays: 7 });
    expect(ok('audit triton --since 30d')).toEqual({ name: 'audit', provider: 'triton', sinceDays: 30 });
    expect(ok('audit --since 365')).toMatchObject({ sinceDays: 365 });
    expect(ok('audit --since=2w')).toMatchObject({ sinceDays: 14 });
  });
  it('refuses --since outside 1..365, a connection and an unknown provider', () => {
    const since = '--since takes a number of days from 1 to 365, like 7d.';
    expect(bad('audit --since 366')).toEqual({ error: since, usage: USAGE.audit });
    expect(bad('audit --since 0').error).toBe(since);
    expect(bad('audit --since lots').error).toBe(since);
    expect(bad('audit triton:prod').error).toBe('audit takes a provider without a connection, like triton.');
    expect(bad('audit cobolt').error).toBe(
      '"cobolt" is not a provider: did you mean cobalt? The providers are vaultoro, vectorcharts, triton, mailtrap, cobalt.',
    );
  });
});

describe('parseCommand: Slack should_escape text', () => {
  it('unescapes &amp; &lt; &gt; exactly once', () => {
    const c = ok('revoke cobalt:main/t1 --reason "&lt;!channel&gt; &amp; &amp;lt; x"');
    expect(c).toMatchObject({ reason: '<!channel> & &lt; x' });
  });
  it('turns escaped references into what the user typed without crashing', () => {
    const c = ok('revoke cobalt:main/t1 --reason "told by <@U123|alice> in <#C1|sec> <!here> <!subteam^S1|@oncall>"');
    expect(c).toMatchObject({ reason: 'told by @alice in #sec @here @oncall' });
    expect(ok('revoke cobalt:main/t1 --reason <@U123>')).toMatchObject({ reason: '@U123' });
    expect(bad('<@U123|alice>').error).toBe('There is no command "@alice"; see /token help.');
  });
  it('reads host names that Slack turned into links', () => {
    const c = ok('create vectorcharts:main web --hosts <http://example.com|example.com>,<https://app.example.com>');
    expect(c).toMatchObject({ hosts: ['example.com', 'https://app.example.com'] });
  });
  it('refuses an unclosed double quote and keeps an unclosed single quote literal', () => {
    expect(bad('revoke cobalt:main/t1 --reason "leaked')).toEqual({
      error: 'A quote is not closed: end the quoted text with ".',
      usage: USAGE.revoke,
    });
    expect(ok('create triton ’tis')).toMatchObject({ tokenName: '’tis' });
  });
});

describe('help text', () => {
  it('has a usage line and a description for every command', () => {
    for (const name of COMMAND_NAMES) {
      expect(USAGE[name]).toMatch(new RegExp(`^/token ${name}`));
      expect(helpText(name)).toContain(USAGE[name]);
    }
    const overview = helpText().split('\n');
    for (const name of COMMAND_NAMES.filter((n) => n !== 'help')) {
      // One line per command: the command and what it does, in a few words.
      const line = overview.find((l) => l.startsWith(`• \`/token ${name}\` — `));
      expect(line, name).toBeDefined();
      expect((line as string).length).toBeLessThan(110);
    }
  });
});

const GRAMMAR_WORDS = [
  ...COMMAND_NAMES,
  'create_modal',
  'triton',
  'triton:prod',
  'tritn',
  'vectorcharts:main/abc',
  'triton:prod/fa2fec9c',
  'cobalt/x',
  '--reason',
  '--reason=',
  '—reason',
  '--name',
  '--mine',
  '--mine=1',
  '--tier',
  '--expires',
  '30d',
  '2027-01-31',
  '-1d',
  '--scope',
  'a,b',
  ',',
  '--hosts',
  '--since',
  '400',
  '"',
  '“',
  '”',
  '‘',
  '’',
  "'",
  '"a b"',
  '&amp;',
  '&lt;',
  '<@U123|x>',
  '<!channel>',
  '<',
  '>',
  '|',
  '=',
  '…',
  '\n',
  '\u0000',
  '\u202e',
];

describe('parseCommand fuzz', () => {
  const checkResult = (text: string): void => {
    const r = parseCommand(text, NOW);
    if (r.ok) {
      expect([...COMMAND_NAMES, 'create_modal', 'revoke_bulk']).toContain(r.command.name);
    } else {
      expect(r.error.length).toBeGreaterThan(0);
      expect(r.usage.length).toBeGreaterThan(0);
      expect(r.error).not.toContain('\n');
      expect(r.error.length).toBeLessThan(200);
    }
  };
  it('never throws on arbitrary strings and always explains an error', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkResult), { numRuns: 3000 });
  });
  it('never throws on grammar-shaped strings', () => {
    const word = fc.oneof(fc.constantFrom(...GRAMMAR_WORDS), fc.string({ maxLength: 12 }));
    const line = fc
      .tuple(fc.array(word, { maxLength: 12 }), fc.constantFrom(' ', '', '\u00a0', '  '))
      .map(([ws, sep]) => ws.join(sep || ' '));
    fc.assert(fc.property(line, checkResult), { numRuns: 5000 });
  });
  it('never throws on any input type or clock', () => {
    fc.assert(
      fc.property(fc.anything(), fc.date({ noInvalidDate: false }), (text, now) => {
        const r = parseCommand(text as string, now);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
