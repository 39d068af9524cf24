import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import {
  SimServer,
  header,
  hex,
  type ProviderSimulator,
  type SimRequest,
  type SimResponse,
} from '../../local/simulators/base.js';
import type { StartSimulator } from '../../local/simulators/base.js';

/** Roles a Triton management token can have (readonly is only mentioned by a third party). */
export type TritonRole = 'reseller' | 'operator' | 'readonly';

/** Rate tiers `GET /api/v1/rate_tiers` lists. */
export const TRITON_RATE_TIERS = ['free', 'tier1', 'tier2', 'tier3', 'dedi'] as const;
/** The create example uses `developer` (a subscription type), so the simulator accepts it too. */
const ACCEPTED_TIERS = new Set<string>([...TRITON_RATE_TIERS, 'developer']);
const ACTIVATE_ROLES = new Set<TritonRole>(['reseller', 'operator']);

/** One RPC token in the simulator's state. */
export interface TritonSimToken {
  uuid: string;
  name: string;
  value: string;
  rate_tier: string;
  auth_username: string;
  is_active: boolean;
  deactivation_reasons: (string | Record<string, string>)[];
  subscription_uuid: string;
}

/** Options of the Triton simulator. */
export interface TritonSimulatorOptions {
  port?: number;
  /** Seeds a few dozen realistic tokens across two subscriptions. */
  demo?: boolean;
  /** Page size put in connectionConfig(); also the server's `per` when a client sends none. @default 50 */
  pageSize?: number;
  /** Whether new tokens come back active. The documented create example shows false. @default false */
  newTokensActive?: boolean;
}

/** The Triton simulator with handles tests use to reach into its state. */
export interface TritonSimulator extends ProviderSimulator {
  readonly accountUuid: string;
  /** [primary (in connectionConfig), second]. */
  readonly subscriptionUuids: readonly [string, string];
  readonly tokens: Map<string, TritonSimToken>;
  /** The management token with the given role. */
  managementToken(role: TritonRole): string;
  setNewTokensActive(active: boolean): void;
  /** Calls the RPC endpoint with the value as the last path segment instead of basic auth. */
  useSecretInPath(secret: string): Promise<number>;
}

const unauthorized: SimResponse = { status: 401, body: { errors: { base: ['Unauthorized'] } } };
const rails = (status: number, field: string, message: string): SimResponse => ({
  status,
  body: { errors: { [field]: [message] } },
});
type Handler = (req: SimRequest) => SimResponse;
const notAcceptable: SimResponse = { status: 406, body: { errors: { base: ['Send Accept: application/json'] } } };

/** Whether an `Accept` list admits JSON (`application/json`, `application/*` or `*\/*`, with no q=0). */
export function acceptsJson(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

/** The simulator's world: one account with two subscriptions, their tokens, and role-bearing management tokens. */
class TritonState {
  readonly accountUuid = randomUUID();
  readonly subs: readonly [string, string] = [randomUUID(), randomUUID()];
  readonly tokens = new Map<string, TritonSimToken>();
  readonly roles = new Map<string, TritonRole>(
    (['reseller', 'operator', 'readonly'] as const).map((r) => [`tmgmt-${r}-${hex(24)}`, r]),
  );
  constructor(
    public newTokensActive: boolean,
    readonly serverPer: number,
  ) {}

  add(name: string, extra: Partial<TritonSimToken> = {}): TritonSimToken {
    const t: TritonSimToken = {
      uuid: randomUUID(),
      name,
      value: randomUUID(),
      rate_tier: 'tier1',
      auth_username: `acme-${slug(name)}-${hex(4)}`,
      is_active: true,
      deactivation_reasons: [],
      subscription_uuid: this.subs[0],
      ...extra,
    };
    this.tokens.set(t.uuid, t);
    return t;
  }

  byValue(value: string | undefined): TritonSimToken | undefined {
    return [...this.tokens.values()].find((t) => t.value === value);
  }

  managementToken(role: TritonRole): string {
    return [...this.roles].find(([, r]) => r === role)?.[0] ?? '';
  }

  /**
   * Wraps a handler with the JSON `Accept` check (406, as a Rails API answers a format it cannot serve)
   * and the raw-Authorization check; a "Bearer …" value is not a known token.
   */
  authed(fn: (req: SimRequest, role: TritonRole) => SimResponse): Handler {
    return (req) => {
      if (!acceptsJson(header(req, 'accept'))) return notAcceptable;
      const role = this.roles.get(header(req, 'authorization') ?? '');
      return role ? fn(req, role) : unauthorized;
    };
  }
}

/**
 * A faithful stand-in for the Triton One Customers API (providers.md §3): raw `Authorization`
 * management tokens with roles, page/per paging with Rails meta, nested or flat create bodies,
 * 204 activate/deactivate, and an RPC endpoint that accepts the managed tokens.
 */
export async function startTritonSimulator(options: TritonSimulatorOptions = {}): Promise<TritonSimulator> {
  const server = new SimServer();
  const s = new TritonState(options.newTokensActive ?? false, options.pageSize ?? 50);
  server
    .route(
      'GET',
      /^\/api\/v1\/accounts$/,
      s.authed(() => ({ status: 200, body: { accounts: [account(s)] } })),
    )
    .route('GET', /^\/api\/v1\/rate_tiers$/, s.authed(rateTiers))
    .route(
      'GET',
      /^\/api\/v1\/tokens$/,
      s.authed((req) => listTokens(req, s)),
    )
    .route(
      'POST',
      /^\/api\/v1\/subscriptions\/([^/]+)\/tokens$/,
      s.authed((req, role) => createToken(req, role, s)),
    )
    .route(
      'PUT',
      /^\/api\/v1\/tokens\/([^/]+)\/(activate|deactivate)$/,
      s.authed((req, role) => toggle(req, role, s)),
    )
    // The RPC side: basic auth (auth_username:value) or the value as the last path segment.
    .route('POST', /^\/rpc$/, (req) => rpc(req, s))
    .route('POST', /^\/rpc\/([^/]+)$/, (req) => rpc(req, s));
  if (options.demo) seedDemo(s);
  await server.listen(options.port ?? 0);
  return facade(server, s, options);
}

/** The test-facing surface over a running server and its state. */
function facade(server: SimServer, s: TritonState, options: TritonSimulatorOptions): TritonSimulator {
  const callRpc = async (path: string, auth?: string): Promise<number> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) headers['authorization'] = auth;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' });
    const res = await request(`${server.url}${path}`, { method: 'POST', headers, body });
    await res.body.dump();
    return res.statusCode;
  };
  return {
    provider: 'triton',
    url: server.url,
    requests: server.requests,
    accountUuid: s.accountUuid,
    subscriptionUuids: s.subs,
    tokens: s.tokens,
    managementToken: (role) => s.managementToken(role),
    setNewTokensActive: (active) => (s.newTokensActive = active),
    connectionConfig: () => ({
      credentials: { token: s.managementToken('reseller') },
      accountUuid: s.accountUuid,
      subscriptionUuid: s.subs[0],
      ...(options.pageSize !== undefined || options.demo ? { pageSize: options.pageSize ?? 10 } : {}),
    }),
    inject: (rule) => server.inject(rule),
    clearFaults: () => server.clearFaults(),
    setLatency: (ms) => server.setLatency(ms),
    // Real clients pair the token's auth_username with its value; an unknown value gets a made-up user.
    useSecret: (secret) => {
      const user = s.byValue(secret)?.auth_username ?? 'unknown-user';
      return callRpc('/rpc', `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`);
    },
    useSecretInPath: (secret) => callRpc(`/rpc/${encodeURIComponent(secret)}`),
    seedToken: (name, extra = {}) => {
      const t = s.add(name, extra as Partial<TritonSimToken>);
      return { id: t.uuid, secret: t.value };
    },
    close: () => server.close(),
  };
}

function account(s: TritonState): { uuid: string; name: string } {
  return { uuid: s.accountUuid, name: 'Acme Validators' };
}

/** `GET /api/v1/rate_tiers`: reseller only. */
function rateTiers(_req: SimRequest, role: TritonRole): SimResponse {
  return role === 'reseller'
    ? { status: 200, body: { rate_tiers: TRITON_RATE_TIERS.map((name) => ({ name })) } }
    : rails(403, 'base', 'Listing rate tiers needs the reseller role');
}

/** `POST /api/v1/subscriptions/:uuid/tokens`: nested (documented) or flat (third-party) body; 201. */
function createToken(req: SimRequest, role: TritonRole, s: TritonState): SimResponse {
  const sub = req.params[0] ?? '';
  if (role === 'readonly') return rails(403, 'base', 'A read-only token cannot create tokens');
  if (!s.subs.includes(sub)) return rails(404, 'base', 'Subscription not found');
  const b = (req.body ?? {}) as Record<string, unknown>;
  const fields = (typeof b['token'] === 'object' && b['token'] !== null ? b['token'] : b) as Record<string, unknown>;
  const { name, rate_tier: tier } = fields;
  if (typeof name !== 'string' || name.trim() === '') return rails(422, 'name', "can't be blank");
  if (typeof tier !== 'string' || tier === '') return rails(422, 'rate_tier', "can't be blank");
  if (!ACCEPTED_TIERS.has(tier)) return rails(422, 'rate_tier', 'is not included in the list');
  const t = s.add(name, { rate_tier: tier, is_active: s.newTokensActive, subscription_uuid: sub });
  return { status: 201, body: { token: view(t) } };
}

/** `PUT /api/v1/tokens/:uuid/(activate|deactivate)`: reseller or operator only; 204. */
function toggle(req: SimRequest, role: TritonRole, s: TritonState): SimResponse {
  const action = req.params[1];
  if (!ACTIVATE_ROLES.has(role)) return rails(403, 'base', `Only reseller and operator tokens can ${action} tokens`);
  const t = s.tokens.get(req.params[0] ?? '');
  if (!t) return rails(404, 'base', 'Token not found');
  if (action === 'activate') {
    t.is_active = true;
    t.deactivation_reasons = [];
  } else {
    t.is_active = false;
    const reason = (req.body as { deactivation_reason?: unknown } | undefined)?.deactivation_reason;
    if (typeof reason === 'string' && reason) t.deactivation_reasons.push(reason);
  }
  return { status: 204 };
}

/** An RPC call: 200 for an active token, 401 for anything else. */
function rpc(req: SimRequest, s: TritonState): SimResponse {
  const t = s.byValue(req.params[0] ?? basicAuth(req, s));
  if (!t || !t.is_active)
    return { status: 401, body: { jsonrpc: '2.0', error: { code: 401, message: 'Unauthorized' } } };
  return { status: 200, body: { jsonrpc: '2.0', id: 1, result: 'ok' } };
}

/** `GET /api/v1/tokens`: one filter is required; page/per paging with the documented meta. */
function listTokens(req: SimRequest, s: TritonState): SimResponse {
  const account = req.query.get('account_uuid');
  const sub = req.query.get('subscription_uuid');
  if (!account && !sub) return rails(422, 'base', 'account_uuid or subscription_uuid is required');
  if (account && account !== s.accountUuid) return rails(404, 'base', 'Account not found');
  if (sub && !s.subs.includes(sub)) return rails(404, 'base', 'Subscription not found');
  const visible = [...s.tokens.values()].filter((t) => !sub || t.subscription_uuid === sub);
  const per = positiveInt(req.query.get('per')) ?? s.serverPer;
  const page = positiveInt(req.query.get('page')) ?? 1;
  const totalPages = Math.ceil(visible.length / per);
  const meta = {
    current_page: page,
    next_page: page < totalPages ? page + 1 : null,
    per_page: per,
    prev_page: page > 1 ? page - 1 : null,
    total_pages: totalPages,
    total_count: visible.length,
  };
  return { status: 200, body: { tokens: visible.slice((page - 1) * per, page * per).map(view), meta } };
}

/** A token as the API shows it: the documented fields only (the subscription link is internal). */
function view(t: TritonSimToken): Omit<TritonSimToken, 'subscription_uuid'> {
  const { subscription_uuid: _sub, ...shown } = t;
  return shown;
}

function positiveInt(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

/** The password half of `Authorization: Basic …`, when the user half names that token. */
function basicAuth(req: SimRequest, s: TritonState): string | undefined {
  const auth = header(req, 'authorization') ?? '';
  if (!auth.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return s.byValue(pass)?.auth_username === user ? pass : undefined;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 8) || 'token'
  );
}

const DEMO_NAMES = ['indexer', 'ci-bot', 'wallet-api', 'staking-svc', 'nft-mint', 'price-feed', 'webhooks', 'backfill'];

/** A few dozen tokens across both subscriptions, some inactive, so paging and reasons show. */
function seedDemo(s: TritonState): void {
  const envs = ['prod', 'staging', 'dev'];
  for (let i = 0; i < 34; i++) {
    const name = `${envs[i % 3]}-${DEMO_NAMES[i % DEMO_NAMES.length]}${i >= 24 ? `-${i}` : ''}`;
    const inactive = i % 7 === 3;
    s.add(name, {
      subscription_uuid: s.subs[i < 22 ? 0 : 1],
      rate_tier: TRITON_RATE_TIERS[i % 4 === 0 ? 2 : 1],
      is_active: !inactive,
      // Reasons arrive as strings per the third-party schema; one object form keeps adapters honest.
      deactivation_reasons: inactive ? (i === 3 ? [{ reason: 'billing hold' }] : ['rotated after offboarding']) : [],
    });
  }
}

/** The start the generic loader calls (src/local/simulators/index.ts): `npm start`, benches, tests. */
export const startSimulator: StartSimulator = startTritonSimulator;
