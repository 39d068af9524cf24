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
  deliverOrUndo,
  noSuchToken,
  requireCredentials,
  revokeByDelete,
  unsupported,
} from '../common.js';
import type { ConnectionOf } from '../config.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../http.js';
import {
  mtAccounts,
  mtErrorMessage,
  mtIssued,
  mtToken,
  mtTokenList,
  type MtResource,
  type MtToken,
} from './schemas.js';
import { descriptor } from './descriptor.js';

const GRACE_MS = 12 * 3_600_000;
const LEVELS = { viewer: 10, admin: 100 } as const;
const SCOPE_HELP =
  'Use account:viewer, account:admin, or TYPE:ID:viewer|admin with TYPE one of project, inbox, sending_domain, ' +
  'sandbox, domain (e.g. project:123:viewer).';

/** What the Mailtrap API can do with tokens. */
export const MAILTRAP_CAPABILITIES: Capabilities = descriptor.capabilities;

/** Turns `account:admin`, `account:42:viewer` or `project:123:viewer` into a permission entry. */
export async function parseMailtrapScope(text: string, accountId: () => Promise<number>): Promise<MtResource> {
  const account = /^account(?::(\d+))?:(viewer|admin)$/.exec(text);
  if (account) {
    const level = LEVELS[account[2] as keyof typeof LEVELS];
    const resourceId = account[1] ? Number(account[1]) : await accountId();
    return { resource_type: 'account', resource_id: resourceId, access_level: level };
  }
  const other = /^(project|inbox|sending_domain|sandbox|domain):(\d+):(viewer|admin)$/.exec(text);
  if (other) {
    const level = LEVELS[other[3] as keyof typeof LEVELS];
    return { resource_type: other[1] ?? '', resource_id: Number(other[2]), access_level: level };
  }
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new TokenOpsError('invalid_request', `\`${shown}\` is not a Mailtrap scope. ${SCOPE_HELP}`, {
    provider: 'mailtrap',
  });
}

/** Mailtrap adapter: native get, create, delete and reset (rotate with a 12-hour grace for the old secret). */
class MailtrapAdapter implements ProviderAdapter {
  readonly provider = 'mailtrap' as const;
  readonly capabilities = MAILTRAP_CAPABILITIES;
  readonly connection: string;
  readonly #http: HttpClient;
  readonly #conn: ConnectionOf<'mailtrap'>;
  readonly #key: string;
  readonly #now: () => Date;
  readonly #token: string;
  #accountId: Promise<number> | undefined;
  #own: Promise<OwnCredential> | undefined;

  constructor(conn: ConnectionOf<'mailtrap'>, deps: AdapterDeps) {
    const credentials = requireCredentials(conn);
    this.connection = conn.name;
    this.#conn = conn;
    this.#key = deps.fingerprintKey;
    this.#token = credentials.token;
    this.#now = deps.now ?? (() => new Date());
    this.#http = connectionHttp(conn, deps, {
      headers: { authorization: `Bearer ${credentials.token}`, accept: 'application/json' },
      errorMessage: mtErrorMessage,
      // 150 requests per 10 s per token; a 429 carries X-Ratelimit-* counts but no Retry-After.
      rateLimitWindowMs: 10_000,
    });
  }

  async list(options: CallOptions = {}): Promise<TokenSummary[]> {
    const res = await this.#send({
      op: 'list tokens',
      method: 'GET',
      path: await this.#prefix(),
      schema: mtTokenList,
      signal: options.signal,
    });
    const all = res.body.map((t) => this.#summary(t));
    // A listing tells which token is tokenops' own, for free: remember it for the revoke guard.
    if (this.#conn.ownTokenId === undefined) this.#own ??= Promise.resolve(this.#ownAmong(all));
    return all;
  }

  async get(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    return this.#summary(await this.#getRaw(id, options));
  }

  async create(input: CreateInput, options: CallOptions = {}): Promise<IssuedToken> {
    if (input.hosts !== undefined && input.hosts.length > 0)
      throw new TokenOpsError('invalid_request', 'Mailtrap tokens cannot be restricted to hosts; leave out --hosts.', {
        provider: this.provider,
      });
    return this.#createWith(input.name, await this.#resources(input.scopes), input.expiresAt, options);
  }

  async revoke(id: string, options: CallOptions & { reason?: string } = {}): Promise<RevokeResult> {
    // DELETE is immediate; a reset would leave the old secret alive for 12 more hours.
    return revokeByDelete(this, id, () => this.#delete(id, options));
  }

  /**
   * The configured `ownTokenId`, else the listed token whose last 4 digits are the credential's own
   * (every candidate, if several share them: refusing one too many beats revoking tokenops itself).
   */
  ownCredential(options: CallOptions = {}): Promise<OwnCredential> {
    if (this.#conn.ownTokenId !== undefined) return Promise.resolve({ ids: [String(this.#conn.ownTokenId)] });
    this.#own ??= this.list(options).then((all) => this.#ownAmong(all));
    this.#own.catch(() => (this.#own = undefined));
    return this.#own;
  }

  #ownAmong(all: readonly TokenSummary[]): OwnCredential {
    const ids = all.filter((t) => t.last4 !== undefined && t.last4 === last4(this.#token)).map((t) => t.id);
    const note =
      ids.length > 1 ? `${ids.length} tokens end in the same 4 characters as tokenops' own; set ownTokenId` : undefined;
    return { ids, note };
  }

  /**
   * Native reset: a new token (new id, `<name> <id>`), the old secret lives out a 12-hour grace. The spec
   * says only tokens with no expiry can be reset, the SDKs that already-reset or expired ones cannot;
   * either way a 422 falls back to create-with-the-same-permissions → deliver → delete the old one.
   */
  async rotate(id: string, options: CallOptions & RotateOptions = {}): Promise<RotateResult> {
    const raw = await this.#getRaw(id, options);
    const previous = this.#summary(raw);
    let res;
    try {
      res = await this.#send({
        op: 'reset token',
        method: 'POST',
        path: `${await this.#tokenPath(id)}/reset`,
        schema: mtIssued,
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof TokenOpsError && err.status === 422) return this.#rotateByCreate(raw, previous, options);
      throw err;
    }
    const issued = this.#issued(res.body);
    // A reset cannot be undone: if delivery fails the new token is deleted and the old one lives out its grace.
    await deliverOrUndo(this, issued, options);
    return { issued, old: await this.#oldFate(id, options), previous };
  }

  async activate(): Promise<TokenSummary> {
    return unsupported(this, 'activate');
  }

  async deactivate(): Promise<TokenSummary> {
    return unsupported(this, 'deactivate');
  }

  /** The emulated rotate a refused reset falls back to: same name and permissions, old one deleted after delivery. */
  async #rotateByCreate(raw: MtToken, previous: TokenSummary, options: CallOptions & RotateOptions) {
    const resources = (raw.resources ?? []).map((r) => ({ ...r }));
    const retire = async (): Promise<OldSecretFate> => {
      await this.#delete(previous.id, options);
      return { fate: 'deleted' };
    };
    const issued = await this.#createWith(previous.name, resources, undefined, options);
    await deliverOrUndo(this, issued, options);
    const old = await retire().catch((err: unknown): OldSecretFate => ({
      fate: 'retire_failed',
      reason: err instanceof TokenOpsError ? err.message : 'unexpected error',
    }));
    const fallback =
      'Mailtrap refused to reset this token (it resets only tokens that were never reset and have no expiry), ' +
      'so tokenops created a new token with the same permissions, delivered it, then deleted the old one';
    return { issued, old, previous, fallback };
  }

  async #createWith(
    name: string,
    resources: MtResource[],
    expiresAt: string | null | undefined,
    options: CallOptions,
  ): Promise<IssuedToken> {
    const json: Record<string, unknown> = { name, resources };
    if (expiresAt !== undefined) json['expires_at'] = expiresAt;
    const res = await this.#send({
      op: 'create token',
      method: 'POST',
      path: await this.#prefix(),
      json,
      schema: mtIssued,
      signal: options.signal,
    });
    return this.#issued(res.body);
  }

  async #getRaw(id: string, options: CallOptions): Promise<MtToken> {
    const path = await this.#tokenPath(id);
    return (await this.#send({ op: 'get token', method: 'GET', path, schema: mtToken, signal: options.signal })).body;
  }

  async #delete(id: string, options: CallOptions): Promise<void> {
    await this.#send({ op: 'delete token', method: 'DELETE', path: await this.#tokenPath(id), signal: options.signal });
  }

  /** Every call scrubs the connection's own token from any provider text that reaches an error. */
  #send<T>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    return this.#http.send<T>({ ...req, secrets: [this.#token] });
  }

  /** The old token's real expiry after a reset, or the documented 12-hour grace when it cannot be read. */
  async #oldFate(id: string, options: CallOptions): Promise<OldSecretFate> {
    const fallback = new Date(this.#now().getTime() + GRACE_MS).toISOString();
    try {
      const old = await this.get(id, options);
      return { fate: 'expires_later', at: old.expiresAt ?? fallback };
    } catch {
      return { fate: 'expires_later', at: fallback };
    }
  }

  /**
   * The account-scoped path, proven in recorded traffic: with no accountId configured, the account is
   * looked up once rather than using the newest spec's unscoped `/api/api_tokens`.
   */
  async #prefix(): Promise<string> {
    return `api/accounts/${await this.#account()}/api_tokens`;
  }

  /** Mailtrap ids are integers; anything else cannot name a token (and must not reach a path). */
  async #tokenPath(id: string): Promise<string> {
    if (!/^\d{1,19}$/.test(id))
      throw noSuchToken(this.provider, this.connection, id.length > 40 ? `${id.slice(0, 40)}…` : id);
    return `${await this.#prefix()}/${id}`;
  }

  /** Permissions for a create: the given scopes, or one account-level entry at the default access. */
  async #resources(scopes: string[] | undefined): Promise<MtResource[]> {
    const account = (): Promise<number> => this.#account();
    if (scopes && scopes.length > 0) return Promise.all(scopes.map((s) => parseMailtrapScope(s.trim(), account)));
    const level = LEVELS[this.#conn.defaultAccess ?? 'viewer'];
    return [{ resource_type: 'account', resource_id: await this.#account(), access_level: level }];
  }

  /** The configured account, else the first one the token can reach (looked up once). */
  #account(): Promise<number> {
    if (this.#conn.accountId) return Promise.resolve(this.#conn.accountId);
    this.#accountId ??= this.#send({
      op: 'list accounts',
      method: 'GET',
      path: 'api/accounts',
      schema: mtAccounts,
    }).then((res) => {
      const first = res.body[0];
      if (!first) throw new TokenOpsError('config', 'The Mailtrap token reaches no account; set accountId.');
      return first.id;
    });
    this.#accountId.catch(() => (this.#accountId = undefined));
    return this.#accountId;
  }

  #issued(body: MtToken & { token: string }): IssuedToken {
    const secret = new Secret(body.token);
    const summary = this.#summary(body);
    // The secret is seen once, here: keep its fingerprint so `find` can match a leaked value later.
    return { secret, summary: { ...summary, last4: secret.last4, fingerprint: fingerprint(secret, this.#key) } };
  }

  #summary(t: MtToken): TokenSummary {
    const id = String(t.id);
    const expiresAt = t.expires_at ?? null;
    const access = (t.resources ?? []).map((r) => {
      const level = r.access_level === 100 ? 'admin' : r.access_level === 10 ? 'viewer' : String(r.access_level);
      return `${r.resource_type}:${r.resource_id}:${level}`;
    });
    return {
      ref: formatRef({ provider: this.provider, connection: this.connection, id }),
      provider: this.provider,
      connection: this.connection,
      id,
      name: providerName(t.name),
      last4: t.last_4_digits ?? undefined,
      expiresAt,
      active: expiresAt === null || Date.parse(expiresAt) > this.#now().getTime(),
      extras: { createdBy: t.created_by ?? null, access: access.join(', ') },
    };
  }
}

/** Builds the Mailtrap adapter for one connection. */
export function createMailtrapAdapter(conn: ConnectionOf<'mailtrap'>, deps: AdapterDeps): ProviderAdapter {
  return new MailtrapAdapter(conn, deps);
}
