import type { ContractTarget } from '../target.js';
import { target as vaultoro } from './vaultoro.js';
import { target as vectorcharts } from './vectorcharts.js';
import { target as triton } from './triton.js';
import { target as mailtrap } from './mailtrap.js';
import { target as cobalt } from './cobalt.js';

/** Every adapter + simulator pair the contract suite runs against. */
export const TARGETS: ContractTarget[] = [vaultoro, vectorcharts, triton, mailtrap, cobalt];
