import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DEMO_USERS, LOCAL } from '../../src/local/demo.js';
import { startSlackStandin, type SlackStandin } from '../../src/local/slack-standin/index.js';
import { startWithConfig } from '../../src/local/with-config.js';
import { startMailtrapSimulator, type MailtrapSimulator } from '../../src/providers/mailtrap/simulator.js';

/** Stand-ins for what `npm start -- --config` talks to: a provider and Slack. Closed after the suite. */
export function useConfigEdges(): {
  start(signingSecret: string): Promise<{ sim: MailtrapSimulator; standin: SlackStandin }>;
  run(config: Record<string, unknown>): Promise<{ url?: string; close(): Promise<void> }>;
} {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });
  return {
    async start(signingSecret) {
      const sim = await startMailtrapSimulator({ demo: true });
      closers.push(() => sim.close());
      const channels = [
        { id: 'C0GENERAL', name: 'general' },
        { id: 'C0AUDIT', name: 'audit' },
      ];
      const standin = await startSlackStandin({
        signingSecret,
        botToken: 'xoxb-cfg',
        teamId: LOCAL.teamId,
        botUserId: LOCAL.botUserId,
        botId: LOCAL.botId,
        users: DEMO_USERS,
        channels,
        auditChannel: 'C0AUDIT',
      });
      closers.push(() => standin.close());
      return { sim, standin };
    },
    /** Writes the config to a file and starts tokenops on it, as `npm start -- --config FILE` does. */
    async run(config) {
      const file = join(mkdtempSync(join(tmpdir(), 'tokenops-cfg-')), 'tokenops.config.json');
      writeFileSync(file, JSON.stringify(config));
      const running = await startWithConfig(file, {
        port: 0,
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      closers.push(() => running.close());
      return running;
    },
  };
}

/** A config for the config-mode tests: one Mailtrap connection, Alice may list. */
export function configFor(sim: MailtrapSimulator, slack: Record<string, unknown>): Record<string, unknown> {
  return {
    slack: {
      botToken: 'xoxb-cfg',
      botId: LOCAL.botId,
      botUserId: LOCAL.botUserId,
      allowedTeams: [LOCAL.teamId],
      auditChannel: 'C0AUDIT',
      ...slack,
    },
    fingerprintKey: 'a-local-fingerprint-key-0123',
    policy: { roles: { engineer: { grants: { '*': ['list'] } } }, members: [{ user: 'U0ALICE', roles: ['engineer'] }] },
    connections: [{ provider: 'mailtrap', name: 'default', baseUrl: sim.url, ...sim.connectionConfig() }],
  };
}
