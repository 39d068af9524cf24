import { randomUUID } from 'node:crypto';
import { TokenOpsError } from '../../core/errors.js';
import { formatRef } from '../../core/ref.js';
import { providerName } from '../../core/text.js';
import { Secret, fingerprint, last4 } from '../../core/secret.js';
import type {
  CallOptions,
  Capabilities,
  IssuedToken,
  OwnCredential,
  ProviderAdapter,
  RevokeResult,
  RotateOptions,
  RotateResult,
  TokenSummary,
} from '../../core/token.js';
import type { AdapterDeps } from '../adapter-deps.js';
import {
  connectionHttp,
  deliverOrUndo,
  isNotFound,
  noSuchToken,
  pick,
  requireCredentials,
  unsupported,
} from '../common.js';
import type { ConnectionOf } from '../config.js';
import { HttpClient, type HttpRequest } from '../http.js';
import { walkCursorPages } from '../pagination.js';
import {
  cobaltErrorMessage,
  cobaltListResponse,
  cobaltRefreshName,
  cobaltRefreshResponse,
  unwrapRefresh,
  type CobaltTokenResource,
} from './schemas.js';
import { descriptor } from './descriptor.js';

/** What the Cobalt adapter can do: list and refresh are the whole token API. */
export const COBALT_CAPABILITIES: Capabilities = descriptor.capabilities;

type CobaltConnection = ConnectionOf<'cobalt'>;

/** Builds the Cobalt adapter for one connection (a user's personal API token). */
export function createCobaltAdapter(conn: CobaltConnection, deps: AdapterDeps): ProviderAdapter {
  return new CobaltAdapter(conn, deps);
}

class CobaltAdapter implements ProviderAdapter {
  readonly provider = 'cobalt' as const;
  readonly capabilities = COBALT_CAPABILITIES;
  readonly connection: string;
  readonly #conn: CobaltConnection;
  readonly #deps: AdapterDeps;
  readonly #http: HttpClient;
  readonly #token: string;
  readonly #vendorType: string;

  constructor(conn: CobaltConnection, deps: AdapterDeps) {
    this.connection = conn.name;
    this.#conn = conn;
    this.#deps = deps;
    this.#token = requireCredentials(conn).token;
    // The Accept header selects the API version and is mandatory (406 without it).
    this.#vendorType = `application/vnd.cobalt.${conn.apiVersion ?? 'v2'}+json`;
    const headers = { authorization: `Bearer ${this.#token}`, accept: this.#vendorType };
    // Cobalt's limits are per user in a fixed 60 s window, with no Retry-After (v2 Rate Limits page).
    this.#http = connectionHttp(conn, deps, { headers, errorMessage: cobaltErrorMessage, rateLimitWindowMs: 60_000 });
  }

  async list(options: CallOptions = {}): Promise<TokenSummary[]> {
    // Cobalt documents a default `limit` of 10 and no maximum: send one only when the connection sets it,
    // so a server-side cap can never reject or silently shorten our pages.
    const limit = this.#conn.pageSize;
    return walkCursorPages(async (next) => {
      const { body } = await this.#send({
        op: 'list tokens',
        method: 'GET',
        ...pageRequest(next, limit),
        schema: cobaltListResponse,
        signal: options.signal,
      });
      const items = body.data.map((d) => this.#summary(d.resource));
      return { items, next: body.pagination?.next_page ?? null };
    });
  }

  async get(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    return pick(await this.list(options), id, this);
  }

  async create(): Promise<IssuedToken> {
    return unsupported(this, 'create');
  }

  async revoke(id: string, options: CallOptions & { reason?: string } = {}): Promise<RevokeResult> {
    this.#notSelf(id);
    // Kill first: the refresh is the first call. Only the name is read from its answer; the new secret
    // in the same body is never parsed into anything and is dropped with it.
    try {
      const { body } = await this.#send({
        ...this.#refreshRequest(id),
        schema: cobaltRefreshName,
        signal: options.signal,
      });
      const name = 'resource' in body ? body.resource.name : body.name;
      return { method: 'refreshed_and_discarded', summary: name ? { name } : undefined };
    } catch (err) {
      if (isNotFound(err)) throw noSuchToken(this.provider, this.connection, id);
      throw err;
    }
  }

  async rotate(id: string, options: CallOptions & RotateOptions = {}): Promise<RotateResult> {
    this.#notSelf(id);
    const previous = options.previous ?? (await this.get(id, options));
    const { body } = await this.#send({
      ...this.#refreshRequest(id),
      schema: cobaltRefreshResponse,
      signal: options.signal,
    });
    const r = unwrapRefresh(body);
    const secret = new Secret(r.secret);
    // The docs call `id` the new token's id, yet their example repeats the old one: take whatever comes back.
    const summary: TokenSummary = {
      ...this.#summary({ id: r.id, name: r.name ?? previous.name, expire_at: r.expire_at }),
      last4: last4(r.secret),
      fingerprint: fingerprint(r.secret, this.#deps.fingerprintKey),
    };
    const issued: IssuedToken = { summary, secret };
    // A failed delivery refreshes the new token once more (revoke) so its undelivered secret dies.
    await deliverOrUndo(this, issued, options);
    return { issued, old: { fate: 'dead_immediately' }, previous };
  }

  /** Cobalt redacts every token's last characters, so the configured `ownTokenId` is the only sure sign. */
  async ownCredential(): Promise<OwnCredential> {
    return { ids: [this.#conn.ownTokenId] };
  }

  async activate(): Promise<TokenSummary> {
    return unsupported(this, 'activate');
  }

  async deactivate(): Promise<TokenSummary> {
    return unsupported(this, 'deactivate');
  }

  /** `POST /tokens/{id}/refresh` with a fresh Idempotency-Key (and the vendor Content-Type v2 requires). */
  #refreshRequest(id: string): HttpRequest<never> {
    const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
    if (this.#conn.apiVersion !== 'v1') headers['content-type'] = this.#vendorType;
    return { op: 'refresh token', method: 'POST', path: `/tokens/${encodeURIComponent(id)}/refresh`, headers };
  }

  /** Refuses to refresh the very token this connection authenticates with: it would lock tokenops out. */
  #notSelf(id: string): void {
    if (id === this.#conn.ownTokenId)
      throw new TokenOpsError(
        'forbidden',
        `That Cobalt token is tokenops' own credential for cobalt:${this.connection}; refreshing it would lock tokenops out. Rotate it by hand as the README says (Rotating tokenops' own credentials).`,
        { provider: 'cobalt' },
      );
  }

  /** Every request scrubs the connection's own token from any provider text that reaches an error. */
  #send<T>(req: HttpRequest<T>) {
    return this.#http.send<T>({ ...req, secrets: [this.#token] });
  }

  #summary(r: Pick<CobaltTokenResource, 'id' | 'name' | 'expire_at' | 'last_characters'>): TokenSummary {
    const lc = r.last_characters;
    return {
      ref: formatRef({ provider: 'cobalt', connection: this.connection, id: r.id }),
      provider: 'cobalt',
      connection: this.connection,
      id: r.id,
      name: providerName(r.name),
      // "redacted" since Jan 2024; older responses gave the real last 4 characters.
      last4: lc && lc !== 'redacted' && lc.length === 4 ? lc : undefined,
      expiresAt: r.expire_at ?? null,
      active: true,
      extras: {},
    };
  }
}

/**
 * The request for one page. `next_page` is a relative path plus query: its cursor is reused on our own
 * path, and only its path is ever followed, never another host (which would receive our token).
 */
function pageRequest(next: string | null, limit: number | undefined): Pick<HttpRequest<unknown>, 'path' | 'query'> {
  if (next === null) return { path: '/tokens', query: { limit } };
  const u = new URL(next, 'http://cobalt.invalid');
  const cursor = u.searchParams.get('cursor');
  if (cursor !== null) return { path: '/tokens', query: { limit, cursor } };
  return { path: `${u.pathname}${u.search}`, query: u.searchParams.has('limit') ? {} : { limit } };
}
