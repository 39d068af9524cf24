import { cobaltConnection, type ConnectionOf } from '../../../src/providers/config.js';
import { createCobaltAdapter } from '../../../src/providers/cobalt/adapter.js';
import { parseOrThrow } from '../../../src/core/validation.js';
import { startCobaltSimulator } from '../../../src/local/simulators/cobalt.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

const PAGE_SIZE = 5;

/** Live mode: `TOKENOPS_LIVE_COBALT` holds a JSON connection config for a real Cobalt user. */
function liveConfig(): ConnectionOf<'cobalt'> | undefined {
  const raw = process.env['TOKENOPS_LIVE_COBALT'];
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  return parseOrThrow(cobaltConnection, { name: 'live', ...parsed, provider: 'cobalt' }, 'TOKENOPS_LIVE_COBALT');
}

/** A pair around one connection config; `sim` is undefined in live mode. */
function pairFor(conn: ConnectionOf<'cobalt'>, sim: ContractPair['sim'], stop: () => Promise<void>): ContractPair {
  return {
    adapter: createCobaltAdapter(conn, CONTRACT_DEPS),
    sim,
    adapterWithBadCredentials: () =>
      createCobaltAdapter({ ...conn, credentials: { token: 'not-a-real-cobalt-token' } }, CONTRACT_DEPS),
    ...(sim
      ? { adapterWithTimeout: (ms: number) => createCobaltAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS) }
      : {}),
    stop,
  };
}

/** Cobalt in the shared contract suite: simulator by default, a real user's tokens in live mode. */
export const target: ContractTarget = {
  provider: 'cobalt',
  // Cobalt cannot create over its API; the suite seeds tokens in the simulator instead.
  createInput: { name: 'contract-token' },
  pageSize: process.env['TOKENOPS_LIVE_COBALT'] ? 0 : PAGE_SIZE,
  oldSecretAfterRotate: 'dies',
  async start() {
    const live = liveConfig();
    if (live) return pairFor(live, undefined, async () => undefined);
    // The suite makes far more calls a minute than Cobalt's per-user 100 GET / 20 mutation budget allows;
    // those limits are exercised by the unit tests, so they are raised here to keep the suite about contracts.
    const sim = await startCobaltSimulator({ pageSize: PAGE_SIZE, rateLimits: { get: 10_000, mutate: 1_000 } });
    const conn = { provider: 'cobalt', name: 'contract', baseUrl: sim.url, ...sim.connectionConfig() };
    return pairFor(conn as ConnectionOf<'cobalt'>, sim, () => sim.close());
  },
};
