import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/core/policy.js';
import { bold, code, escapeMrkdwn, mention, plain, safe, shortTime, truncate } from '../../../src/slack/mrkdwn.js';
import { auditNoticeView, errorView } from '../../../src/slack/views.js';

const INJECTIONS = ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|click>', '<!subteam^S1|@sec>', '<#C1>'];

/** True when every `&` starts one of the three entities Slack knows. */
function entitiesWhole(text: string): boolean {
  return !/&(?!amp;|lt;|gt;)/.test(text);
}

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeMrkdwn('*bold* _it_ ~s~ `code` "q" \'s\'')).toBe('*bold* _it_ ~s~ `code` "q" \'s\'');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });
  it('neutralises every mention, broadcast and link form', () => {
    for (const text of INJECTIONS) {
      const out = escapeMrkdwn(text);
      expect(out).not.toMatch(/[<>]/);
      expect(out.startsWith('&lt;')).toBe(true);
    }
  });
  it('makes bidi overrides, NUL and zero-width marks visible instead of letting them reorder text', () => {
    expect(escapeMrkdwn('evil\u202Egnp.exe')).toBe('evil\uFFFDgnp.exe');
    expect(escapeMrkdwn('a\u0000b\u200Bc\u2066d\u2069\u200Fe')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFFFDe');
    expect(escapeMrkdwn('line one\nline two\ttab')).toBe('line one\nline two\ttab');
    expect(safe('x\u202Dy')).toBe('x\uFFFDy');
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text with an ellipsis within the limit', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('hello', 0)).toBe('');
  });
  it('never cuts an escape entity in half', () => {
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
    expect(truncate('ab&lt;cd', 4)).toBe('ab…');
    expect(truncate('ab&gt;cd', 7)).toBe('ab&gt;…');
  });
  it('never cuts a surrogate pair in half', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });
  it('keeps escaped text within the limit and its entities whole for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 1, max: 120 }), (s, max) => {
        const out = truncate(escapeMrkdwn(s), max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(entitiesWhole(out)).toBe(true);
        expect(out).not.toMatch(/[<>]/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('code, bold, safe', () => {
  it('makes inline code that cannot be broken out of', () => {
    expect(code('a`b')).toBe('`aˋb`');
    expect(code('``` <!channel>\nx')).toBe('`ˋˋˋ &lt;!channel&gt; x`');
    expect(code('')).toBe('` `');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        const out = code(s, 50);
        expect(out).toMatch(/^`[^`\n]*`$/);
        expect(out).not.toMatch(/[<>]/);
      }),
      { numRuns: 1000 },
    );
  });
  it('bolds escaped text without letting asterisks end it', () => {
    expect(bold('a*b* <@U1>')).toBe('*a∗b∗ &lt;@U1&gt;*');
    expect(bold('  ')).toBe('');
  });
  it('escapes and cuts in one step', () => {
    expect(safe('<'.repeat(10), 9)).toBe('&lt;&lt;…');
  });
});

describe('plain', () => {
  it('does not escape, cuts to the limit and is never empty', () => {
    expect(plain('a < b & c')).toBe('a < b & c');
    expect(plain('x'.repeat(30), 24)).toHaveLength(24);
    expect(plain('')).toBe('-');
    expect(plain('   ')).toBe('-');
  });
});

describe('mention', () => {
  it('mentions only validated user ids and escapes anything else', () => {
    expect(mention('U0123ABC')).toBe('<@U0123ABC>');
    expect(mention('W9ZZ')).toBe('<@W9ZZ>');
    expect(mention('U123> <!channel')).toBe('U123&gt; &lt;!channel');
    expect(mention('u123')).toBe('u123');
    expect(mention('C123')).toBe('C123');
    expect(mention('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('shortTime', () => {
  it('prints dates and times in UTC, and escapes what is not a time', () => {
    expect(shortTime('2027-01-31T00:00:00Z')).toBe('2027-01-31');
    expect(shortTime('2027-01-31T14:05:09Z')).toBe('2027-01-31 14:05 UTC');
    expect(shortTime(null)).toBe('-');
    expect(shortTime('<!here>')).toBe('&lt;!here&gt;');
  });
});

describe("a refusal naming a token's owner", () => {
  const policy = {
    roles: { engineer: { grants: { '*': ['rotate:own'] } } },
    members: [{ user: 'U0ALICE', roles: ['engineer'] }],
    approvals: [],
  };
  const alice = {
    userId: 'U0ALICE',
    teamId: 'T1',
    isRestricted: false,
    isUltraRestricted: false,
    isStranger: false,
    deleted: false,
    groups: new Set<string>(),
  };

  it('mentions the owner in the reply and the audit notice instead of showing a raw user id', () => {
    const d = authorize(policy as never, ['T1'], alice as never, 'rotate', 'mailtrap', { owner: 'U0SAM' });
    expect(d.allowed).toBe(false);
    const reason = d.allowed ? '' : d.reason;
    const reply = JSON.stringify(errorView(`Not allowed: ${reason}`));
    expect(reply).toContain('minted for <@U0SAM>');
    const notice = JSON.stringify(
      auditNoticeView({
        id: 'a',
        at: new Date().toISOString(),
        actor: 'U0ALICE',
        action: 'rotate',
        provider: 'mailtrap',
        connection: 'default',
        outcome: 'refused',
        detail: reason,
      }),
    );
    expect(notice).toContain('minted for <@U0SAM>');
  });

  it('keeps every other mention in refusal text escaped, so typed text never pings anyone', () => {
    const reply = JSON.stringify(errorView('Not allowed: scope `<@U0BOSS>` and <!channel>, minted for <@nope>'));
    expect(reply).not.toContain('<@U0BOSS>');
    expect(reply).toContain('&lt;@U0BOSS&gt;');
    expect(reply).toContain('&lt;!channel&gt;');
    expect(reply).toContain('minted for &lt;@nope&gt;');
  });
});
