import { randomBytes, randomUUID } from 'node:crypto';
import {
  header,
  type ProviderSimulator,
  type SimRequest,
  type SimResponse,
  SimulatorBase,
} from '../../local/simulators/base.js';
import type { StartSimulator } from '../../local/simulators/base.js';

/** A Vaultoro API token as the simulator keeps it. */
interface SimToken {
  referenceId: string;
  token: string;
  scopes: string[];
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expires: number;
}

/** Options of the Vaultoro simulator. */
export interface VaultoroSimOptions {
  port?: number;
  /** Seed a handful of realistic tokens. */
  demo?: boolean;
  /** Vaultoro has no pagination. */
  pageSize?: never;
  /**
   * How `/v1/tokens*` wants the main bearer token: `Authorization: Bearer <jwt>` or the raw JWT. The docs
   * show neither ("your main bearer token"), so tests run both readings. @default 'bearer'
   */
  authScheme?: 'bearer' | 'raw';
}

const UNAUTHORIZED: SimResponse = { status: 401, body: { errors: [{ message: 'Unauthorized' }] } };
const DAY_S = 86_400;

/** Random base64url text of `bytes` random bytes. */
function b64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A JWT-looking secret, as the docs' `eyJhbGciOi…` example suggests. */
function jwtLike(): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ jti: randomUUID(), kind: 'api', r: b64url(9) })).toString('base64url');
  return `${head}.${payload}.${b64url(32)}`;
}

/**
 * A faithful Vaultoro simulator (providers.md §1.8): the main bearer token guards `/v1/tokens*`, an
 * empty list is a 404 with `{data: []}`, create needs the dashboard's captcha, and API tokens work on
 * `/v1/me` through the `VTOKEN` header.
 */
export class VaultoroSimulator extends SimulatorBase implements ProviderSimulator {
  readonly provider = 'vaultoro' as const;
  url = '';
  /** The captcha value only "the dashboard" knows: POST /v1/tokens with it succeeds. */
  readonly captcha = b64url(12);
  readonly #mainBearer = jwtLike();
  readonly #tokens = new Map<string, SimToken>();
  #offsetMs = 0;
  readonly #scheme: 'bearer' | 'raw';

  constructor(options: VaultoroSimOptions = {}) {
    super();
    this.#scheme = options.authScheme ?? 'bearer';
    this.#routes();
    if (options.demo) this.#seedDemo();
  }

  /** Listens on loopback. */
  async listen(port = 0): Promise<this> {
    this.url = await this.server.listen(port);
    return this;
  }

  connectionConfig(): Record<string, unknown> {
    return { credentials: { bearerToken: this.#mainBearer }, authScheme: this.#scheme };
  }

  /** Moves the simulator's clock forward (expiry). */
  advanceTime(ms: number): void {
    this.#offsetMs += ms;
  }

  /** How many tokens exist now. */
  tokenCount(): number {
    return this.#tokens.size;
  }

  /** Calls `/v1/me` with the API token in the `VTOKEN` header, spelled as a third-party client does. */
  async useSecret(secret: string): Promise<number> {
    const res = await fetch(`${this.url}/v1/me`, { headers: { Vtoken: secret, 'content-type': 'application/json' } });
    await res.body?.cancel();
    return res.status;
  }

  /** Vaultoro tokens have no names, so `name` is ignored; `extra` may set `scopes` and `expires` (unix s). */
  seedToken(_name: string, extra: Record<string, unknown> = {}): { id: string; secret: string } {
    const scopes = Array.isArray(extra['scopes']) ? (extra['scopes'] as string[]) : ['api'];
    const expires = typeof extra['expires'] === 'number' ? extra['expires'] : this.#nowS() + 90 * DAY_S;
    const t = this.#add(scopes, expires);
    return { id: t.referenceId, secret: t.token };
  }

  close(): Promise<void> {
    return this.server.close();
  }

  #nowS(): number {
    return Math.floor((Date.now() + this.#offsetMs) / 1000);
  }

  #add(scopes: string[], expires: number, createdAt = this.#nowS()): SimToken {
    const t: SimToken = { referenceId: randomUUID(), token: jwtLike(), scopes, createdAt, expires };
    this.#tokens.set(t.referenceId, t);
    return t;
  }

  /** Only the configured reading of "your main bearer token"; a scheme name is case-insensitive. */
  #authorized(req: SimRequest): boolean {
    const h = header(req, 'authorization') ?? '';
    if (this.#scheme === 'raw') return h === this.#mainBearer;
    return /^bearer +(\S+)$/i.exec(h)?.[1] === this.#mainBearer;
  }

  #routes(): void {
    const guard = (fn: (req: SimRequest) => SimResponse) => (req: SimRequest) =>
      this.#authorized(req) ? fn(req) : UNAUTHORIZED;
    this.server.route(
      'GET',
      /^\/v1\/tokens\/?$/,
      guard(() => {
        const data = [...this.#tokens.values()].map(({ expires, scopes, createdAt, referenceId }) => ({
          expires,
          scopes,
          createdAt,
          referenceId,
        }));
        // Documented quirk: an account without tokens gets 404 with an empty list.
        return { status: data.length === 0 ? 404 : 200, body: { data } };
      }),
    );
    this.server.route(
      'POST',
      /^\/v1\/tokens\/?$/,
      guard((req) => this.#create(req.body)),
    );
    this.server.route(
      'DELETE',
      /^\/v1\/tokens\/([^/]+)$/,
      guard((req) =>
        this.#tokens.delete(decodeURIComponent(req.params[0] ?? ''))
          ? { status: 200, body: { data: { success: true } } }
          : { status: 404, body: { errors: [{ message: 'Token not found' }] } },
      ),
    );
    // Managed tokens authenticate with VTOKEN (Node lower-cases header names, so any spelling works).
    this.server.route('GET', /^\/v1\/me\/?$/, (req) => {
      const t = [...this.#tokens.values()].find((x) => x.token === header(req, 'vtoken'));
      if (!t || t.expires <= this.#nowS()) return UNAUTHORIZED;
      return { status: 200, body: { data: { id: 'u-3a91', email: 'treasury@example.com', verified: true } } };
    });
  }

  /** Create is dashboard-only in practice: without the dashboard's captcha it is refused. */
  #create(body: unknown): SimResponse {
    const b = (body ?? {}) as { captcha?: unknown; scope?: unknown; expires?: unknown };
    if (b.captcha !== this.captcha) return { status: 403, body: { errors: [{ message: 'Invalid captcha' }] } };
    if (b.scope !== 'read' && b.scope !== 'write')
      return { status: 400, body: { errors: [{ message: 'scope must be read or write' }] } };
    if (typeof b.expires !== 'number' || b.expires <= this.#nowS())
      return { status: 400, body: { errors: [{ message: 'expires must be a future unix time' }] } };
    // The list shows `scopes: ["api"]` whatever scope was asked for; the mapping is undocumented.
    const t = this.#add(['api'], b.expires);
    return { status: 200, body: { data: { expires: t.expires, referenceId: t.referenceId, token: t.token } } };
  }

  /** Demo tokens: mixed scopes and expiries, one already expired. */
  #seedDemo(): void {
    const now = this.#nowS();
    this.#add(['api'], now + 180 * DAY_S, now - 40 * DAY_S);
    this.#add(['api'], now + 20 * DAY_S, now - 345 * DAY_S);
    this.#add(['read'], now + 365 * DAY_S, now - 2 * DAY_S);
    this.#add(['write'], now + 30 * DAY_S, now - 60 * DAY_S);
    this.#add(['api'], now - 5 * DAY_S, now - 370 * DAY_S);
  }
}

/** Starts the Vaultoro simulator on loopback. */
export async function startVaultoroSimulator(options: VaultoroSimOptions = {}): Promise<VaultoroSimulator> {
  return new VaultoroSimulator(options).listen(options.port ?? 0);
}

/** The start the generic loader calls (src/local/simulators/index.ts): `npm start`, benches, tests. */
export const startSimulator: StartSimulator = startVaultoroSimulator;
