import { describe, expect, it } from 'vitest';
import {
  credentialResolver,
  fingerprintKey,
  parseConfigText,
  slackSecrets,
  type SecretSource,
} from '../../../src/config/load.js';

const valid = `
slack:
  allowedTeams: [T1]
  auditChannel: C1
  signingSecret: s3cret-signing
  botToken: xoxb-1
fingerprintKey: 0123456789abcdef-key
policy:
  roles: { engineer: { grants: { '*': [list] } } }
  members: [{ user: U0ALICE, roles: [engineer] }]
connections:
  - { provider: mailtrap, name: default, baseUrl: 'http://127.0.0.1:1', credentials: { token: t } }
`;

describe('config loading', () => {
  it('parses YAML and fills defaults', async () => {
    const c = await parseConfigText(valid, 'test.yaml');
    expect(c.slack.timeoutMs).toBe(5000);
    expect(c.slack.retries).toBe(2);
    expect(c.policy.approvals).toEqual([]);
  });

  it('names every wrong field, and never echoes a value', async () => {
    const bad = valid
      .replace('provider: mailtrap', 'provider: github')
      .replace('auditChannel: C1', 'auditChannel: 7')
      .replace('s3cret-signing', '');
    await expect(parseConfigText(bad, 'bad.yaml')).rejects.toThrow(
      /bad\.yaml is invalid:[\s\S]*connections\.0\.provider/,
    );
    await expect(parseConfigText('slack: [', 'x.yaml')).rejects.toThrow(/not valid YAML/);
    const err = await parseConfigText(valid.replace("'http://127.0.0.1:1'", 'not-a-url'), 'u.yaml').catch(
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/connections\.0\.baseUrl/);
    expect(String(err)).not.toContain('not-a-url');
  });

  it('takes Slack secrets and the fingerprint key from a named secret when one is set', async () => {
    const c = await parseConfigText(
      valid
        .replace('fingerprintKey: 0123456789abcdef-key', 'fingerprintKeySecret: fp')
        .replace('  botToken: xoxb-1', '  secretName: slack'),
      'x',
    );
    const source: SecretSource = {
      json: async () => ({ botToken: 'xoxb-from-store', signingSecret: 'from-store' }),
      text: async () => 'fingerprint-from-store-0000',
    };
    expect(await slackSecrets(c, source)).toEqual({
      signingSecret: 'from-store',
      botToken: 'xoxb-from-store',
      appToken: undefined,
    });
    expect(await fingerprintKey(c, source)).toBe('fingerprint-from-store-0000');
  });

  it('says which Slack field is missing', async () => {
    const c = await parseConfigText(valid.replace('  botToken: xoxb-1\n', ''), 'x');
    await expect(slackSecrets(c)).rejects.toThrow(/slack\.botToken is missing/);
  });

  it('resolves connection credentials from their secret', async () => {
    const c = await parseConfigText(
      valid.replace('credentials: { token: t }', 'credentialsSecret: tokenops/mailtrap/default'),
      'x',
    );
    const source: SecretSource = { json: async (name) => ({ token: `from ${name}` }), text: async () => '' };
    const conn = await credentialResolver(source)(c.connections[0]!);
    expect(conn.credentials).toEqual({ token: 'from tokenops/mailtrap/default' });
    await expect(credentialResolver()(c.connections[0]!)).rejects.toThrow(/needs a secret store/);
  });
});
