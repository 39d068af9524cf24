import { parseOrThrow } from '../../../src/core/validation.js';
import { vectorchartsConnection } from '../../../src/providers/vectorcharts/descriptor.js';
import { createVectorchartsAdapter } from '../../../src/providers/vectorcharts/adapter.js';
import { startVectorchartsSimulator } from '../../../src/providers/vectorcharts/simulator.js';
import { liveConfig } from '../live.js';
import { PROBES } from '../probes.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    vectorchartsConnection,
    { name: 'contract', ...fields, provider: 'vectorcharts' },
    'Vector Charts contract connection',
  );
}

/** Vector Charts (OEM Portal) in the contract suite, logging in with a portal user; live needs `live.probeUrl`. */
export const target: ContractTarget = {
  provider: 'vectorcharts',
  unknownId: '0123456789abcdef',
  createInput: { name: 'contract-vectorcharts' },
  pageSize: 0,
  oldSecretAfterRotate: 'dies',
  async start(): Promise<ContractPair> {
    const live = liveConfig('vectorcharts');
    const sim = live ? undefined : await startVectorchartsSimulator({ fingerprintKey: CONTRACT_DEPS.fingerprintKey });
    const conn = connection(live ? live.fields : { baseUrl: sim?.url, ...sim?.connectionConfig() });
    const probeUrl = live ? live.settings.probeUrl : sim ? `${new URL(sim.url).origin}/core/v1/styles` : undefined;
    const bad =
      conn.credentials && 'apiToken' in conn.credentials
        ? { apiToken: '0123456789abcdef0123456789abcdef' }
        : { username: 'admin', password: 'not-the-password' };
    return {
      adapter: createVectorchartsAdapter(conn, CONTRACT_DEPS),
      sim,
      useSecret: probeUrl ? PROBES.vectorcharts(probeUrl) : undefined,
      adapterWithBadCredentials: () => createVectorchartsAdapter({ ...conn, credentials: bad }, CONTRACT_DEPS),
      adapterWithTimeout: sim
        ? (ms: number) => createVectorchartsAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
        : undefined,
      stop: async () => sim?.close(),
    };
  },
};

/** Every reading of this provider the contract suite runs (found by targets/index.ts). */
export const targets: ContractTarget[] = [target];
