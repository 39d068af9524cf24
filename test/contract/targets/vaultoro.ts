import { parseOrThrow } from '../../../src/core/validation.js';
import { createVaultoroAdapter } from '../../../src/providers/vaultoro/adapter.js';
import { vaultoroConnection } from '../../../src/providers/config.js';
import { startVaultoroSimulator } from '../../../src/local/simulators/vaultoro.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    vaultoroConnection,
    { name: 'contract', ...fields, provider: 'vaultoro' },
    'Vaultoro contract connection',
  );
}

/** Vaultoro in the contract suite: create is dashboard-only, so the suite seeds tokens in the simulator. */
export const target: ContractTarget = {
  provider: 'vaultoro',
  createInput: { name: 'contract-vaultoro', scopes: ['read'] },
  pageSize: 0,
  oldSecretAfterRotate: 'n/a',
  async start(): Promise<ContractPair> {
    const live = process.env['TOKENOPS_LIVE_VAULTORO'];
    const sim = live ? undefined : await startVaultoroSimulator();
    const conn = connection(
      live ? (JSON.parse(live) as Record<string, unknown>) : { baseUrl: sim?.url, ...sim?.connectionConfig() },
    );
    return {
      adapter: createVaultoroAdapter(conn, CONTRACT_DEPS),
      sim,
      adapterWithBadCredentials: () =>
        createVaultoroAdapter({ ...conn, credentials: { bearerToken: 'eyJhbGciOiJIUzI1NiJ9.bad.bad' } }, CONTRACT_DEPS),
      adapterWithTimeout: sim
        ? (ms: number) => createVaultoroAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
        : undefined,
      stop: async () => sim?.close(),
    };
  },
};
