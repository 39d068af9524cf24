import { UseCaseContext, type UseCaseDeps } from '../../src/commands/use-cases/context.js';
import type { Stores, TokenRecord } from '../../src/core/ports.js';
import type { IssuedToken } from '../../src/core/token.js';
import type { ProviderSimulator } from '../../src/local/simulators/base.js';
import { startSimulator } from '../../src/local/simulators/index.js';
import { connectionSchema, type ConnectionConfig, type ProviderType } from '../../src/providers/descriptors.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { TEST_POLICY, fixedDirectory, recordingLog } from './worker.js';

/** The fingerprint key of the use-case tests. */
export const KEY = 'use-case-test-key';

/** Simulators on loopback, one per `provider:connection`, and their connection configs. */
export interface Sims {
  sims: Map<string, ProviderSimulator>;
  configs: ConnectionConfig[];
  close(): Promise<void>;
}

/** Starts one simulator per `provider:connection` key. */
export async function startSims(keys: string[]): Promise<Sims> {
  const sims = new Map<string, ProviderSimulator>();
  const configs: ConnectionConfig[] = [];
  for (const key of keys) {
    const [provider, name] = key.split(':') as [ProviderType, string];
    const sim = await startSimulator(provider, { fingerprintKey: KEY });
    sims.set(key, sim);
    configs.push(connectionSchema.parse({ provider, name, baseUrl: sim.url, ...sim.connectionConfig() }));
  }
  return { sims, configs, close: async () => void (await Promise.all([...sims.values()].map((s) => s.close()))) };
}

/** A use-case context over real stores and simulators; what it delivers is kept in `delivered`. */
export function contextFor(
  stores: Stores,
  configs: ConnectionConfig[],
  userId: string,
  options: { deliveryFails?: boolean } = {},
): UseCaseContext & { delivered: IssuedToken[] } {
  const deps: UseCaseDeps = {
    registry: new ProviderRegistry(configs, { fingerprintKey: KEY, retry: { maxRetries: 0 } }),
    stores,
    directory: fixedDirectory(),
    policy: TEST_POLICY,
    allowedTeams: ['T1'],
    fingerprintKey: KEY,
    log: recordingLog(),
  };
  const delivered: IssuedToken[] = [];
  const ctx = new UseCaseContext(deps, { userId, teamId: 'T1', correlationId: `c-${userId}` }, async (issued) => {
    if (options.deliveryFails) throw new Error('Slack refused the DM');
    delivered.push(issued);
  });
  return Object.assign(ctx, { delivered });
}

/** A token index record as tokenops keeps one for a token it minted. */
export function indexRecord(over: Partial<TokenRecord> & Pick<TokenRecord, 'ref' | 'name' | 'owner'>): TokenRecord {
  const [provider = '', connection = ''] = (over.ref.split('/')[0] ?? '').split(':');
  return {
    provider,
    connection,
    fingerprint: 'f'.repeat(64),
    last4: '0000',
    createdAt: new Date().toISOString(),
    ...over,
  };
}
