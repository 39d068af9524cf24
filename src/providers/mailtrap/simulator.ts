import { randomInt } from 'node:crypto';
import {
  FixedWindowLimiter,
  header,
  hex,
  type ProviderSimulator,
  type SimRequest,
  type SimResponse,
  SimulatorBase,
} from '../../local/simulators/base.js';
import type { StartSimulator } from '../../local/simulators/base.js';

/** A permission entry; `resource_id` may be a number or a string on the wire. */
interface SimResource {
  resource_type: string;
  resource_id: number | string;
  access_level: number;
}

/** A token as the simulator keeps it (the secret included). */
export interface MailtrapSimToken {
  id: number;
  name: string;
  token: string;
  created_by: string;
  expires_at: string | null;
  resources: SimResource[];
  accountId: number;
  /** Set once the token was reset: it may not be reset again. */
  reset: boolean;
}

/** Options of the Mailtrap simulator. */
export interface MailtrapSimOptions {
  port?: number;
  demo?: boolean;
  /** Mailtrap has no pagination. */
  pageSize?: never;
  /** 'unscoped' makes `connectionConfig()` leave out accountId, so the adapter must find the account itself. */
  pathStyle?: 'account' | 'unscoped';
  /**
   * Which tokens reset accepts. 'literal' is the spec: only tokens never reset and with no expiration set.
   * 'lenient' is the SDK docs: any token not already reset and not expired. @default 'lenient'
   */
  resetRule?: 'literal' | 'lenient';
}

type Ctx = { caller: MailtrapSimToken; accountId: number; tokenId?: number };
type Body = Record<string, unknown>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RESOURCE_TYPES = new Set(['account', 'project', 'inbox', 'sending_domain', 'sandbox', 'domain', 'billing']);
const FORBIDDEN: SimResponse = { status: 403, body: { errors: 'Account access forbidden' } };
const NOT_FOUND: SimResponse = { status: 404, body: { error: 'Not Found' } };
const unprocessable = (errors: Record<string, string[]>): SimResponse => ({ status: 422, body: { errors } });
const objectBody = (req: SimRequest): Body =>
  typeof req.body === 'object' && req.body !== null ? (req.body as Body) : {};

/**
 * A faithful Mailtrap Account Management simulator (providers.md §4.11): both path styles, both auth
 * headers, the recorded error bodies, reset with a 12-hour grace, and 150 requests / 10 s per token.
 */
export class MailtrapSimulator extends SimulatorBase implements ProviderSimulator {
  readonly provider = 'mailtrap' as const;
  url = '';
  /** The account the admin credential manages. */
  readonly accountId = randomInt(1_000, 900_000);
  /** An account that exists but the credential cannot reach (for 403s). */
  readonly foreignAccountId = this.accountId + 1;
  readonly #tokens = new Map<number, MailtrapSimToken>();
  readonly #limiter = new FixedWindowLimiter(150, 10_000);
  readonly #accounts = new Map([
    [this.accountId, 'Acme Mail'],
    [this.foreignAccountId, 'Someone Else'],
  ]);
  readonly #bot: MailtrapSimToken;
  #nextId = randomInt(2_000_000, 2_400_000);
  #offset = 0;

  readonly #options: MailtrapSimOptions;

  constructor(options: MailtrapSimOptions = {}) {
    super();
    this.#options = options;
    this.#bot = this.add({ name: 'tokenops', expires_at: null, resources: this.#account(100) });
    this.#routes();
    if (options.demo) this.#seedDemo();
  }

  /** Listens on loopback. */
  async listen(port = 0): Promise<this> {
    this.url = await this.server.listen(port);
    return this;
  }

  connectionConfig(): Record<string, unknown> {
    const credentials = { token: this.#bot.token };
    return this.#options.pathStyle === 'unscoped' ? { credentials } : { credentials, accountId: this.accountId };
  }

  /** Moves the simulator's clock forward (grace periods, expiry). */
  advanceTime(ms: number): void {
    this.#offset += ms;
  }

  /** The simulator's clock, in ms. */
  now(): number {
    return Date.now() + this.#offset;
  }

  /** A managed token is a real Mailtrap API token: any authenticated call shows whether it works. */
  async useSecret(secret: string): Promise<number> {
    const res = await fetch(`${this.url}/api/accounts`, { headers: { authorization: `Bearer ${secret}` } });
    await res.body?.cancel();
    return res.status;
  }

  seedToken(name: string, extra: Record<string, unknown> = {}): { id: string; secret: string } {
    const fields: Partial<MailtrapSimToken> & { name: string } = {
      name,
      resources: this.#account(extra['access'] === 'admin' ? 100 : 10),
    };
    if (extra['expires_at'] !== undefined) fields.expires_at = extra['expires_at'] as string | null;
    const t = this.add(fields);
    return { id: String(t.id), secret: t.token };
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Creates a token in state, as the web app would. */
  add(fields: Partial<MailtrapSimToken> & { name: string }): MailtrapSimToken {
    const t: MailtrapSimToken = {
      id: this.#nextId++,
      token: hex(32),
      created_by: 'Jane Doe',
      expires_at: new Date(this.now() + 365 * DAY).toISOString(),
      resources: this.#account(10),
      accountId: this.accountId,
      reset: false,
      ...fields,
    };
    this.#tokens.set(t.id, t);
    return t;
  }

  #account(level: number): SimResource[] {
    return [{ resource_type: 'account', resource_id: this.accountId, access_level: level }];
  }

  #alive(t: MailtrapSimToken): boolean {
    return t.expires_at === null || Date.parse(t.expires_at) > this.now();
  }

  #isAdmin(t: MailtrapSimToken, account: number): boolean {
    return (
      t.accountId === account &&
      t.resources.some(
        (r) => r.resource_type === 'account' && Number(r.resource_id) === account && r.access_level >= 100,
      )
    );
  }

  /** Whether the token has any permission inside the account (viewer or admin, on any resource there). */
  #inAccount(t: MailtrapSimToken, account: number): boolean {
    return t.accountId === account && t.resources.length > 0;
  }

  /**
   * Whether `caller` may see `t` in lists and gets: account-level access sees every token of the
   * account; narrower access sees tokens whose every permission lies within its own (itself included).
   */
  #visible(caller: MailtrapSimToken, t: MailtrapSimToken): boolean {
    if (t.accountId !== caller.accountId) return false;
    if (caller.resources.some((r) => r.resource_type === 'account')) return true;
    const key = (r: SimResource): string => `${r.resource_type}:${String(r.resource_id)}`;
    const mine = new Set(caller.resources.map(key));
    return t === caller || (t.resources.length > 0 && t.resources.every((r) => mine.has(key(r))));
  }

  #routes(): void {
    this.#both('GET', '', (_req, ctx) => this.#list(ctx));
    this.#both('POST', '', (req, ctx) => this.#create(objectBody(req), ctx));
    this.#both('GET', '/ID', (_req, ctx) => {
      const t = this.#find(ctx);
      return t && this.#visible(ctx.caller, t) ? { status: 200, body: wire(t) } : NOT_FOUND;
    });
    this.#both('DELETE', '/ID', (_req, ctx) => {
      const t = this.#find(ctx);
      return t && this.#tokens.delete(t.id) ? { status: 204 } : NOT_FOUND;
    });
    this.#both('POST', '/ID/reset', (req, ctx) => this.#reset(objectBody(req), ctx));
    this.server.route(
      'GET',
      /^\/api\/accounts$/,
      this.#guard((_req, caller) => {
        const levels = [Math.max(...caller.resources.map((r) => r.access_level))];
        const account = { id: caller.accountId, name: this.#accounts.get(caller.accountId), access_levels: levels };
        return { status: 200, body: [account] };
      }),
    );
  }

  /** Auth (either header), rate limit, and the headers Mailtrap sends on every answer. */
  #guard(fn: (req: SimRequest, caller: MailtrapSimToken) => SimResponse): (req: SimRequest) => SimResponse {
    return (req) => {
      const base = { 'X-Mailtrap-Version': 'v2' };
      const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
      const secret = header(req, 'api-token') ?? bearer;
      const caller = [...this.#tokens.values()].find((t) => t.token === secret);
      if (!caller || !this.#alive(caller))
        return { status: 401, body: { error: 'Incorrect API token' }, headers: base };
      const rl = this.#limiter.take(String(caller.id), this.now());
      const headers = { ...base, 'X-Ratelimit-Limit': '150', 'X-Ratelimit-Remaining': String(rl.remaining) };
      if (rl.retryAfterS !== undefined) return { status: 429, body: { errors: 'Rate limit exceeded' }, headers };
      const res = fn(req, caller);
      return { ...res, headers: { ...headers, ...res.headers } };
    };
  }

  /**
   * Serves a token route under both path styles; the account comes from the path or from the caller.
   * Reads need some access to the account (lists are filtered to what the caller may see); changes need
   * account admin.
   */
  #both(method: string, suffix: string, fn: (req: SimRequest, ctx: Ctx) => SimResponse): void {
    const tail = suffix.replace('ID', '(\\d+)');
    const allowed = (caller: MailtrapSimToken, account: number): boolean =>
      method === 'GET' ? this.#inAccount(caller, account) : this.#isAdmin(caller, account);
    const scoped = this.#guard((req, caller) => {
      const account = Number(req.params[0]);
      if (!this.#accounts.has(account) || !allowed(caller, account)) return FORBIDDEN;
      return fn(req, { caller, accountId: account, tokenId: req.params[1] ? Number(req.params[1]) : undefined });
    });
    const unscoped = this.#guard((req, caller) => {
      if (!allowed(caller, caller.accountId)) return FORBIDDEN;
      const tokenId = req.params[0] ? Number(req.params[0]) : undefined;
      return fn(req, { caller, accountId: caller.accountId, tokenId });
    });
    this.server.route(method, new RegExp(`^/api/accounts/(\\d+)/api_tokens${tail}$`), scoped);
    this.server.route(method, new RegExp(`^/api/api_tokens${tail}$`), unscoped);
  }

  #find(ctx: Ctx): MailtrapSimToken | undefined {
    const t = this.#tokens.get(ctx.tokenId ?? -1);
    return t && t.accountId === ctx.accountId ? t : undefined;
  }

  /** Expired tokens stay listed (they fail auth only). */
  #list(ctx: Ctx): SimResponse {
    const visible = [...this.#tokens.values()].filter((t) => this.#visible(ctx.caller, t));
    return { status: 200, body: visible.map((t) => wire(t)) };
  }

  #create(b: Body, ctx: Ctx): SimResponse {
    if (typeof b['name'] !== 'string' || b['name'].trim() === '') return unprocessable({ name: ["can't be blank"] });
    const resources = readResources(b['resources'], ctx.accountId);
    if (!Array.isArray(resources)) return resources;
    const exp = this.#expiry(b['expires_at']);
    if (typeof exp !== 'string' && exp !== null) return exp;
    const t = this.add({ name: b['name'], resources, expires_at: exp, created_by: ctx.caller.name });
    return { status: 200, body: wire(t, true) };
  }

  /** New id and secret, named `<old name> <new id>`; the old secret lives 12 more hours. */
  #reset(b: Body, ctx: Ctx): SimResponse {
    const old = this.#find(ctx);
    if (!old) return NOT_FOUND;
    if (old.reset || !this.#alive(old))
      return unprocessable({ base: ['Token has already been reset or has expired and cannot be reset.'] });
    if (this.#options.resetRule === 'literal' && old.expires_at !== null)
      return unprocessable({ base: ['Only tokens without an expiration date can be reset.'] });
    const exp = this.#expiry(b['expires_at']);
    if (typeof exp !== 'string' && exp !== null) return exp;
    const t = this.add({
      name: `${old.name} ${this.#nextId}`,
      resources: old.resources.map((r) => ({ ...r })),
      expires_at: exp,
      created_by: ctx.caller.name,
      accountId: old.accountId,
    });
    old.expires_at = new Date(this.now() + 12 * HOUR).toISOString();
    old.reset = true;
    return { status: 200, body: wire(t, true) };
  }

  /** `expires_at`: undefined = the 1-year default, null = never, else in the future and within 5 years. */
  #expiry(value: unknown): string | null | SimResponse {
    if (value === undefined) return new Date(this.now() + 365 * DAY).toISOString();
    if (value === null) return null;
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) return unprocessable({ expires_at: ['is invalid'] });
    if (at <= this.now()) return unprocessable({ expires_at: ['must be in the future'] });
    if (at > this.now() + 5 * 365 * DAY) return unprocessable({ expires_at: ['must be at most 5 years from now'] });
    return new Date(at).toISOString();
  }

  /** Demo tokens in the documented shapes, one expired and one auto-created for a sending domain. */
  #seedDemo(): void {
    this.add({ name: 'ci-deploy', resources: this.#account(100) });
    this.add({ name: 'grafana-readonly', created_by: 'tokenops' });
    this.add({
      name: 'billing-export',
      resources: [{ resource_type: 'project', resource_id: 4411, access_level: 10 }],
    });
    this.add({ name: 'staging-inbox', resources: [{ resource_type: 'inbox', resource_id: 88123, access_level: 100 }] });
    const domain = this.add({
      name: 'mail.example.com token',
      resources: [{ resource_type: 'sending_domain', resource_id: 907, access_level: 100 }],
    });
    domain.name = `mail.example.com token ${domain.id}`;
    this.add({ name: 'old-newsletter', expires_at: new Date(this.now() - 10 * DAY).toISOString() });
  }
}

/** A token on the wire: the secret only in create and reset answers. */
function wire(t: MailtrapSimToken, withSecret = false): Body {
  const { id, name, created_by, expires_at, resources } = t;
  const out: Body = { id, name, last_4_digits: t.token.slice(-4), created_by, expires_at, resources };
  if (withSecret) out['token'] = t.token;
  return out;
}

/** Checks a create's permissions; an empty list gets the 422 recorded from the real API. */
function readResources(value: unknown, accountId: number): SimResource[] | SimResponse {
  if (!Array.isArray(value) || value.length === 0)
    return unprocessable({ base: ['No permissions selected. Please choose at least one.'] });
  const out: SimResource[] = [];
  for (const r of value as Body[]) {
    const type = r?.['resource_type'];
    const id = r?.['resource_id'];
    const level = r?.['access_level'];
    const idOk = typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id));
    if (typeof type !== 'string' || !RESOURCE_TYPES.has(type) || !idOk || (level !== 10 && level !== 100))
      return unprocessable({ resources: ['are invalid'] });
    if (type === 'account' && Number(id) !== accountId) return FORBIDDEN;
    out.push({ resource_type: type, resource_id: id, access_level: level });
  }
  return out;
}

/** Starts the Mailtrap simulator on loopback. */
export async function startMailtrapSimulator(options: MailtrapSimOptions = {}): Promise<MailtrapSimulator> {
  return new MailtrapSimulator(options).listen(options.port ?? 0);
}

/** The start the generic loader calls (src/local/simulators/index.ts): `npm start`, benches, tests. */
export const startSimulator: StartSimulator = startMailtrapSimulator;
