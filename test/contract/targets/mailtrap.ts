import { parseOrThrow } from '../../../src/core/validation.js';
import { mailtrapConnection } from '../../../src/providers/mailtrap/descriptor.js';
import { createMailtrapAdapter } from '../../../src/providers/mailtrap/adapter.js';
import { startMailtrapSimulator, type MailtrapSimOptions } from '../../../src/providers/mailtrap/simulator.js';
import { liveConfig } from '../live.js';
import { PROBES } from '../probes.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    mailtrapConnection,
    { name: 'contract', ...fields, provider: 'mailtrap' },
    'Mailtrap contract connection',
  );
}

/**
 * Mailtrap in the contract suite under one reading of the reset rule. 'lenient' (SDK docs): native
 * reset, the old secret lives on for 12 hours. 'literal' (spec): tokens with an expiry cannot be
 * reset, so rotate falls back to create + delete and the old secret dies.
 */
function mailtrapTarget(resetRule: NonNullable<MailtrapSimOptions['resetRule']>): ContractTarget {
  return {
    provider: 'mailtrap',
    unknownId: '2999999',
    ...(resetRule === 'literal' ? { label: 'mailtrap (literal reset rule)' } : {}),
    createInput: { name: 'contract-mailtrap', scopes: ['account:viewer'] },
    pageSize: 0,
    oldSecretAfterRotate: resetRule === 'literal' ? 'dies' : 'lives',
    async start(): Promise<ContractPair> {
      const live = resetRule === 'lenient' ? liveConfig('mailtrap') : undefined;
      const sim = live ? undefined : await startMailtrapSimulator({ resetRule });
      const conn = connection(live ? live.fields : { baseUrl: sim?.url, ...sim?.connectionConfig() });
      return {
        adapter: createMailtrapAdapter(conn, CONTRACT_DEPS),
        sim,
        useSecret: PROBES.mailtrap(conn.baseUrl),
        adapterWithBadCredentials: () =>
          createMailtrapAdapter({ ...conn, credentials: { token: '00000000000000000000000000000000' } }, CONTRACT_DEPS),
        adapterWithTimeout: sim
          ? (ms: number) => createMailtrapAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
          : undefined,
        stop: async () => sim?.close(),
      };
    },
  };
}

export const target = mailtrapTarget('lenient');
export const literalResetTarget = mailtrapTarget('literal');

/** Every reading of this provider the contract suite runs (found by targets/index.ts). */
export const targets: ContractTarget[] = [target, literalResetTarget];
