import { describe, expect, it } from 'vitest';
import { commandFromModal, modalValues } from '../../../src/slack/modal-submission.js';
import { responseUrlAllowed } from '../../../src/slack/output.js';

const now = new Date('2026-11-23T00:00:00Z');

describe('create modal submission', () => {
  it('reads Slack view state into a create command', () => {
    const state = {
      values: {
        target: { value: { selected_option: { value: 'triton:prod' } } },
        name: { value: { value: ' ci ' } },
        tier: { value: { value: 'TIER1' } },
        expires: { value: { value: '30d' } },
        scopes: { value: { value: null } },
      },
    };
    const r = commandFromModal(modalValues(state), now);
    expect(r).toEqual({
      ok: true,
      command: expect.objectContaining({
        name: 'create',
        target: { provider: 'triton', connection: 'prod' },
        tokenName: 'ci',
        tier: 'tier1',
        expiresAt: '2026-12-23T00:00:00.000Z',
      }),
    });
  });

  it('returns field errors keyed by block id', () => {
    const r = commandFromModal({ target: 'github', name: '', expires: 'yesterday', hosts: 'bad host!' }, now);
    expect(r.ok).toBe(false);
    expect(Object.keys((r as { errors: Record<string, string> }).errors).sort()).toEqual([
      'expires',
      'hosts',
      'name',
      'target',
    ]);
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
