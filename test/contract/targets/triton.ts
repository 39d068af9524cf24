import { tritonConnection, type ConnectionOf } from '../../../src/providers/config.js';
import { createTritonAdapter } from '../../../src/providers/triton/adapter.js';
import { parseOrThrow } from '../../../src/core/validation.js';
import { startTritonSimulator } from '../../../src/local/simulators/triton.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

const PAGE_SIZE = 5;

/** Live mode: `TOKENOPS_LIVE_TRITON` holds a JSON connection config for a real Triton account. */
function liveConfig(): ConnectionOf<'triton'> | undefined {
  const raw = process.env['TOKENOPS_LIVE_TRITON'];
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  return parseOrThrow(tritonConnection, { name: 'live', ...parsed, provider: 'triton' }, 'TOKENOPS_LIVE_TRITON');
}

/** A pair around one connection config; `sim` is undefined in live mode. */
function pairFor(conn: ConnectionOf<'triton'>, sim: ContractPair['sim'], stop: () => Promise<void>): ContractPair {
  return {
    adapter: createTritonAdapter(conn, CONTRACT_DEPS),
    sim,
    adapterWithBadCredentials: () =>
      createTritonAdapter({ ...conn, credentials: { token: 'not-a-real-management-token' } }, CONTRACT_DEPS),
    ...(sim
      ? { adapterWithTimeout: (ms: number) => createTritonAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS) }
      : {}),
    stop,
  };
}

/** Triton One in the shared contract suite: simulator by default, a real account in live mode. */
export const target: ContractTarget = {
  provider: 'triton',
  createInput: { name: 'contract-token', tier: 'tier1' },
  // A live account would get 2 × 50 + 1 real tokens from the paging case: skip it there.
  pageSize: process.env['TOKENOPS_LIVE_TRITON'] ? 0 : PAGE_SIZE,
  oldSecretAfterRotate: 'dies',
  async start() {
    const live = liveConfig();
    if (live) return pairFor(live, undefined, async () => undefined);
    const sim = await startTritonSimulator({ pageSize: PAGE_SIZE });
    const conn = { provider: 'triton', name: 'contract', baseUrl: sim.url, ...sim.connectionConfig() };
    return pairFor(conn as ConnectionOf<'triton'>, sim, () => sim.close());
  },
};
