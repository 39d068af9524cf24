import { randomInt } from 'node:crypto';
import { request } from 'undici';
import {
  FixedWindowLimiter,
  SimServer,
  header,
  type ProviderSimulator,
  type SimRequest,
  type SimResponse,
} from '../../local/simulators/base.js';
import type { StartSimulator } from '../../local/simulators/base.js';

/** One personal API token in the simulator's state. All belong to the one simulated user. */
export interface CobaltSimToken {
  id: string;
  name: string;
  secret: string;
}

/** Options of the Cobalt simulator. */
export interface CobaltSimulatorOptions {
  port?: number;
  /** Seeds a dozen realistic tokens. */
  demo?: boolean;
  /** Page size put in connectionConfig() (5 in demo mode, so the cursor pages). The server's default `limit` is 10. */
  pageSize?: number;
  /** API version put in connectionConfig(); the server speaks both. @default "v2" */
  version?: 'v1' | 'v2';
  /** Status of an exceeded rate limit: 509 per the v2 Rate Limits page, 429 per the Errors page. @default 509 */
  rateLimitStatus?: 429 | 509;
  /** Whether refresh keeps the token's id (as the docs' example shows) or issues a new one. @default true */
  refreshKeepsId?: boolean;
  /** Per-user fixed-window limits per 60 s. @default { get: 100, mutate: 20 } */
  rateLimits?: { get: number; mutate: number };
  /** The rate-limit window, ms (the bench scales it down with the limiter's). @default 60000 */
  rateWindowMs?: number;
  /** 'real' gives the pre-2024 behaviour: the real last 4 characters instead of "redacted". @default 'redacted' */
  lastCharacters?: 'redacted' | 'real';
  /**
   * Whether `/tokens` also lists the management token itself. Cobalt documents that it lists all of the
   * caller's own tokens, and the connection's credential is one of them. @default true
   */
  listManagementToken?: boolean;
  /**
   * The largest `limit` the server takes; the docs give only the default (10). A larger one gets 400
   * with 'reject', or is silently lowered with 'clamp'. @default no cap
   */
  maxLimit?: { limit: number; over: 'reject' | 'clamp' };
}

/** The Cobalt simulator with handles tests use to reach into its state. */
export interface CobaltSimulator extends ProviderSimulator {
  readonly tokens: Map<string, CobaltSimToken>;
  /** The personal token connectionConfig() authenticates with. */
  readonly managementToken: string;
  /** Moves the simulator's clock (rate-limit windows, idempotency-key expiry). */
  advanceTime(ms: number): void;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const WINDOW_MS = 60_000;
const IDEMPOTENCY_TTL_MS = 5 * 60_000;
const SERVER_DEFAULT_LIMIT = 10;
const USER = 'usr_simulated';
const V2 = 'application/vnd.cobalt.v2+json';

/**
 * The API version an `Accept` header asks for: the first vendor media range in the list (a client may
 * add `*\/*` or `application/json` after it, as HTTP allows), or undefined when none names v1 or v2.
 */
export function vendorVersion(accept: string | undefined): Version | undefined {
  for (const range of (accept ?? '').split(',')) {
    const type = range.split(';')[0]?.trim().toLowerCase() ?? '';
    const m = /^application\/vnd\.cobalt\.(v1|v2)\+json$/.exec(type);
    if (m) return m[1] as Version;
  }
  return undefined;
}

/** Random base58 text. */
function base58(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE58[randomInt(BASE58.length)];
  return s;
}

const err = (status: number, message: string, headers?: Record<string, string>): SimResponse => ({
  status,
  body: { errors: [{ message }] },
  ...(headers ? { headers } : {}),
});

type Version = 'v1' | 'v2';
type Handler = (req: SimRequest) => SimResponse;

/** The simulated user's tokens, page cursors, idempotency keys, rate-limit windows and clock. */
class CobaltState {
  readonly tokens = new Map<string, CobaltSimToken>();
  readonly cursors = new Map<string, { offset: number; limit: number }>();
  readonly idempotencyKeys = new Map<string, number>();
  readonly limits: { get: number; mutate: number };
  readonly limiters: { get: FixedWindowLimiter; mutate: FixedWindowLimiter };
  readonly management: CobaltSimToken;
  offsetMs = 0;

  constructor(readonly options: CobaltSimulatorOptions) {
    this.limits = options.rateLimits ?? { get: 100, mutate: 20 };
    this.limiters = {
      get: new FixedWindowLimiter(this.limits.get, options.rateWindowMs ?? WINDOW_MS),
      mutate: new FixedWindowLimiter(this.limits.mutate, options.rateWindowMs ?? WINDOW_MS),
    };
    this.management = this.add('tokenops (management)');
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  add(name: string): CobaltSimToken {
    const t = { id: `api_${base58(22)}`, name, secret: base58(40) };
    this.tokens.set(t.id, t);
    return t;
  }

  bySecret(secret: string): CobaltSimToken | undefined {
    return [...this.tokens.values()].find((t) => t.secret === secret);
  }

  /** Version, auth, per-user limits and (v2 mutations) Content-Type, in that order, around a handler. */
  guarded(kind: 'get' | 'mutate', fn: (req: SimRequest, version: Version) => SimResponse): Handler {
    return (req) => {
      const version = vendorVersion(header(req, 'accept'));
      if (version === undefined) return err(406, `Not Acceptable: send Accept: ${V2}`);
      const bearer = /^bearer +(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
      if (!bearer || !this.bySecret(bearer)) return err(401, 'Unauthorized');
      const taken = this.limiters[kind].take(USER, this.now());
      const rl: Record<string, string> = {
        [kind === 'get' ? 'x-rate-limit-get-limit' : 'x-rate-limit-mutate-limit']: String(this.limits[kind]),
        'x-rate-limit-remaining': String(taken.remaining),
      };
      if (taken.retryAfterS !== undefined) {
        const status = this.options.rateLimitStatus ?? 509;
        const text = status === 509 ? 'BANDWIDTH_LIMIT_EXCEEDED' : 'Too Many Requests';
        // No Retry-After: Cobalt documents only the X-Rate-Limit-* headers and the 60 s fixed window.
        return err(status, text, rl);
      }
      if (version === 'v2' && kind === 'mutate' && !(header(req, 'content-type') ?? '').startsWith(V2))
        return err(406, `v2 requests need Content-Type: ${V2}`, rl);
      const res = fn(req, version);
      return { ...res, headers: { ...rl, ...res.headers } };
    };
  }
}

/**
 * A faithful stand-in for the Cobalt API tokens endpoints (providers.md §5): the Accept header picks
 * v1 or v2 (406 otherwise); v2 mutations need the vendor Content-Type (406 too: 415 is not in Cobalt's
 * documented status list); per-user fixed-window limits; Idempotency-Key replays give 409; refresh kills
 * the old secret at once. The management token is one of the user's personal tokens and /tokens lists
 * it like the others, as Cobalt documents (all of the caller's own tokens, `last_characters: "redacted"`).
 */
export async function startCobaltSimulator(options: CobaltSimulatorOptions = {}): Promise<CobaltSimulator> {
  const server = new SimServer();
  const s = new CobaltState(options);
  server
    .route(
      'GET',
      /^\/tokens$/,
      s.guarded('get', (req) => listPage(req, s)),
    )
    .route(
      'POST',
      /^\/tokens\/([^/]+)\/refresh$/,
      s.guarded('mutate', (req, version) => refresh(req, version, s)),
    )
    // The early beta's PUT refresh is gone.
    .route('PUT', /^\/tokens\/([^/]+)\/refresh$/, () => err(405, 'Method Not Allowed'))
    .route('GET', /^\/orgs$/, s.guarded('get', orgs));
  if (options.demo) for (const name of DEMO_NAMES) s.add(name);
  await server.listen(options.port ?? 0);
  return facade(server, s);
}

/** The test-facing surface over a running server and its state. */
function facade(server: SimServer, s: CobaltState): CobaltSimulator {
  const pageSize = s.options.pageSize ?? (s.options.demo ? 5 : undefined);
  return {
    provider: 'cobalt',
    url: server.url,
    requests: server.requests,
    tokens: s.tokens,
    managementToken: s.management.secret,
    advanceTime: (ms) => (s.offsetMs += ms),
    connectionConfig: () => ({
      credentials: { token: s.management.secret },
      ownTokenId: s.management.id,
      apiVersion: s.options.version ?? 'v2',
      ...(pageSize !== undefined ? { pageSize } : {}),
    }),
    inject: (rule) => server.inject(rule),
    clearFaults: () => server.clearFaults(),
    setLatency: (ms) => server.setLatency(ms),
    // A Cobalt client proves a token works with any call; GET /orgs is the first one the docs show.
    useSecret: async (secret) => {
      const res = await request(`${server.url}/orgs`, {
        headers: { accept: V2, authorization: `Bearer ${secret}` },
      });
      await res.body.dump();
      return res.statusCode;
    },
    seedToken: (name) => {
      const t = s.add(name);
      return { id: t.id, secret: t.secret };
    },
    close: () => server.close(),
  };
}

/** `POST /tokens/{id}/refresh`: idempotency keys, then a new secret (same or new id); the old one dies now. */
function refresh(req: SimRequest, version: Version, s: CobaltState): SimResponse {
  const key = header(req, 'idempotency-key') ?? header(req, 'mutation-check');
  if (key) {
    const seen = s.idempotencyKeys.get(key);
    if (seen !== undefined && s.now() - seen < IDEMPOTENCY_TTL_MS) return err(409, 'Idempotency key already used');
    s.idempotencyKeys.set(key, s.now());
  }
  const old = s.tokens.get(req.params[0] ?? '');
  if (!old) return err(404, 'Not Found');
  const id = s.options.refreshKeepsId === false ? `api_${base58(22)}` : old.id;
  const fresh = { id, name: old.name, secret: base58(40) };
  replaceInPlace(s.tokens, old.id, fresh);
  const fields = { id: fresh.id, secret: fresh.secret, name: fresh.name, expire_at: null };
  return { status: 200, body: version === 'v1' ? fields : { resource: fields } };
}

/** `GET /orgs`: the call useSecret makes. */
function orgs(): SimResponse {
  const org = { id: 'or_Acme1Security', name: 'Acme Security', token: 'e0cbd8d2a4f0c1b2' };
  return { status: 200, body: { data: [{ resource: org }], pagination: { next_page: null, prev_page: null } } };
}

/** `GET /tokens`: cursor paging; page links are relative paths with an opaque cursor. */
function listPage(req: SimRequest, s: CobaltState): SimResponse {
  const { cursors, options } = s;
  const all = [...s.tokens.values()].filter((t) => options.listManagementToken !== false || t !== s.management);
  const realLast = options.lastCharacters === 'real';
  const limitText = req.query.get('limit');
  const cursorText = req.query.get('cursor');
  if (limitText !== null && !/^[1-9]\d*$/.test(limitText)) return err(400, 'limit must be a positive integer');
  const state = cursorText === null ? { offset: 0, limit: SERVER_DEFAULT_LIMIT } : cursors.get(cursorText);
  if (!state) return err(400, 'Invalid cursor');
  let limit = limitText === null ? state.limit : Number(limitText);
  const cap = options.maxLimit;
  if (cap && limit > cap.limit) {
    if (cap.over === 'reject') return err(400, `limit must be at most ${cap.limit}`);
    limit = cap.limit;
  }
  const link = (offset: number): string => {
    const c = base58(12);
    cursors.set(c, { offset, limit });
    return `/tokens?cursor=${c}`;
  };
  const page = all.slice(state.offset, state.offset + limit);
  const data = page.map((t) => ({
    resource: { id: t.id, last_characters: realLast ? t.secret.slice(-4) : 'redacted', name: t.name, expire_at: null },
  }));
  const next = state.offset + limit < all.length ? link(state.offset + limit) : null;
  const prev = state.offset > 0 ? link(Math.max(0, state.offset - limit)) : null;
  return { status: 200, body: { data, pagination: { next_page: next, prev_page: prev } } };
}

/** Swaps a token for its refreshed self, keeping its place in the list order. */
function replaceInPlace(tokens: Map<string, CobaltSimToken>, oldId: string, fresh: CobaltSimToken): void {
  const entries = [...tokens.entries()].map(([id, t]): [string, CobaltSimToken] =>
    id === oldId ? [fresh.id, fresh] : [id, t],
  );
  tokens.clear();
  for (const [id, t] of entries) tokens.set(id, t);
}

const DEMO_NAMES = [
  'ci-findings-export',
  'jira-sync',
  'slack-notifier',
  'pentest-report-bot',
  'asset-inventory',
  'soc2-evidence',
  'grafana-dashboard',
  'terraform-assets',
  'weekly-metrics',
  'vuln-triage',
  'sast-bridge',
  'backup-audit',
];

/** The start the generic loader calls (src/local/simulators/index.ts): `npm start`, benches, tests. */
export const startSimulator: StartSimulator = ({ rateWindowScale, ...o } = {}) =>
  startCobaltSimulator({ ...o, ...(rateWindowScale ? { rateWindowMs: WINDOW_MS * rateWindowScale } : {}) });
