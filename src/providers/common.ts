import { TokenOpsError, UndoFailedError, UnsupportedError } from '../core/errors.js';
import type { AdapterDeps } from './adapter-deps.js';
import type { ConnectionConfig } from './config.js';
import { HttpClient } from './http.js';
import {
  PROVIDER_LABELS,
  type Action,
  type CallOptions,
  type CreateInput,
  type IssuedToken,
  type OldSecretFate,
  type ProviderAdapter,
  type ProviderType,
  type RevokeResult,
  type RotateOptions,
  type RotateResult,
  type TokenSummary,
} from '../core/token.js';

/** Throws the error for an action the provider cannot do, saying where it can be done. */
export function unsupported(adapter: Pick<ProviderAdapter, 'provider' | 'capabilities'>, action: Action): never {
  const support = adapter.capabilities[action];
  const where = support.mode === 'unsupported' ? support.where : 'nowhere';
  const label = PROVIDER_LABELS[adapter.provider];
  throw new UnsupportedError(`${label} cannot ${action} tokens over its API; do it ${where}.`, where, {
    provider: adapter.provider,
  });
}

/** Finds a token in a list by REF id, or throws `not_found`. Emulates `get` for providers without one. */
export function pick(list: readonly TokenSummary[], id: string, provider: ProviderType): TokenSummary {
  const found = list.find((t) => t.id === id);
  if (!found)
    throw new TokenOpsError('not_found', `${PROVIDER_LABELS[provider]} has no token with id ${id}.`, { provider });
  return found;
}

/** The input that recreates a token like an existing one (emulated rotate). */
export function likeInput(old: TokenSummary): CreateInput {
  const tier = old.extras['rateTier'];
  const hosts = old.extras['hosts'];
  return {
    name: old.name,
    tier: typeof tier === 'string' ? tier : undefined,
    hosts: typeof hosts === 'string' && hosts ? hosts.split(',') : undefined,
  };
}

/**
 * Rotation for providers without a rotate call: create the new token, deliver it, then retire the old
 * one. A failed delivery revokes the new token and leaves the old one working.
 */
export async function emulatedRotate(
  adapter: ProviderAdapter,
  id: string,
  retire: (id: string) => Promise<OldSecretFate>,
  options: CallOptions & RotateOptions = {},
  /** The token, when the adapter has just read it (spares a second listing). */
  known?: TokenSummary,
): Promise<RotateResult> {
  const previous = known ?? (await adapter.get(id, options));
  const issued = await adapter.create(likeInput(previous), options);
  await deliverOrUndo(adapter, issued, options);
  // The new secret is in its owner's hands now: a failed retire must not hide that it exists.
  const old = await retire(id).catch((err: unknown): OldSecretFate => ({
    fate: 'retire_failed',
    reason: err instanceof TokenOpsError ? err.message : 'unexpected error',
  }));
  return { issued, old, previous };
}

/**
 * Delivers a freshly issued secret; if delivery fails, revokes the new token (best effort) so no
 * undelivered secret stays alive, then rethrows the delivery error.
 */
export async function deliverOrUndo(
  adapter: ProviderAdapter,
  issued: IssuedToken,
  options: RotateOptions & CallOptions,
): Promise<void> {
  if (!options.deliver) return;
  try {
    await options.deliver(issued);
  } catch (err) {
    const undone = await adapter.revoke(issued.summary.id, { reason: 'secret could not be delivered' }).then(
      () => true,
      () => false,
    );
    if (!undone) throw new UndoFailedError(issued.summary.ref, err);
    throw err;
  }
}

/** Revoke by a DELETE that may answer 404 for a token already gone: idempotent. */
export async function revokeByDelete(
  adapter: ProviderAdapter,
  id: string,
  doDelete: () => Promise<void>,
  options: CallOptions = {},
): Promise<RevokeResult> {
  let summary: TokenSummary | undefined;
  try {
    summary = await adapter.get(id, options);
  } catch (err) {
    if (err instanceof TokenOpsError && err.code === 'not_found') return { method: 'deleted', alreadyRevoked: true };
    throw err;
  }
  try {
    await doDelete();
  } catch (err) {
    if (err instanceof TokenOpsError && err.code === 'not_found')
      return { method: 'deleted', alreadyRevoked: true, summary };
    throw err;
  }
  return { method: 'deleted', alreadyRevoked: false, summary };
}

/** Unix seconds or milliseconds to ISO 8601. */
export function isoFromUnix(value: number | null | undefined, unit: 's' | 'ms'): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(unit === 's' ? value * 1000 : value).toISOString();
}

/** A connection's credentials, or a config error that names the connection. */
export function requireCredentials<C extends ConnectionConfig>(conn: C): NonNullable<C['credentials']> {
  if (!conn.credentials) {
    throw new TokenOpsError(
      'config',
      `connection ${conn.provider}:${conn.name} has no credentials (set credentials or credentialsSecret)`,
    );
  }
  return conn.credentials as NonNullable<C['credentials']>;
}

/** The HTTP client of one connection: its base URL and timeout, the shared pool and retry tuning. */
export function connectionHttp(
  conn: ConnectionConfig,
  deps: AdapterDeps,
  o: {
    headers: Record<string, string>;
    errorMessage: (body: unknown) => string | undefined;
    baseUrl?: string;
    /** The documented rate-limit window, waited for when a 429/509 has no Retry-After. */
    rateLimitWindowMs?: number;
  },
): HttpClient {
  return new HttpClient({
    provider: conn.provider,
    baseUrl: o.baseUrl ?? conn.baseUrl,
    headers: o.headers,
    errorMessage: o.errorMessage,
    rateLimitWindowMs: o.rateLimitWindowMs,
    timeoutMs: conn.timeoutMs,
    dispatcher: deps.dispatcher,
    gate: deps.rateGates?.(conn.provider, conn.name),
    ...deps.retry,
  });
}
