import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, LOCAL } from '../../src/local/demo.js';
import { startSlackStandin } from '../../src/local/slack-standin/index.js';
import { startWithConfig } from '../../src/local/with-config.js';
import { startMailtrapSimulator } from '../simulators/mailtrap.js';
import { refsIn, textOf } from './harness.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('npm start -- --config FILE (real Slack and providers, here stood in for)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('serves the ingress for a config file and answers a signed command from the configured provider', async () => {
    const sim = await startMailtrapSimulator({ demo: true });
    closers.push(() => sim.close());
    const standin = await startSlackStandin({
      signingSecret: 'cfg-signing-secret',
      botToken: 'xoxb-cfg',
      teamId: LOCAL.teamId,
      botUserId: LOCAL.botUserId,
      botId: LOCAL.botId,
      users: DEMO_USERS,
      channels: [
        { id: 'C0GENERAL', name: 'general' },
        { id: 'C0AUDIT', name: 'audit' },
      ],
      auditChannel: 'C0AUDIT',
    });
    closers.push(() => standin.close());
    const config = {
      slack: {
        signingSecret: 'cfg-signing-secret',
        botToken: 'xoxb-cfg',
        botId: LOCAL.botId,
        botUserId: LOCAL.botUserId,
        apiUrl: standin.apiUrl,
        allowedTeams: [LOCAL.teamId],
        auditChannel: 'C0AUDIT',
      },
      fingerprintKey: 'a-local-fingerprint-key-0123',
      policy: {
        roles: { engineer: { grants: { '*': ['list'] } } },
        members: [{ user: 'U0ALICE', roles: ['engineer'] }],
      },
      connections: [{ provider: 'mailtrap', name: 'default', baseUrl: sim.url, ...sim.connectionConfig() }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'tokenops-cfg-')), 'tokenops.config.json');
    writeFileSync(file, JSON.stringify(config));
    const running = await startWithConfig(file, { port: 0, log: quiet });
    closers.push(() => running.close());
    standin.setRequestUrl(running.url as string);
    const res = await standin.slashCommand({ user: 'U0ALICE', text: 'list mailtrap' });
    expect(textOf(res.body)).toMatch(/Working on it/);
    const reply = await standin.waitFor(() => standin.responses.find((r) => r.responseUrl === res.responseUrl));
    expect(refsIn(textOf(reply.body)).length).toBeGreaterThan(0);
  });

  it('refuses a config that names AWS secrets, since there is no Secrets Manager locally', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tokenops-cfg-')), 'c.yaml');
    writeFileSync(
      file,
      `slack: { secretName: tokenops/slack, allowedTeams: [T1], auditChannel: C1 }\nfingerprintKey: 0123456789abcdef0\npolicy: { roles: {}, members: [] }\nconnections: [{ provider: cobalt, name: default, baseUrl: 'http://127.0.0.1:9', credentialsSecret: tokenops/cobalt/default }]\n`,
    );
    await expect(startWithConfig(file, { port: 0, log: quiet })).rejects.toThrow(
      /inline: tokenops\/slack, tokenops\/cobalt\/default/,
    );
  });
});
