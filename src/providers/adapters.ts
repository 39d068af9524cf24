import type { ProviderAdapter } from '../core/token.js';
import type { AdapterDeps } from './adapter-deps.js';
import { createCobaltAdapter } from './cobalt/adapter.js';
import type { ConnectionOf, ProviderType } from './descriptors.js';
import { createMailtrapAdapter } from './mailtrap/adapter.js';
import { createTritonAdapter } from './triton/adapter.js';
import { createVaultoroAdapter } from './vaultoro/adapter.js';
import { createVectorchartsAdapter } from './vectorcharts/adapter.js';

// The adapter factory of every provider: the heavy half of providers/descriptors.ts (HTTP clients,
// undici). Only the worker and the leak intake load it; the ingress never does. The mapped type makes
// tsc fail when a descriptor has no factory here.

/** Builds one provider's adapter from a connection config (credentials already resolved). */
export type AdapterFactory<P extends ProviderType> = (conn: ConnectionOf<P>, deps: AdapterDeps) => ProviderAdapter;

/** Adapter factories by provider type. */
export const ADAPTERS: { readonly [P in ProviderType]: AdapterFactory<P> } = {
  vaultoro: createVaultoroAdapter,
  vectorcharts: createVectorchartsAdapter,
  triton: createTritonAdapter,
  mailtrap: createMailtrapAdapter,
  cobalt: createCobaltAdapter,
};
