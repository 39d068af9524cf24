import type { ContractTarget } from '../target.js';
import { rawAuthTarget, target as vaultoro } from './vaultoro.js';
import { target as vectorcharts } from './vectorcharts.js';
import { target as triton } from './triton.js';
import { literalResetTarget, target as mailtrap } from './mailtrap.js';
import { cappedTarget, target as cobalt } from './cobalt.js';
import { ANY_LIVE } from '../live.js';

/**
 * Every adapter + simulator pair the contract suite runs against, with a second target for each reading
 * of ambiguous docs (Vaultoro's auth header, Mailtrap's reset rule, Cobalt's `limit` cap). Live mode
 * runs only the providers whose `TOKENOPS_LIVE_*` is set.
 */
const ALL: ContractTarget[] = [
  vaultoro,
  rawAuthTarget,
  vectorcharts,
  triton,
  mailtrap,
  literalResetTarget,
  cobalt,
  cappedTarget,
];

export const TARGETS: ContractTarget[] = ANY_LIVE
  ? ALL.filter((t) => !t.label && process.env[`TOKENOPS_LIVE_${t.provider.toUpperCase()}`])
  : ALL;
