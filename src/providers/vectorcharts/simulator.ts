import { randomUUID } from 'node:crypto';
import { fingerprint } from '../../core/secret.js';
import {
  header,
  hex,
  type ProviderSimulator,
  type SimRequest,
  type SimResponse,
  SimulatorBase,
} from '../../local/simulators/base.js';
import type { StartSimulator } from '../../local/simulators/base.js';

/** A portal user. The docs show both integer and UUID user ids, so the simulator has one of each. */
interface SimUser {
  id: number | string;
  username: string;
  password: string;
  email: string;
}

/** A token record exactly as the Portal API returns it (`id` is the secret). */
export interface VectorchartsSimToken {
  id: string;
  name: string;
  userId: number | string;
  userEmail: string;
  createdAt: number;
  lastUsedAt: number | null;
  restrictions: { hosts: string[] } | null;
}

/** Options of the Vector Charts simulator. */
export interface VectorchartsSimOptions {
  port?: number;
  demo?: boolean;
  /** Vector Charts has no pagination. */
  pageSize?: never;
  /** Key the adapter hashes token ids with, so `seedToken` can return the REF id. @default the contract suite's key */
  fingerprintKey?: string;
  /** Which credentials `connectionConfig()` hands out. @default 'login' */
  auth?: 'login' | 'apiToken';
}

/** The key `seedToken` hashes with when none is given: the one the contract suite's adapters use. */
export const DEFAULT_FINGERPRINT_KEY = 'contract-test-fingerprint-key';

type Update = { name?: string; restrictions?: VectorchartsSimToken['restrictions'] };

const UNAUTHORIZED: SimResponse = { status: 401, body: { error: 'Unauthorized' } };
const NOT_FOUND: SimResponse = { status: 404, body: { error: 'Not Found' } };
const DAY = 86_400_000;
/** The credential of an `Authorization: Bearer …` header; the scheme name is case-insensitive (RFC 9110). */
const bearerOf = (req: SimRequest): string | undefined =>
  /^bearer +(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];

/**
 * A faithful Vector Charts OEM Portal simulator (providers.md §2.10): login sessions, API tokens whose id
 * is the secret, POST-to-update, 204 deletes, and a Core API that honours `restrictions.hosts`.
 */
export class VectorchartsSimulator extends SimulatorBase implements ProviderSimulator {
  readonly provider = 'vectorcharts' as const;
  /** The portal base URL (`<root>/api/portal`), for the connection config. */
  url = '';
  /** The server root: the Core API lives at `<root>/core/v1/...`. */
  root = '';
  readonly #key: string;
  readonly #admin: SimUser = {
    id: randomUUID(),
    username: 'admin',
    password: hex(20),
    email: 'admin@charts.example.com',
  };
  readonly #ops: SimUser = { id: 7, username: 'ops', password: hex(20), email: 'ops@charts.example.com' };
  readonly #sessions = new Map<string, SimUser>();
  readonly #tokens = new Map<string, VectorchartsSimToken>();
  readonly #apiTokenCred: VectorchartsSimToken | undefined;
  #logins = 0;

  constructor(options: VectorchartsSimOptions = {}) {
    super();
    this.#key = options.fingerprintKey ?? DEFAULT_FINGERPRINT_KEY;
    this.#routes();
    if (options.demo) this.#seedDemo();
    if (options.auth === 'apiToken') this.#apiTokenCred = this.#add(this.#admin, 'tokenops', null);
  }

  /** Listens on loopback. */
  async listen(port = 0): Promise<this> {
    this.root = await this.server.listen(port);
    this.url = `${this.root}/api/portal`;
    return this;
  }

  connectionConfig(): Record<string, unknown> {
    if (this.#apiTokenCred) return { credentials: { apiToken: this.#apiTokenCred.id } };
    return { credentials: { username: this.#admin.username, password: this.#admin.password } };
  }

  /** Ends every portal session, as a logout or a server restart would. */
  endSessions(): void {
    this.#sessions.clear();
  }

  /** How many logins succeeded. */
  loginCount(): number {
    return this.#logins;
  }

  /** The raw record of a token (holds the secret), for assertions. */
  record(secretId: string): VectorchartsSimToken | undefined {
    return this.#tokens.get(secretId);
  }

  /** Calls the Core API with a token, optionally from a browser Origin; returns the status. */
  async useSecret(secret: string, origin?: string): Promise<number> {
    const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
    if (origin) headers['origin'] = origin;
    const res = await fetch(`${this.root}/core/v1/styles`, { headers });
    await res.body?.cancel();
    return res.status;
  }

  /** `extra.hosts` restricts the token; `extra.user: 'ops'` makes the integer-id user its owner. */
  seedToken(name: string, extra: Record<string, unknown> = {}): { id: string; secret: string } {
    const hosts = Array.isArray(extra['hosts']) ? (extra['hosts'] as string[]) : null;
    const t = this.#add(extra['user'] === 'ops' ? this.#ops : this.#admin, name, hosts);
    return { id: fingerprint(t.id, this.#key).slice(0, 16), secret: t.id };
  }

  close(): Promise<void> {
    return this.server.close();
  }

  #add(user: SimUser, name: string, hosts: string[] | null, createdAt = Date.now()): VectorchartsSimToken {
    const t: VectorchartsSimToken = {
      id: hex(32),
      name,
      userId: user.id,
      userEmail: user.email,
      createdAt,
      lastUsedAt: null,
      restrictions: hosts ? { hosts } : null,
    };
    this.#tokens.set(t.id, t);
    return t;
  }

  /** The user behind a portal bearer: a session, or an API token (which counts as a use). */
  #caller(req: SimRequest): SimUser | undefined {
    const bearer = bearerOf(req) ?? '';
    const session = this.#sessions.get(bearer);
    if (session) return session;
    const t = this.#tokens.get(bearer);
    if (!t) return undefined;
    t.lastUsedAt = Date.now();
    return [this.#admin, this.#ops].find((u) => u.id === t.userId);
  }

  /** Registers a portal route that needs a bearer. */
  #authed(method: string, pattern: RegExp, fn: (req: SimRequest, user: SimUser) => SimResponse): void {
    this.server.route(method, pattern, (req) => {
      const user = this.#caller(req);
      return user ? fn(req, user) : UNAUTHORIZED;
    });
  }

  #routes(): void {
    this.server.route('POST', /^\/api\/portal\/v1\/auth\/login$/, (req) => this.#login(req));
    this.server.route('POST', /^\/api\/portal\/v1\/auth\/logout$/, (req) =>
      this.#sessions.delete(bearerOf(req) ?? '') ? { status: 204 } : UNAUTHORIZED,
    );
    const one = /^\/api\/portal\/v1\/apiTokens\/([^/]+)$/;
    const idOf = (req: SimRequest): string => decodeURIComponent(req.params[0] ?? '');
    this.#authed('GET', /^\/api\/portal\/v1\/apiTokens$/, () => ({ status: 200, body: [...this.#tokens.values()] }));
    this.#authed('POST', /^\/api\/portal\/v1\/apiTokens$/, (req, user) => {
      const b = readBody(req.body, true);
      if (typeof b === 'string') return { status: 400, body: { error: b } };
      return { status: 200, body: this.#add(user, b.name ?? '', b.restrictions?.hosts ?? null) };
    });
    this.#authed('POST', one, (req) => this.#update(idOf(req), req.body));
    this.#authed('DELETE', one, (req) => (this.#tokens.delete(idOf(req)) ? { status: 204 } : NOT_FOUND));
    // The Core API (styles, tiles) accepts API tokens only, as a Bearer header or `?token=`.
    this.server.route('GET', /^\/core\/v1\/(styles|tiles)(\/.*)?$/, (req) => this.#coreUse(req));
  }

  #login(req: SimRequest): SimResponse {
    const b = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const u = [this.#admin, this.#ops].find((x) => x.username === b.username && x.password === b.password);
    if (!u) return { status: 401, body: { error: 'Invalid username or password' } };
    const id = hex(32);
    this.#sessions.set(id, u);
    this.#logins++;
    const user = { id: u.id, email: u.email, isAdmin: u === this.#admin };
    return { status: 200, body: { token: { id, userId: u.id }, user } };
  }

  /** Partial update: omitted fields stay as they are. */
  #update(id: string, body: unknown): SimResponse {
    const t = this.#tokens.get(id);
    if (!t) return NOT_FOUND;
    const b = readBody(body, false);
    if (typeof b === 'string') return { status: 400, body: { error: b } };
    if (b.name !== undefined) t.name = b.name;
    if (b.restrictions !== undefined) t.restrictions = b.restrictions;
    return { status: 200, body: t };
  }

  /** Core API auth: unknown token → 401; a host-restricted token needs a matching Origin, else 403. */
  #coreUse(req: SimRequest): SimResponse {
    const t = this.#tokens.get(bearerOf(req) ?? req.query.get('token') ?? '');
    if (!t) return UNAUTHORIZED;
    const hosts = t.restrictions?.hosts ?? [];
    const origin = header(req, 'origin') ?? '';
    // Documented as an exact comparison against Origin; a bare hostname entry matches that host.
    if (hosts.length > 0 && !hosts.includes(origin) && !hosts.includes(hostOf(origin)))
      return { status: 403, body: { error: 'Origin not allowed' } };
    t.lastUsedAt = Date.now();
    return { status: 200, body: { version: 8, name: 'Vector Charts', sources: {}, layers: [] } };
  }

  #seedDemo(): void {
    const ago = (days: number): number => Date.now() - days * DAY;
    this.#add(this.#admin, 'ci-deploy', null, ago(40));
    this.#add(this.#ops, 'grafana-readonly', ['grafana.example.com'], ago(200));
    this.#add(this.#admin, 'billing-export', null, ago(3));
    this.#add(this.#ops, 'chartplotter-web', ['maps.example.com', 'www.example.com'], ago(90));
    this.#add(this.#admin, 'nightly-tiles', null, ago(400)).lastUsedAt = ago(1);
  }
}

/** The hostname of an Origin header, or '' when it is not a URL. */
function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return '';
  }
}

/** Reads `{name?, restrictions?}`; returns an error text when the body is malformed. */
function readBody(body: unknown, nameRequired: boolean): Update | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as { name?: unknown; restrictions?: unknown };
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.trim() === ''))
    return 'name must be a non-empty string';
  if (nameRequired && b.name === undefined) return 'name is required';
  const r = b.restrictions as { hosts?: unknown } | null | undefined;
  // Documented as an optional object on create: a strict server refuses null there (omit it instead).
  if (nameRequired && r === null) return 'restrictions must be an object; leave it out for no restrictions';
  if (r !== undefined && r !== null) {
    const ok = Array.isArray(r.hosts) && r.hosts.every((h) => typeof h === 'string');
    if (!ok) return 'restrictions.hosts must be an array of strings';
  }
  const out: Update = {};
  if (typeof b.name === 'string') out.name = b.name;
  if (r !== undefined) out.restrictions = r === null ? null : { hosts: [...(r.hosts as string[])] };
  return out;
}

/** Starts the Vector Charts simulator on loopback. */
export async function startVectorchartsSimulator(options: VectorchartsSimOptions = {}): Promise<VectorchartsSimulator> {
  return new VectorchartsSimulator(options).listen(options.port ?? 0);
}

/** The start the generic loader calls (src/local/simulators/index.ts): `npm start`, benches, tests. */
export const startSimulator: StartSimulator = startVectorchartsSimulator;
