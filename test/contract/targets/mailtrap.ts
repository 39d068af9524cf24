import { parseOrThrow } from '../../../src/core/validation.js';
import { mailtrapConnection } from '../../../src/providers/config.js';
import { createMailtrapAdapter } from '../../../src/providers/mailtrap/adapter.js';
import { startMailtrapSimulator } from '../../../src/local/simulators/mailtrap.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    mailtrapConnection,
    { name: 'contract', ...fields, provider: 'mailtrap' },
    'Mailtrap contract connection',
  );
}

/** Mailtrap in the contract suite: native reset, so the old secret lives on for its 12-hour grace. */
export const target: ContractTarget = {
  provider: 'mailtrap',
  createInput: { name: 'contract-mailtrap', scopes: ['account:viewer'] },
  pageSize: 0,
  oldSecretAfterRotate: 'lives',
  async start(): Promise<ContractPair> {
    const live = process.env['TOKENOPS_LIVE_MAILTRAP'];
    const sim = live ? undefined : await startMailtrapSimulator();
    const conn = connection(
      live ? (JSON.parse(live) as Record<string, unknown>) : { baseUrl: sim?.url, ...sim?.connectionConfig() },
    );
    return {
      adapter: createMailtrapAdapter(conn, CONTRACT_DEPS),
      sim,
      adapterWithBadCredentials: () =>
        createMailtrapAdapter({ ...conn, credentials: { token: '00000000000000000000000000000000' } }, CONTRACT_DEPS),
      adapterWithTimeout: sim
        ? (ms: number) => createMailtrapAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
        : undefined,
      stop: async () => sim?.close(),
    };
  },
};
