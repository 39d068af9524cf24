import { TokenOpsError, UndoFailedError, UnsupportedError } from '../core/errors.js';
import type { AdapterDeps } from './adapter-deps.js';
import type { ConnectionConfig } from './config.js';
import { HttpClient } from './http.js';
import {
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
import { providerLabel } from './descriptors.js';

/** Throws the error for an action the provider cannot do, saying where it can be done. */
export function unsupported(adapter: Pick<ProviderAdapter, 'provider' | 'capabilities'>, action: Action): never {
  const support = adapter.capabilities[action];
  const where = support.mode === 'unsupported' ? support.where : 'nowhere';
  const label = providerLabel(adapter.provider);
  throw new UnsupportedError(`${label} cannot ${action} tokens over its API; do it ${where}.`, where, {
    provider: adapter.provider,
  });
}

/** Finds a token in a list by REF id, or throws `not_found`. Emulates `get` for providers without one. */
export function pick(
  list: readonly TokenSummary[],
  id: string,
  adapter: Pick<ProviderAdapter, 'provider' | 'connection'>,
): TokenSummary {
  const found = list.find((t) => t.id === id);
  if (!found) throw noSuchToken(adapter.provider, adapter.connection, id);
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
  const previous = known ?? options.previous ?? (await adapter.get(id, options));
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
    // A token the provider created inactive has a secret that works nowhere: nothing to undo.
    if (!issued.summary.active) throw err;
    const undone = await adapter.revoke(issued.summary.id, { reason: 'secret could not be delivered' }).then(
      () => true,
      () => false,
    );
    if (!undone) throw new UndoFailedError(issued.summary.ref, err);
    throw err;
  }
}

/** The honest answer for a REF id the provider does not know: never a success, always `not_found`. */
export function noSuchToken(provider: ProviderType, connection: string, id: string): TokenOpsError {
  return new TokenOpsError(
    'not_found',
    `${providerLabel(provider)} has no token with id ${id} at connection ${provider}:${connection}.`,
    { provider, status: 404 },
  );
}

/** True for a `not_found` error (a 404 from the provider). */
export function isNotFound(err: unknown): boolean {
  return err instanceof TokenOpsError && err.code === 'not_found';
}

/**
 * Revoke by a DELETE, kill first: the DELETE is the first and only call. A 404 is `not_found`, whether
 * the id was mistyped or the token is already gone: the use case tells the two apart from its records.
 */
export async function revokeByDelete(
  adapter: Pick<ProviderAdapter, 'provider' | 'connection'>,
  id: string,
  doDelete: () => Promise<void>,
): Promise<RevokeResult> {
  try {
    await doDelete();
  } catch (err) {
    if (isNotFound(err)) throw noSuchToken(adapter.provider, adapter.connection, id);
    throw err;
  }
  return { method: 'deleted' };
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
    telemetry: deps.telemetry,
    gate: deps.rateGates?.(conn.provider, conn.name),
    ...deps.retry,
  });
}
