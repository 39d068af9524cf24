import { parseOrThrow } from '../../../src/core/validation.js';
import { vectorchartsConnection } from '../../../src/providers/config.js';
import { createVectorchartsAdapter } from '../../../src/providers/vectorcharts/adapter.js';
import { startVectorchartsSimulator } from '../../../src/local/simulators/vectorcharts.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    vectorchartsConnection,
    { name: 'contract', ...fields, provider: 'vectorcharts' },
    'Vector Charts contract connection',
  );
}

/** Vector Charts (OEM Portal) in the contract suite, logging in with a portal user. */
export const target: ContractTarget = {
  provider: 'vectorcharts',
  createInput: { name: 'contract-vectorcharts' },
  pageSize: 0,
  oldSecretAfterRotate: 'dies',
  async start(): Promise<ContractPair> {
    const live = process.env['TOKENOPS_LIVE_VECTORCHARTS'];
    const sim = live ? undefined : await startVectorchartsSimulator({ fingerprintKey: CONTRACT_DEPS.fingerprintKey });
    const conn = connection(
      live ? (JSON.parse(live) as Record<string, unknown>) : { baseUrl: sim?.url, ...sim?.connectionConfig() },
    );
    const bad =
      conn.credentials && 'apiToken' in conn.credentials
        ? { apiToken: '0123456789abcdef0123456789abcdef' }
        : { username: 'admin', password: 'not-the-password' };
    return {
      adapter: createVectorchartsAdapter(conn, CONTRACT_DEPS),
      sim,
      adapterWithBadCredentials: () => createVectorchartsAdapter({ ...conn, credentials: bad }, CONTRACT_DEPS),
      adapterWithTimeout: sim
        ? (ms: number) => createVectorchartsAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
        : undefined,
      stop: async () => sim?.close(),
    };
  },
};
