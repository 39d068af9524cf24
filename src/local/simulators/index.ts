import type { ProviderType } from '../../core/token.js';
import type { CommonSimOptions, ProviderSimulator, StartSimulator } from './base.js';

/**
 * Starts the simulator of a provider type: `providers/<type>/simulator.ts`, found by its folder (local
 * code only, never bundled), so a new provider needs no line here.
 */
export async function startSimulator(type: ProviderType, options: CommonSimOptions = {}): Promise<ProviderSimulator> {
  if (!/^[a-z][a-z0-9]*$/.test(type)) throw new Error(`Not a provider type: ${JSON.stringify(type.slice(0, 40))}`);
  // A plain variable, not a template in import(): bundlers and Vite would turn a template into a glob.
  const path = `../../providers/${type}/simulator.js`;
  const mod = (await import(path)) as { startSimulator?: StartSimulator };
  if (typeof mod.startSimulator !== 'function')
    throw new Error(
      `src/providers/${type}/simulator.ts must export startSimulator (see src/local/simulators/base.ts).`,
    );
  return mod.startSimulator(options);
}
