import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectionConfig } from '../../../src/providers/config.js';
import { mailtrapConnection } from '../../../src/providers/mailtrap/descriptor.js';
import { ProviderRegistry } from '../../../src/providers/registry.js';
import { startMailtrapSimulator, type MailtrapSimulator } from '../../../src/providers/mailtrap/simulator.js';
import { caught } from '../../support/errors.js';

// A credential put into the secret store reaches the adapters without a restart: the registry asks
// the (caching) secret source on every use and rebuilds an adapter whose credentials changed.
describe('provider registry and changing credentials', () => {
  let sim: MailtrapSimulator;
  let stored: Record<string, unknown>;
  let fetches: number;
  let failNext: boolean;
  let registry: ProviderRegistry;

  beforeEach(async () => {
    sim = await startMailtrapSimulator();
    stored = sim.connectionConfig()['credentials'] as Record<string, unknown>;
    fetches = 0;
    failNext = false;
    const conn = mailtrapConnection.parse({
      provider: 'mailtrap',
      name: 'main',
      baseUrl: sim.url,
      ...sim.connectionConfig(),
      credentials: undefined,
      credentialsSecret: 'tokenops/mailtrap/main',
    });
    registry = new ProviderRegistry([conn], { fingerprintKey: 'unit-key', retry: { maxRetries: 0 } }, async (c) => {
      fetches++;
      if (failNext) {
        failNext = false;
        throw new Error('secrets manager unavailable');
      }
      return { ...c, credentials: { ...stored } } as ConnectionConfig;
    });
  });
  afterEach(async () => sim.close());

  it('keeps one adapter while the credentials stay the same', async () => {
    const first = await registry.adapter('mailtrap');
    expect(await registry.adapter('mailtrap')).toBe(first);
    expect(fetches).toBe(2);
  });

  it('uses a changed credential on the next use, with no restart', async () => {
    const before = await registry.adapter('mailtrap');
    expect((await before.list()).length).toBeGreaterThan(0);
    stored = { token: 'revoked-admin-token-000000000000' };
    const after = await registry.adapter('mailtrap');
    expect(after).not.toBe(before);
    // The simulator refuses the new (wrong) token: the request really went out with it.
    expect((await caught(after.list())).code).toBe('auth');
  });

  it('does not remember a failed credential fetch', async () => {
    failNext = true;
    await expect(registry.adapter('mailtrap')).rejects.toThrow(/unavailable/);
    const adapter = await registry.adapter('mailtrap');
    expect((await adapter.list()).length).toBeGreaterThan(0);
  });
});
