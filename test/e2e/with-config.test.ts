import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWithConfig } from '../../src/local/with-config.js';
import { configFor, useConfigEdges } from './config-mode.js';
import { refsIn, textOf } from './harness.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('npm start -- --config FILE (real Slack and providers, here stood in for)', () => {
  const edges = useConfigEdges();

  it('serves the ingress for a config file and answers a signed command from the configured provider', async () => {
    const { sim, standin } = await edges.start('cfg-signing-secret');
    const running = await edges.run(configFor(sim, { signingSecret: 'cfg-signing-secret', apiUrl: standin.apiUrl }));
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
      `slack: { secretName: tokenops/slack, allowedTeams: [T1], auditChannel: C1 }\nfingerprintKey: 0123456789abcdef0\npolicy: { roles: {}, members: [] }\nconnections: [{ provider: cobalt, name: default, baseUrl: 'http://127.0.0.1:9', credentialsSecret: tokenops/cobalt/default, ownTokenId: api_Own1 }]\n`,
    );
    await expect(startWithConfig(file, { port: 0, log: quiet })).rejects.toThrow(
      /inline: tokenops\/slack, tokenops\/cobalt\/default/,
    );
  });
});
