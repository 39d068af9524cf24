import { type ConnectionOf } from '../../../src/providers/config.js';
import { tritonConnection } from '../../../src/providers/triton/descriptor.js';
import { createTritonAdapter } from '../../../src/providers/triton/adapter.js';
import { parseOrThrow } from '../../../src/core/validation.js';
import { startTritonSimulator } from '../../../src/providers/triton/simulator.js';
import { liveConfig } from '../live.js';
import { PROBES } from '../probes.js';
import { CONTRACT_DEPS, CONTRACT_PAGE_SIZE, type ContractPair, type ContractTarget } from '../target.js';

type Conn = ConnectionOf<'triton'>;

/** A pair around one connection config; `sim` is undefined in live mode. */
function pairFor(conn: Conn, sim: ContractPair['sim'], rpcUrl: string | undefined, stop: () => Promise<void>) {
  const pair: ContractPair = {
    adapter: createTritonAdapter(conn, CONTRACT_DEPS),
    sim,
    useSecret: rpcUrl ? PROBES.triton(rpcUrl) : undefined,
    adapterWithBadCredentials: () =>
      createTritonAdapter({ ...conn, credentials: { token: 'not-a-real-management-token' } }, CONTRACT_DEPS),
    ...(sim
      ? { adapterWithTimeout: (ms: number) => createTritonAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS) }
      : {}),
    stop,
  };
  return pair;
}

/** Triton One in the shared contract suite: simulator by default, a real account in live mode (`live.rpcUrl`). */
export const target: ContractTarget = {
  provider: 'triton',
  unknownId: '00000000-0000-4000-8000-0000000000ff',
  createInput: { name: 'contract-token', tier: 'tier1' },
  pageSize: CONTRACT_PAGE_SIZE,
  oldSecretAfterRotate: 'dies',
  async start() {
    const live = liveConfig('triton');
    if (live) {
      const fields = { name: 'live', pageSize: CONTRACT_PAGE_SIZE, ...live.fields, provider: 'triton' };
      const conn = parseOrThrow(tritonConnection, fields, 'TOKENOPS_LIVE_TRITON');
      return pairFor(conn, undefined, live.settings.rpcUrl, async () => undefined);
    }
    const sim = await startTritonSimulator({ pageSize: CONTRACT_PAGE_SIZE });
    const conn = { provider: 'triton', name: 'contract', baseUrl: sim.url, ...sim.connectionConfig() } as Conn;
    return pairFor(conn, sim, `${sim.url}/rpc`, () => sim.close());
  },
};

/** Every reading of this provider the contract suite runs (found by targets/index.ts). */
export const targets: ContractTarget[] = [target];
