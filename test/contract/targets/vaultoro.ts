import { parseOrThrow } from '../../../src/core/validation.js';
import { createVaultoroAdapter } from '../../../src/providers/vaultoro/adapter.js';
import { vaultoroConnection } from '../../../src/providers/vaultoro/descriptor.js';
import { startVaultoroSimulator } from '../../../src/providers/vaultoro/simulator.js';
import { liveConfig } from '../live.js';
import { PROBES } from '../probes.js';
import { CONTRACT_DEPS, type ContractPair, type ContractTarget } from '../target.js';

/** Parses a connection for the contract suite; live JSON may leave out provider and name. */
function connection(fields: Record<string, unknown>) {
  return parseOrThrow(
    vaultoroConnection,
    { name: 'contract', ...fields, provider: 'vaultoro' },
    'Vaultoro contract connection',
  );
}

/**
 * Vaultoro in the contract suite under one reading of "your main bearer token" (Bearer or raw). Create
 * is dashboard-only: the simulator seeds tokens, and a live run deletes hand-made `live.disposable` ones.
 */
function vaultoroTarget(authScheme: 'bearer' | 'raw'): ContractTarget {
  return {
    provider: 'vaultoro',
    unknownId: '3f0c2a7e-1111-4c2d-9e8f-0000000000ff',
    ...(authScheme === 'raw' ? { label: 'vaultoro (raw auth header)' } : {}),
    createInput: { name: 'contract-vaultoro', scopes: ['read'] },
    pageSize: 0,
    oldSecretAfterRotate: 'n/a',
    async start(): Promise<ContractPair> {
      const live = authScheme === 'bearer' ? liveConfig('vaultoro') : undefined;
      const sim = live ? undefined : await startVaultoroSimulator({ authScheme });
      const conn = connection(live ? live.fields : { baseUrl: sim?.url, ...sim?.connectionConfig() });
      const pool = (live?.settings.disposable ?? []).flatMap((d) =>
        d.referenceId && d.token ? [{ id: d.referenceId, secret: d.token }] : [],
      );
      return {
        adapter: createVaultoroAdapter(conn, CONTRACT_DEPS),
        sim,
        useSecret: PROBES.vaultoro(conn.baseUrl),
        ...(live ? { disposable: async () => pool.shift() } : {}),
        adapterWithBadCredentials: () =>
          createVaultoroAdapter(
            { ...conn, credentials: { bearerToken: 'eyJhbGciOiJIUzI1NiJ9.bad.bad' } },
            CONTRACT_DEPS,
          ),
        adapterWithTimeout: sim
          ? (ms: number) => createVaultoroAdapter({ ...conn, timeoutMs: ms }, CONTRACT_DEPS)
          : undefined,
        stop: async () => sim?.close(),
      };
    },
  };
}

/** The docs never show the header value: the suite runs the adapter against both readings. */
export const target = vaultoroTarget('bearer');
export const rawAuthTarget = vaultoroTarget('raw');

/** Every reading of this provider the contract suite runs (found by targets/index.ts). */
export const targets: ContractTarget[] = [target, rawAuthTarget];
