import { createHash } from 'node:crypto';
import { TokenOpsError } from '../core/errors.js';
import type { ProviderAdapter, ProviderType } from '../core/token.js';
import type { AdapterDeps } from './adapter-deps.js';
import { ADAPTERS, type AdapterFactory } from './adapters.js';
import { providerLabel, type ConnectionConfig } from './descriptors.js';

/** Builds the adapter for one connection config (credentials already resolved). */
export function createAdapter(conn: ConnectionConfig, deps: AdapterDeps): ProviderAdapter {
  // Each factory takes its own provider's config; the union's discriminant picks the factory.
  const factory = ADAPTERS[conn.provider] as AdapterFactory<ConnectionConfig['provider']>;
  return factory(conn, deps);
}

/** Loads the credentials of a connection (from Secrets Manager on AWS, inline locally). */
export type CredentialResolver = (conn: ConnectionConfig) => Promise<ConnectionConfig>;

/**
 * Every configured connection, by provider and name. Adapters are built lazily on first use, so a
 * cold start pays only for the connections a command touches. Credentials are resolved on every use
 * (the secret source caches them for a bounded time, 5 minutes on AWS), and an adapter is rebuilt
 * when they changed: a credential put into Secrets Manager takes effect without a deploy.
 */
export class ProviderRegistry {
  readonly #configs: ConnectionConfig[];
  /** Built adapters, with a digest of the credentials they were built with (never the values). */
  readonly #adapters = new Map<string, { digest: string; adapter: ProviderAdapter }>();

  constructor(
    configs: readonly ConnectionConfig[],
    readonly deps: AdapterDeps,
    readonly resolve: CredentialResolver = async (c) => c,
  ) {
    const seen = new Set<string>();
    for (const c of configs) {
      const key = `${c.provider}:${c.name}`;
      if (seen.has(key)) throw new TokenOpsError('config', `Connection ${key} is configured twice.`);
      seen.add(key);
    }
    this.#configs = [...configs];
  }

  /** Every configured connection, in config order. */
  connections(): { provider: ProviderType; connection: string }[] {
    return this.#configs.map((c) => ({ provider: c.provider, connection: c.name }));
  }

  /** The connection a command means: the named one, or the provider's only one (or one named `default`). */
  resolveConnection(provider: ProviderType, connection?: string): string {
    const mine = this.#configs.filter((c) => c.provider === provider);
    const label = providerLabel(provider);
    if (mine.length === 0)
      throw new TokenOpsError('not_found', `${label} is not configured. Type \`/token providers\` to see what is.`);
    if (connection !== undefined) {
      if (mine.some((c) => c.name === connection)) return connection;
      const names = mine.map((c) => `${provider}:${c.name}`).join(', ');
      throw new TokenOpsError('not_found', `${label} has no connection named ${connection}. Configured: ${names}.`);
    }
    if (mine.length === 1) return (mine[0] as ConnectionConfig).name;
    const dflt = mine.find((c) => c.name === 'default');
    if (dflt) return dflt.name;
    const names = mine.map((c) => `${provider}:${c.name}`).join(', ');
    throw new TokenOpsError('bad_command', `${label} has several connections; name one: ${names}.`);
  }

  /** The adapter of one connection: cached while its credentials stay the same. */
  async adapter(provider: ProviderType, connection?: string): Promise<ProviderAdapter> {
    const name = this.resolveConnection(provider, connection);
    const key = `${provider}:${name}`;
    const conn = this.#configs.find((c) => c.provider === provider && c.name === name) as ConnectionConfig;
    // A failed fetch throws here and caches nothing, so the next use tries again.
    const resolved = await this.resolve(conn);
    const digest = createHash('sha256')
      .update(JSON.stringify(resolved.credentials ?? null))
      .digest('base64');
    const cached = this.#adapters.get(key);
    if (cached?.digest === digest) return cached.adapter;
    const adapter = createAdapter(resolved, this.deps);
    this.#adapters.set(key, { digest, adapter });
    return adapter;
  }

  /** Adapters of every connection, or of one provider's connections. */
  async adapters(provider?: ProviderType): Promise<ProviderAdapter[]> {
    const picked = this.connections().filter((c) => provider === undefined || c.provider === provider);
    return Promise.all(picked.map((c) => this.adapter(c.provider, c.connection)));
  }
}
