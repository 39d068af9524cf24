import { type ConnectionOf } from '../../../src/providers/config.js';
import { cobaltConnection } from '../../../src/providers/cobalt/descriptor.js';
import { createCobaltAdapter } from '../../../src/providers/cobalt/adapter.js';
import { parseOrThrow } from '../../../src/core/validation.js';
import { startCobaltSimulator, type CobaltSimulatorOptions } from '../../../src/providers/cobalt/simulator.js';
import { liveConfig } from '../live.js';
import { PROBES } from '../probes.js';
import {
  CONTRACT_DEPS,
  CONTRACT_PAGE_SIZE,
  type ContractPair,
  type ContractTarget,
  type Disposable,
} from '../target.js';

type Conn = ConnectionOf<'cobalt'>;

/** A pair around one connection config; `sim` is undefined in live mode. */
function pairFor(conn: Conn, sim: ContractPair['sim'], disposable: Disposable | undefined, stop: () => Promise<void>) {
  const adapter = createCobaltAdapter(conn, CONTRACT_DEPS);
  const pair: ContractPair = {
    adapter,
    sim,
    useSecret: PROBES.cobalt(conn.baseUrl),
    ...(disposable ? { disposable } : {}),
    adapterWithBadCredentials: () =>
      createCobaltAdapter({ ...conn, credentials: { token: 'not-a-real-cobalt-token' } }, CONTRACT_DEPS),
    ...(sim
      ? { adapterWithTimeout: (ms: number) => createCobaltAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS) }
      : {}),
    stop,
  };
  return pair;
}

/**
 * Cobalt cannot create tokens over its API. A live run refreshes hand-made tokens (`live.disposable`
 * ids) to learn a secret it may then rotate and revoke; the tokens stay, with secrets nobody knows.
 */
function refreshing(conn: Conn, ids: string[]): Disposable {
  const adapter = createCobaltAdapter(conn, CONTRACT_DEPS);
  let next = 0;
  return async () => {
    const id = ids[next++ % Math.max(ids.length, 1)];
    if (id === undefined) return undefined;
    const r = await adapter.rotate(id);
    const fresh = { id: r.issued.summary.id, secret: r.issued.secret.reveal() };
    ids[(next - 1) % ids.length] = fresh.id; // a refresh may change the id
    return fresh;
  };
}

/** Cobalt in the shared contract suite, under one reading of the undocumented `limit` maximum. */
function cobaltTarget(
  label: string | undefined,
  simOptions: CobaltSimulatorOptions,
  pageSize?: number,
): ContractTarget {
  return {
    provider: 'cobalt',
    unknownId: 'api_NoSuchTokenAtAll12345',
    ...(label ? { label } : {}),
    // Cobalt cannot create over its API; the suite seeds tokens in the simulator instead.
    createInput: { name: 'contract-token' },
    pageSize: pageSize ?? 10,
    oldSecretAfterRotate: 'dies',
    async start() {
      const live = liveConfig('cobalt');
      if (live) {
        const conn = parseOrThrow(
          cobaltConnection,
          { name: 'live', pageSize: CONTRACT_PAGE_SIZE, ...live.fields, provider: 'cobalt' },
          'TOKENOPS_LIVE_COBALT',
        );
        const ids = (live.settings.disposable ?? []).flatMap((d) => (d.id ? [d.id] : []));
        return pairFor(conn, undefined, refreshing(conn, ids), async () => undefined);
      }
      // The suite makes far more calls a minute than Cobalt's per-user 100 GET / 20 mutation budget allows;
      // those limits are exercised by the unit tests, so they are raised here to keep the suite about contracts.
      const sim = await startCobaltSimulator({ rateLimits: { get: 10_000, mutate: 1_000 }, ...simOptions });
      const conn = { provider: 'cobalt', name: 'contract', baseUrl: sim.url, ...sim.connectionConfig() } as Conn;
      return pairFor(pageSize ? { ...conn, pageSize } : conn, sim, undefined, () => sim.close());
    },
  };
}

/** A configured page size under no server cap, and no page size at all under a server capping `limit` at 10. */
export const target = cobaltTarget(undefined, {}, CONTRACT_PAGE_SIZE);
export const cappedTarget = cobaltTarget('cobalt (server caps limit at 10)', {
  maxLimit: { limit: 10, over: 'reject' },
});

/** Every reading of this provider the contract suite runs (found by targets/index.ts). */
export const targets: ContractTarget[] = [target, cappedTarget];
