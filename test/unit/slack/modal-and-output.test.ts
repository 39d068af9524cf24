import { describe, expect, it } from 'vitest';
import { commandFromModal, modalValues } from '../../../src/slack/modal-submission.js';
import { responseUrlAllowed } from '../../../src/slack/output.js';

const now = new Date('2026-11-23T00:00:00Z');

describe('create modal submission', () => {
  it('reads Slack view state (select, date picker, text) into a create command', () => {
    const state = {
      values: {
        target: { create_target: { type: 'static_select', selected_option: { value: 'mailtrap:main' } } },
        name: { value: { value: ' ci ' } },
        scopes: { value: { type: 'static_select', selected_option: { value: 'account:admin' } } },
        expires: { value: { type: 'datepicker', selected_date: '2026-12-23' } },
        reason: { value: { value: null } },
      },
    };
    const r = commandFromModal(modalValues(state), now);
    expect(r).toEqual({
      ok: true,
      command: expect.objectContaining({
        name: 'create',
        target: { provider: 'mailtrap', connection: 'main' },
        tokenName: 'ci',
        scopes: ['account:admin'],
        expiresAt: '2026-12-23T00:00:00.000Z',
      }),
    });
  });

  it('answers in the words of a form, never of command-line flags', () => {
    const r = commandFromModal({ target: 'mailtrap:main', name: '', expires: '2026-11-01' }, now);
    const errors = (r as { errors: Record<string, string> }).errors;
    expect(errors).toEqual({
      name: 'Give the token a name, like “ci deploy bot”.',
      expires: 'Pick a date after today.',
    });
    const hosts = commandFromModal(
      { target: 'vectorcharts:main', name: 'ci', hosts: 'ok.example.com, bad host!' },
      now,
    );
    expect((hosts as { errors: Record<string, string> }).errors['hosts']).toContain('“host!” is not a host name');
    const tier = commandFromModal({ target: 'triton:prod', name: 'ci', tier: 'gold' }, now);
    expect((tier as { errors: Record<string, string> }).errors).toEqual({
      tier: 'Choose one of the listed rate tiers.',
    });
    const noTier = commandFromModal({ target: 'triton:prod', name: 'ci' }, now);
    expect((noTier as { errors: Record<string, string> }).errors).toEqual({ tier: 'Choose a rate tier.' });
    for (const r2 of [r, hosts, tier]) {
      for (const msg of Object.values((r2 as { errors: Record<string, string> }).errors)) expect(msg).not.toMatch(/--/);
    }
  });

  it('refuses providers that cannot create, and ignores fields the provider does not take', () => {
    const cobalt = commandFromModal({ target: 'cobalt:main', name: 'x' }, now);
    expect((cobalt as { errors: Record<string, string> }).errors['target']).toContain('web app');
    const triton = commandFromModal(
      { target: 'triton:prod', name: 'ci', tier: 'tier1', hosts: 'a.example.com', expires: '2027-01-01' },
      now,
    );
    expect(triton).toMatchObject({ ok: true, command: { tier: 'tier1', hosts: undefined, expiresAt: undefined } });
  });
});

describe('response_url allowlist', () => {
  it('posts only to Slack hooks or the configured local API origin', () => {
    expect(responseUrlAllowed('https://hooks.slack.com/commands/T1/1/abc')).toBe(true);
    expect(responseUrlAllowed('http://hooks.slack.com/commands/x')).toBe(false);
    expect(responseUrlAllowed('https://evil.example/hooks.slack.com')).toBe(false);
    expect(responseUrlAllowed('http://127.0.0.1:3000/response/1', 'http://127.0.0.1:3000/api/')).toBe(true);
    expect(responseUrlAllowed('http://127.0.0.1:4000/response/1', 'http://127.0.0.1:3000/api/')).toBe(false);
    expect(responseUrlAllowed('not a url')).toBe(false);
  });
});
