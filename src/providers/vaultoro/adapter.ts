import { TokenOpsError } from '../../core/errors.js';
import { formatRef } from '../../core/ref.js';
import type {
  CallOptions,
  Capabilities,
  CreateInput,
  IssuedToken,
  OwnCredential,
  ProviderAdapter,
  RevokeResult,
  RotateResult,
  TokenSummary,
} from '../../core/token.js';
import type { AdapterDeps } from '../adapter-deps.js';
import { connectionHttp, isoFromUnix, pick, requireCredentials, revokeByDelete, unsupported } from '../common.js';
import type { ConnectionOf } from '../config.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../http.js';
import { vaultoroDelete, vaultoroErrorMessage, vaultoroList, type VaultoroToken } from './schemas.js';
import { descriptor } from './descriptor.js';

/** What the Vaultoro API can do: list and delete only; everything else happens in the dashboard. */
export const VAULTORO_CAPABILITIES: Capabilities = descriptor.capabilities;

/** The documented base URL ends in `/v1`; paths below carry it, so a configured `/v1` is dropped. */
function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** The main bearer token as the connection's `authScheme` sends it (the docs never show the header value). */
function authorization(bearerToken: string, scheme: 'bearer' | 'raw'): string {
  const bare = bearerToken.replace(/^bearer +/i, '');
  return scheme === 'raw' ? bare : `Bearer ${bare}`;
}

class VaultoroAdapter implements ProviderAdapter {
  readonly provider = 'vaultoro' as const;
  readonly capabilities = VAULTORO_CAPABILITIES;
  readonly connection: string;
  readonly #http: HttpClient;
  readonly #now: () => Date;
  readonly #scheme: 'bearer' | 'raw';

  constructor(conn: ConnectionOf<'vaultoro'>, deps: AdapterDeps) {
    const credentials = requireCredentials(conn);
    this.connection = conn.name;
    this.#scheme = conn.authScheme ?? 'bearer';
    this.#now = deps.now ?? (() => new Date());
    this.#http = connectionHttp(conn, deps, {
      baseUrl: apiRoot(conn.baseUrl),
      headers: {
        authorization: authorization(credentials.bearerToken, this.#scheme),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      errorMessage: vaultoroErrorMessage,
    });
  }

  async list(options: CallOptions = {}): Promise<TokenSummary[]> {
    // Vaultoro answers 404 `{"data": []}` when the account has no tokens: an empty list, not an error.
    let res;
    try {
      res = await this.#send({
        op: 'list tokens',
        method: 'GET',
        path: 'v1/tokens',
        schema: vaultoroList,
        passStatuses: [404],
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof TokenOpsError && err.status === 404) throw this.#listNotFound();
      throw err;
    }
    if (res.status === 404 && res.body.data.length > 0) throw this.#listNotFound();
    return res.body.data.map((t) => this.#summary(t));
  }

  async get(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    return pick(await this.list(options), id, this);
  }

  async create(_input: CreateInput): Promise<IssuedToken> {
    return unsupported(this, 'create');
  }

  async revoke(id: string, options: CallOptions & { reason?: string } = {}): Promise<RevokeResult> {
    const doDelete = async (): Promise<void> => {
      await this.#send({
        op: 'delete token',
        method: 'DELETE',
        path: `v1/tokens/${encodeURIComponent(id)}`,
        schema: vaultoroDelete,
        signal: options.signal,
      });
    };
    return revokeByDelete(this, id, doDelete);
  }

  /** The main bearer token is a dashboard session, not an API token: it is never in the token list. */
  async ownCredential(): Promise<OwnCredential> {
    return {
      ids: [],
      note: "tokenops uses the dashboard's main bearer token, which is not an API token and is never listed",
    };
  }

  async rotate(): Promise<RotateResult> {
    return unsupported(this, 'rotate');
  }

  async activate(): Promise<TokenSummary> {
    return unsupported(this, 'activate');
  }

  async deactivate(): Promise<TokenSummary> {
    return unsupported(this, 'deactivate');
  }

  /**
   * Sends a request; a 401 says which `authScheme` was used and what to try, since the docs do not
   * say whether Vaultoro wants `Bearer <token>` or the raw token and no other setting can fix it.
   */
  async #send<T>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    try {
      return await this.#http.send(req);
    } catch (err) {
      if (!(err instanceof TokenOpsError) || err.code !== 'auth') throw err;
      const other = this.#scheme === 'bearer' ? 'raw' : 'bearer';
      const sent = this.#scheme === 'bearer' ? '`Authorization: Bearer <token>`' : 'the raw token in `Authorization`';
      throw new TokenOpsError(
        'auth',
        `${err.message} tokenops sent ${sent} (connection vaultoro:${this.connection}, authScheme: ${this.#scheme}); ` +
          `if the main bearer token is current, set authScheme: ${other}.`,
        { provider: this.provider, status: err.status, cause: err },
      );
    }
  }

  /** A 404 without the empty-list body is not "no tokens": most likely a wrong base URL. */
  #listNotFound(): TokenOpsError {
    return new TokenOpsError(
      'not_found',
      'Vaultoro answered 404 to list tokens without the empty-list body (list tokens, HTTP 404); check the connection baseUrl.',
      { provider: this.provider, status: 404 },
    );
  }

  #summary(t: VaultoroToken): TokenSummary {
    const expires = t.expires ?? undefined;
    return {
      ref: formatRef({ provider: this.provider, connection: this.connection, id: t.referenceId }),
      provider: this.provider,
      connection: this.connection,
      id: t.referenceId,
      // Vaultoro tokens have no names; the dashboard shows them as "(unnamed)".
      name: '',
      createdAt: isoFromUnix(t.createdAt, 's'),
      expiresAt: isoFromUnix(expires, 's') ?? null,
      active: expires === undefined || expires * 1000 > this.#now().getTime(),
      extras: { scopes: (t.scopes ?? []).join(',') },
    };
  }
}

/** Builds the Vaultoro adapter for one connection. */
export function createVaultoroAdapter(conn: ConnectionOf<'vaultoro'>, deps: AdapterDeps): ProviderAdapter {
  return new VaultoroAdapter(conn, deps);
}
