import { TokenOpsError } from '../../core/errors.js';
import { formatRef } from '../../core/ref.js';
import { providerName } from '../../core/text.js';
import { Secret, fingerprint, last4, redact } from '../../core/secret.js';
import type {
  CallOptions,
  Capabilities,
  CreateInput,
  IssuedToken,
  OwnCredential,
  ProviderAdapter,
  RevokeResult,
  RotateOptions,
  RotateResult,
  TokenExtras,
  TokenSummary,
} from '../../core/token.js';
import type { AdapterDeps } from '../adapter-deps.js';
import { connectionHttp, emulatedRotate, isNotFound, noSuchToken, pick, requireCredentials } from '../common.js';
import type { ConnectionOf } from '../config.js';
import { HttpClient, type HttpRequest } from '../http.js';
import { walkNumberedPages } from '../pagination.js';
import { tritonCreateResponse, tritonErrorMessage, tritonListResponse, type TritonToken } from './schemas.js';
import { descriptor } from './descriptor.js';

/** What the Triton One adapter can do: no get, delete or rotate calls exist, so those are composed. */
export const TRITON_CAPABILITIES: Capabilities = descriptor.capabilities;

const ROLE_HINT = 'activate and deactivate need a Triton management token with the reseller or operator role';
/** Documented default of `per` on the Accounts page; the tokens page likely shares it. */
const DEFAULT_PAGE_SIZE = 50;
/** Keys under which an object-shaped deactivation reason may carry its text. */
const REASON_KEYS = ['reason', 'deactivation_reason', 'message', 'description', 'text'];

type TritonConnection = ConnectionOf<'triton'>;

/** Builds the Triton One (Customers API) adapter for one connection. */
export function createTritonAdapter(conn: TritonConnection, deps: AdapterDeps): ProviderAdapter {
  return new TritonAdapter(conn, deps);
}

class TritonAdapter implements ProviderAdapter {
  readonly provider = 'triton' as const;
  readonly capabilities = TRITON_CAPABILITIES;
  readonly connection: string;
  readonly #conn: TritonConnection;
  readonly #deps: AdapterDeps;
  readonly #http: HttpClient;
  readonly #token: string;

  constructor(conn: TritonConnection, deps: AdapterDeps) {
    this.connection = conn.name;
    this.#conn = conn;
    this.#deps = deps;
    this.#token = requireCredentials(conn).token;
    // Triton's docs send the management token raw, with no "Bearer" prefix, on every call.
    const headers = {
      authorization: this.#token,
      accept: 'application/json',
      'content-type': 'application/json',
    };
    this.#http = connectionHttp(conn, deps, { headers, errorMessage: tritonErrorMessage });
  }

  async list(options: CallOptions = {}): Promise<TokenSummary[]> {
    const filter = this.#filter();
    const per = this.#conn.pageSize ?? DEFAULT_PAGE_SIZE;
    const all = await walkNumberedPages(async (page) => {
      const { body } = await this.#send({
        op: 'list tokens',
        method: 'GET',
        path: '/api/v1/tokens',
        query: { ...filter, per, page },
        schema: tritonListResponse,
        signal: options.signal,
      });
      // Map at once: the raw records carry every token's secret `value`, which must not travel further.
      const items = body.tokens.map((t) => this.#summary(t));
      return { items, totalPages: body.meta?.total_pages ?? null, nextPage: body.meta?.next_page ?? null };
    });
    // Pages fetched in parallel can overlap when tokens are added meanwhile.
    const seen = new Set<string>();
    return all.filter((t) => !seen.has(t.id) && seen.add(t.id));
  }

  async get(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    return pick(await this.list(options), id, this);
  }

  async create(input: CreateInput, options: CallOptions = {}): Promise<IssuedToken> {
    const sub = this.#conn.subscriptionUuid;
    if (!sub)
      throw new TokenOpsError(
        'config',
        `connection triton:${this.connection} has no subscriptionUuid; Triton creates tokens per subscription`,
      );
    const rateTier = input.tier ?? this.#conn.defaultTier ?? 'tier1';
    const { body } = await this.#send({
      op: 'create token',
      method: 'POST',
      path: `/api/v1/subscriptions/${encodeURIComponent(sub)}/tokens`,
      // The official example nests the fields under `token` (Rails strong params).
      json: { token: { name: input.name, rate_tier: rateTier } },
      schema: tritonCreateResponse,
      signal: options.signal,
    });
    const secret = new Secret(body.token.value);
    const summary = this.#summary(body.token);
    return { summary: summary.active ? summary : await this.#activateNew(summary, options), secret };
  }

  async revoke(id: string, options: CallOptions & { reason?: string } = {}): Promise<RevokeResult> {
    // Kill first: the deactivate is the first call; a 404 means no such token on this account.
    try {
      await this.#put(id, 'deactivate', options.reason, options);
    } catch (err) {
      if (isNotFound(err)) throw noSuchToken(this.provider, this.connection, id);
      throw err;
    }
    return { method: 'deactivated' };
  }

  async rotate(id: string, options: CallOptions & RotateOptions = {}): Promise<RotateResult> {
    // An inactive new token must not replace a working one: refuse before delivery, keep the old one.
    const deliver = async (issued: IssuedToken): Promise<void> => {
      if (!issued.summary.active)
        throw new TokenOpsError(
          'forbidden',
          `Triton One created the new token inactive and tokenops could not activate it (${ROLE_HINT}); the old token still works.`,
          { provider: 'triton' },
        );
      await options.deliver?.(issued);
    };
    const retire = async (oldId: string): Promise<{ fate: 'deactivated' }> => {
      await this.#put(oldId, 'deactivate', options.reason ?? 'rotated by tokenops', options);
      return { fate: 'deactivated' };
    };
    return emulatedRotate(this, id, retire, { ...options, deliver });
  }

  /** The management token is an account-management credential, never one of the listed RPC tokens. */
  async ownCredential(): Promise<OwnCredential> {
    return {
      ids: [],
      note: 'the Triton management token tokenops uses is not an RPC token and never appears in the list',
    };
  }

  async activate(id: string, options: CallOptions = {}): Promise<TokenSummary> {
    await this.#put(id, 'activate', undefined, options);
    return this.get(id, options);
  }

  async deactivate(id: string, options: CallOptions & { reason?: string } = {}): Promise<TokenSummary> {
    await this.#put(id, 'deactivate', options.reason, options);
    return this.get(id, options);
  }

  /** New tokens may come back inactive (the documented example): activate them, or say why not. */
  async #activateNew(summary: TokenSummary, options: CallOptions): Promise<TokenSummary> {
    try {
      await this.#put(summary.id, 'activate', undefined, options);
      return { ...summary, active: true };
    } catch (err) {
      // The token exists and its secret must still reach its owner, so a failed activation is a note, not an error.
      const why =
        err instanceof TokenOpsError && err.code === 'forbidden'
          ? 'activating it needs the reseller or operator role'
          : 'activating it failed';
      const note = `Triton created the token inactive; ${why}. A reseller or operator can activate it.`;
      return { ...summary, extras: { ...summary.extras, inactiveNote: note } };
    }
  }

  /** PUT activate/deactivate (204); a 403 becomes an error that names the roles that may do it. */
  async #put(id: string, action: 'activate' | 'deactivate', reason: string | undefined, options: CallOptions) {
    try {
      await this.#send({
        op: `${action} token`,
        method: 'PUT',
        path: `/api/v1/tokens/${encodeURIComponent(id)}/${action}`,
        json: reason ? { deactivation_reason: reason } : undefined,
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof TokenOpsError && err.code === 'forbidden')
        throw new TokenOpsError('forbidden', `Triton One refused to ${action} the token: ${ROLE_HINT}.`, {
          provider: 'triton',
          status: err.status,
          cause: err,
        });
      throw err;
    }
  }

  /** Every request scrubs the management token from any provider text that reaches an error. */
  #send<T>(req: HttpRequest<T>) {
    return this.#http.send<T>({ ...req, secrets: [this.#token] });
  }

  #filter(): Record<string, string> {
    if (this.#conn.accountUuid) return { account_uuid: this.#conn.accountUuid };
    if (this.#conn.subscriptionUuid) return { subscription_uuid: this.#conn.subscriptionUuid };
    throw new TokenOpsError(
      'config',
      `connection triton:${this.connection} needs accountUuid or subscriptionUuid: Triton lists tokens per account or subscription`,
    );
  }

  /** The boundary where `value` becomes only its last 4 and fingerprint, and `auth_username` is dropped. */
  #summary(t: TritonToken): TokenSummary {
    const extras: TokenExtras = { rateTier: t.rate_tier ?? null };
    const reasons = reasonsText(t);
    if (reasons) extras['deactivationReasons'] = reasons;
    return {
      ref: formatRef({ provider: 'triton', connection: this.connection, id: t.uuid }),
      provider: 'triton',
      connection: this.connection,
      id: t.uuid,
      name: providerName(t.name),
      last4: last4(t.value),
      fingerprint: fingerprint(t.value, this.#deps.fingerprintKey),
      active: t.is_active,
      extras,
    };
  }
}

/** Deactivation reasons as one line; object items give their text field. Never echoes the token's secrets. */
function reasonsText(t: TritonToken): string {
  const texts = (t.deactivation_reasons ?? []).map((r) => {
    if (typeof r === 'string') return r;
    const rec = r as Record<string, unknown>;
    const key = REASON_KEYS.find((k) => typeof rec[k] === 'string');
    return key ? String(rec[key]) : '';
  });
  const joined = texts.filter((s) => s.trim() !== '').join('; ');
  return redact(joined, [t.value, t.auth_username ?? '']);
}
