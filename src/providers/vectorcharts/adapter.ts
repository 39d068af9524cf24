import { TokenOpsError } from '../../core/errors.js';
import { formatRef } from '../../core/ref.js';
import { providerName } from '../../core/text.js';
import { fingerprint, last4, Secret } from '../../core/secret.js';
import type {
  CallOptions,
  Capabilities,
  CreateInput,
  IssuedToken,
  OwnCredential,
  OldSecretFate,
  ProviderAdapter,
  RevokeResult,
  RotateOptions,
  RotateResult,
  TokenSummary,
} from '../../core/token.js';
import type { AdapterDeps } from '../adapter-deps.js';
import {
  connectionHttp,
  emulatedRotate,
  isoFromUnix,
  noSuchToken,
  pick,
  requireCredentials,
  unsupported,
} from '../common.js';
import type { ConnectionOf } from '../config.js';
import { HttpClient, type HttpRequest } from '../http.js';
import { isVectorchartsRefId, vectorchartsRefId } from './ref-id.js';
import { vcErrorMessage, vcLogin, vcToken, vcTokenList, type VcToken } from './schemas.js';
import { descriptor } from './descriptor.js';

/** What the OEM Portal API can do with tokens. */
export const VECTORCHARTS_CAPABILITIES: Capabilities = descriptor.capabilities;

type Credentials = NonNullable<ConnectionOf<'vectorcharts'>['credentials']>;

/**
 * Vector Charts OEM Portal adapter. A token's id is its secret, so the REF id is a keyed hash prefix of
 * it and every call that names a token first resolves that hash by listing.
 */
class VectorchartsAdapter implements ProviderAdapter {
  readonly provider = 'vectorcharts' as const;
  readonly capabilities = VECTORCHARTS_CAPABILITIES;
  readonly connection: string;
  readonly #http: HttpClient;
  readonly #creds: Credentials;
  readonly #key: string;
  /** The cached portal session (username/password credentials only); shared by concurrent calls. */
  #session: Promise<string> | undefined;

  constructor(conn: ConnectionOf<'vectorcharts'>, deps: AdapterDeps) {
    const credentials = requireCredentials(conn);
    this.connection = conn.name;
    this.#creds = credentials;
    this.#key = deps.fingerprintKey;
    const auth: Record<string, string> =
      'apiToken' in this.#creds ? { authorization: `Bearer ${this.#creds.apiToken}` } : {};
    this.#http = connectionHttp(conn, deps, {
      headers: { accept: 'application/json', ...auth },
      errorMessage: vcErrorMessage,
    });
  }

  async list(options: CallOptions = {}): Promise<TokenSummary[]> {
    return (await this.#records(options)).map((r) => this.#summary(r));
  }

  async get(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    return pick(await this.list(options), this.#asRefId(id), this);
  }

  async create(input: CreateInput, options: CallOptions = {}): Promise<IssuedToken> {
    checkInput(input);
    const hosts = input.hosts?.filter((h) => h.trim() !== '');
    const rec = await this.#call({
      op: 'create token',
      method: 'POST',
      path: 'v1/apiTokens',
      // `restrictions` is an optional object: left out (never null) when there are no hosts.
      json: hosts && hosts.length > 0 ? { name: input.name, restrictions: { hosts } } : { name: input.name },
      schema: vcToken,
      signal: options.signal,
    });
    return { summary: this.#summary(rec), secret: new Secret(rec.id) };
  }

  async revoke(id: string, options: CallOptions & { reason?: string } = {}): Promise<RevokeResult> {
    // The one exception to kill-first: the REF carries a hash, so one listing finds the secret id.
    const rec = await this.#resolve(id, options);
    if (!rec) throw noSuchToken(this.provider, this.connection, this.#asRefId(id));
    if (await this.#delete(rec, options)) throw noSuchToken(this.provider, this.connection, this.#asRefId(id));
    return { method: 'deleted', summary: { name: rec.name ?? '', last4: last4(rec.id) } };
  }

  /** With an API-token credential, that token is tokenops' own (its id is the secret); a login session is never listed. */
  async ownCredential(): Promise<OwnCredential> {
    if ('apiToken' in this.#creds) return { ids: [this.refId(this.#creds.apiToken)] };
    return {
      ids: [],
      note: 'tokenops logs in as a portal user; its session token is not an API token and is never listed',
    };
  }

  /** Deletes a resolved token; true when the portal says it was already gone. */
  async #delete(rec: VcToken, options: CallOptions): Promise<boolean> {
    try {
      await this.#call({
        op: 'delete token',
        method: 'DELETE',
        path: `v1/apiTokens/${encodeURIComponent(rec.id)}`,
        // The secret is in the path: scrub it from any provider text that reaches an error.
        secrets: [rec.id],
        signal: options.signal,
      });
      return false;
    } catch (err) {
      if (err instanceof TokenOpsError && err.code === 'not_found') return true;
      throw err;
    }
  }

  async rotate(id: string, options: CallOptions & RotateOptions = {}): Promise<RotateResult> {
    // One listing resolves the token for both the copy and the delete (its REF id is a hash).
    const rec = await this.#resolve(id, options);
    if (!rec) throw noSuchToken(this.provider, this.connection, this.#asRefId(id));
    const retire = async (): Promise<OldSecretFate> => {
      await this.#delete(rec, options);
      return { fate: 'deleted' };
    };
    return emulatedRotate(this, id, retire, options, this.#summary(rec));
  }

  async activate(): Promise<TokenSummary> {
    return unsupported(this, 'activate');
  }

  async deactivate(): Promise<TokenSummary> {
    return unsupported(this, 'deactivate');
  }

  /** The non-secret REF id of a token: a keyed hash prefix of its secret id. */
  refId(secretId: string): string {
    return vectorchartsRefId(secretId, this.#key);
  }

  async #records(options: CallOptions): Promise<VcToken[]> {
    return this.#call({
      op: 'list tokens',
      method: 'GET',
      path: 'v1/apiTokens',
      schema: vcTokenList,
      signal: options.signal,
    });
  }

  /**
   * A REF id as given, or the hash of a pasted secret (the token's real id): whatever comes in, only
   * the hash travels on, into lookups and error messages alike.
   */
  #asRefId(id: string): string {
    return isVectorchartsRefId(id) ? id : this.refId(id);
  }

  /** Finds the record behind a REF id, or undefined when no token hashes to it. */
  async #resolve(id: string, options: CallOptions): Promise<VcToken | undefined> {
    // A pasted secret (the token's real id) is accepted too, by its hash: it never travels further.
    const wanted = this.#asRefId(id);
    return (await this.#records(options)).find((r) => this.refId(r.id) === wanted);
  }

  /** Sends a request with the right bearer; with a portal session, logs in again once on a 401. */
  async #call<T>(req: HttpRequest<T>): Promise<T> {
    if ('apiToken' in this.#creds) return (await this.#http.send(req)).body;
    const session = this.#login();
    const bearer = await session; // a failed login is final: the credentials are wrong
    try {
      return await this.#sendWith(req, bearer);
    } catch (err) {
      // A 401 means the request was not performed, so even a create is safe to send again.
      if (!(err instanceof TokenOpsError && err.status === 401)) throw err;
      // The session ended (logout, server restart): forget it, unless a concurrent call already did.
      if (this.#session === session) this.#session = undefined;
      return this.#sendWith(req, await this.#login());
    }
  }

  async #sendWith<T>(req: HttpRequest<T>, session: string): Promise<T> {
    const headers = { ...req.headers, authorization: `Bearer ${session}` };
    return (await this.#http.send({ ...req, headers })).body;
  }

  /** The cached session, or a new login shared by every caller waiting for it. */
  #login(): Promise<string> {
    if (this.#session) return this.#session;
    const creds = this.#creds as { username: string; password: string };
    // No caller's signal: the login is shared, and one caller giving up must not fail the others.
    const p = this.#http
      .send({
        op: 'log in',
        method: 'POST',
        path: 'v1/auth/login',
        json: { username: creds.username, password: creds.password },
        schema: vcLogin,
      })
      .then((res) => res.body.token.id);
    this.#session = p;
    p.catch(() => {
      if (this.#session === p) this.#session = undefined;
    });
    return p;
  }

  #summary(r: VcToken): TokenSummary {
    const id = this.refId(r.id);
    const hosts = r.restrictions?.hosts ?? [];
    return {
      ref: formatRef({ provider: this.provider, connection: this.connection, id }),
      provider: this.provider,
      connection: this.connection,
      id,
      name: providerName(r.name),
      last4: last4(r.id),
      fingerprint: fingerprint(r.id, this.#key),
      createdAt: isoFromUnix(r.createdAt, 'ms'),
      // Portal tokens are long-lived: no expiry exists.
      expiresAt: null,
      lastUsedAt: isoFromUnix(r.lastUsedAt, 'ms') ?? null,
      active: true,
      extras: { userEmail: r.userEmail ?? null, hosts: hosts.length > 0 ? hosts.join(',') : null },
    };
  }
}

/** Refuses options Vector Charts cannot honour and that would make a token look safer than it is. */
function checkInput(input: CreateInput): void {
  if (input.expiresAt !== undefined)
    throw new TokenOpsError(
      'invalid_request',
      'Vector Charts tokens never expire, so an expiry cannot be set; leave out --expires and revoke the token when done.',
      { provider: 'vectorcharts' },
    );
  if (input.scopes !== undefined && input.scopes.length > 0)
    throw new TokenOpsError(
      'invalid_request',
      'Vector Charts tokens have no scopes; leave out --scope (restrict a token to hosts with --hosts a,b instead).',
      { provider: 'vectorcharts' },
    );
}

/** Builds the Vector Charts (OEM Portal) adapter for one connection. */
export function createVectorchartsAdapter(conn: ConnectionOf<'vectorcharts'>, deps: AdapterDeps): ProviderAdapter {
  return new VectorchartsAdapter(conn, deps);
}
