import { PROVIDER_TYPES } from '../../../src/providers/descriptors.js';
import type { ContractTarget } from '../target.js';
import { ANY_LIVE } from '../live.js';

/**
 * Every adapter + simulator pair the contract suite runs against: `targets/<type>.ts` of every provider
 * in the descriptor list (a provider without one fails here), each with a second target per reading of
 * ambiguous docs (Vaultoro's auth header, Mailtrap's reset rule, Cobalt's `limit` cap). Live mode runs
 * only the providers whose `TOKENOPS_LIVE_*` is set.
 */
async function targetsOf(provider: string): Promise<ContractTarget[]> {
  const path = `./${provider}.js`;
  const mod = (await import(path)) as { targets?: ContractTarget[] };
  if (!mod.targets?.length) throw new Error(`test/contract/targets/${provider}.ts must export its targets.`);
  return mod.targets;
}

const ALL: ContractTarget[] = (await Promise.all(PROVIDER_TYPES.map(targetsOf))).flat();

export const TARGETS: ContractTarget[] = ANY_LIVE
  ? ALL.filter((t) => !t.label && process.env[`TOKENOPS_LIVE_${t.provider.toUpperCase()}`])
  : ALL;
