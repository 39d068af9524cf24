import { Agent, request, type Dispatcher } from 'undici';
import { RateLimitedError, TokenOpsError, type ErrorCode } from '../core/errors.js';
import type { RequestGate } from '../core/rate-limit.js';
import { type ProviderType } from '../core/token.js';
import { providerLabel } from './descriptors.js';
import { remainingMs } from '../core/deadline.js';
import { redact } from '../core/secret.js';
import { statusClass, type Telemetry } from '../core/telemetry.js';

/** Anything with zod's `safeParse` (classic or mini). */
export interface Schema<T> {
  safeParse(
    data: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Settings of one provider connection's HTTP client. */
export interface HttpClientOptions {
  provider: ProviderType;
  baseUrl: string;
  /** Headers on every request (auth, Accept). Never logged. */
  headers: Record<string, string>;
  /** Per-attempt timeout. @default 10000 */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests. @default 2 */
  maxRetries?: number;
  /** First backoff step; grows ×2 per attempt with full jitter. @default 200 */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for; the caller gets RateLimitedError. @default 5000 */
  maxRetryAfterMs?: number;
  /**
   * The provider's documented fixed rate-limit window. A 429/509 without Retry-After (Mailtrap and
   * Cobalt document none, only `X-Ratelimit-*` / `X-Rate-Limit-*` counts) waits this long, the worst
   * case until the window resets, instead of hammering a budget that is already spent. @default 1000
   */
  rateLimitWindowMs?: number;
  /** Pulls the provider's own message out of an error body. */
  errorMessage?: (body: unknown) => string | undefined;
  /** Shared connection pool. @default a module-wide keep-alive Agent */
  dispatcher?: Dispatcher;
  /** Injected for tests of the retry policy. @default setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Counts every attempt by status class and every rate-limit wait. @default none */
  telemetry?: Pick<Telemetry, 'providerCall' | 'rateLimitWait'> | undefined;
  /** The credential's shared rate limit: every attempt waits for it, and a 429/509 slows it down. */
  gate?: RequestGate | undefined;
}

/** One request. `op` labels it in errors and logs; the URL never appears there. */
export interface HttpRequest<T> {
  op: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  /** Whether a retry is safe. @default GET, PUT and DELETE are; POST and PATCH are not */
  idempotent?: boolean;
  /** Statuses handed back to the caller instead of raising (e.g. Vaultoro's empty-list 404). */
  passStatuses?: readonly number[];
  /** Validates a 2xx JSON body (and passStatuses bodies). Omit for empty bodies. */
  schema?: Schema<T>;
  /** Values to scrub from any provider text that reaches an error (e.g. a secret in the path). */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

/** A parsed response. */
export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

const sharedAgent = new Agent({ keepAliveTimeout: 30_000, connections: 32, pipelining: 1 });

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Maps an HTTP status to the error code callers branch on. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429 || status === 509) return 'rate_limited';
  if (status === 400 || status === 405 || status === 406 || status === 422) return 'invalid_request';
  if (status >= 500) return 'provider_unavailable';
  return 'unexpected_response';
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504, 509]);
/** Rate-limit retries of a request that is not idempotent (a create): each waits out Retry-After. */
const NON_IDEMPOTENT_RATE_LIMIT_RETRIES = 3;
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Friendly words for an error code, used to build messages that never quote a URL. */
const CODE_TEXT: Record<string, string> = {
  auth: 'rejected the credentials tokenops uses',
  forbidden: 'refused the action for these credentials',
  not_found: 'does not know that token',
  conflict: 'reported a conflict',
  rate_limited: 'is rate limiting tokenops',
  invalid_request: 'rejected the request',
  provider_unavailable: 'is unavailable',
  unexpected_response: 'answered in an unexpected way',
};

/**
 * The HTTP client every adapter uses: keep-alive connections, a timeout per attempt, bounded jittered
 * retries for idempotent requests only, Retry-After honoured, bodies parsed with zod, statuses mapped
 * to typed errors whose text names the operation and never the URL.
 */
export class HttpClient {
  readonly provider: ProviderType;
  readonly #o: Required<Omit<HttpClientOptions, 'errorMessage' | 'telemetry' | 'gate'>> &
    Pick<HttpClientOptions, 'errorMessage' | 'telemetry' | 'gate'>;
  readonly #base: URL;

  constructor(options: HttpClientOptions) {
    this.provider = options.provider;
    this.#o = {
      rateLimitWindowMs: 1_000,
      timeoutMs: 10_000,
      maxRetries: 2,
      retryBaseMs: 200,
      maxRetryAfterMs: 5_000,
      dispatcher: sharedAgent,
      sleep: defaultSleep,
      // An explicit undefined (an unset config field) must not erase a default.
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as HttpClientOptions),
    };
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /** Builds the absolute URL for a path relative to the base URL (a leading slash is kept relative). */
  url(path: string, query?: HttpRequest<unknown>['query']): URL {
    const u = new URL(path.replace(/^\//, ''), this.#base);
    // Paths can come from providers (next-page links): never let one carry our credentials elsewhere.
    if (u.origin !== this.#base.origin) {
      throw new TokenOpsError(
        'unexpected_response',
        `${providerLabel(this.provider)} pointed to another host; the request was not sent.`,
        { provider: this.provider },
      );
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /**
   * Sends a request with the retry policy and returns the parsed body. An idempotent request is retried
   * on rate limits, 5xx and network faults. Any other request is retried only on a rate limit (429/509):
   * that answer proves nothing was done, whereas after a timeout or a 5xx it may have been. Waits must
   * fit the job's time budget (core/deadline.ts) with room for one more attempt.
   */
  async send<T = undefined>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const attempts = idempotent ? this.#o.maxRetries + 1 : 1 + NON_IDEMPOTENT_RATE_LIMIT_RETRIES;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.#attempt(req);
      } catch (err) {
        last = err;
        const wait =
          idempotent || err instanceof RateLimitedError ? this.#retryDelay(err, attempt, idempotent) : undefined;
        if (attempt === attempts || wait === undefined || req.signal?.aborted) break;
        if (err instanceof RateLimitedError) this.#o.telemetry?.rateLimitWait(this.provider, wait);
        await this.#o.sleep(wait, req.signal);
      }
    }
    throw last;
  }

  /** Whether a wait, then one more attempt at its full timeout, ends before the job's deadline. */
  #fitsBudget(waitMs: number): boolean {
    const left = remainingMs();
    return left === undefined || waitMs + this.#o.timeoutMs <= left;
  }

  #retryDelay(err: unknown, attempt: number, idempotent: boolean): number | undefined {
    const delay = this.#backoff(err, attempt, idempotent);
    return delay !== undefined && this.#fitsBudget(delay) ? delay : undefined;
  }

  #backoff(err: unknown, attempt: number, idempotent: boolean): number | undefined {
    if (err instanceof RateLimitedError) {
      // A read answers sooner with "try again in N s"; a create that the user is waiting on is worth a
      // longer wait, as long as it fits the job's budget.
      const cap = idempotent || remainingMs() === undefined ? this.#o.maxRetryAfterMs : Infinity;
      return err.retryAfterMs <= cap ? err.retryAfterMs : undefined;
    }
    if (err instanceof TokenOpsError && (err.status === undefined || !RETRY_STATUSES.has(err.status))) {
      if (err.code !== 'provider_unavailable') return undefined;
    }
    const cap = this.#o.retryBaseMs * 2 ** (attempt - 1);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  async #attempt<T>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    const signals = [AbortSignal.timeout(this.#o.timeoutMs)];
    if (req.signal) signals.push(req.signal);
    const headers: Record<string, string> = { ...this.#o.headers, ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    const url = this.url(req.path, req.query);
    await this.#o.gate?.acquire(req.method, req.signal);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.#o.dispatcher,
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      this.#o.telemetry?.providerCall(this.provider, statusClass(undefined));
      throw this.#networkError(req, err);
    }
    this.#o.telemetry?.providerCall(this.provider, statusClass(res.statusCode));
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw this.#networkError(req, err);
    }
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if ((res.statusCode === 429 || res.statusCode === 509) && this.#o.gate)
      await this.#o.gate.slowDown(req.method, parseRetryAfter(res.headers['retry-after']));
    if (!ok && !req.passStatuses?.includes(res.statusCode)) throw this.#statusError(req, res, text);
    return { status: res.statusCode, headers: res.headers, body: this.#parse(req, text, res.statusCode) };
  }

  #parse<T>(req: HttpRequest<T>, text: string, status: number): T {
    if (!req.schema) return undefined as T;
    let data: unknown;
    try {
      data = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      // No cause: JSON.parse's message quotes the body, which may hold a secret (Triton lists do).
      throw this.#error('unexpected_response', req, status, 'answered with something that is not JSON');
    }
    const parsed = req.schema.safeParse(data);
    if (!parsed.success) {
      // Name the fields that did not fit, never their values: they may be secrets.
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => i.path.join('.') || '(body)')
        .join(', ');
      throw this.#error('unexpected_response', req, status, `answered in an unexpected shape (at ${where})`);
    }
    return parsed.data;
  }

  #statusError(req: HttpRequest<unknown>, res: Dispatcher.ResponseData, text: string): TokenOpsError {
    const code = codeForStatus(res.statusCode);
    let detail: string | undefined;
    try {
      detail = this.#o.errorMessage?.(JSON.parse(text));
    } catch {
      detail = undefined; // an HTML error page or other non-JSON: say nothing of it
    }
    const label = providerLabel(this.provider);
    let message = `${label} ${CODE_TEXT[code] ?? 'failed'} (${req.op}, HTTP ${res.statusCode})`;
    if (detail)
      message += `: ${scrubCredentials(redact(detail.replace(/\s+/g, ' '), req.secrets ?? [])).slice(0, 200)}`;
    const opts = { provider: this.provider, status: res.statusCode };
    if (code === 'rate_limited') {
      const after = parseRetryAfter(res.headers['retry-after']) ?? this.#o.rateLimitWindowMs;
      return new RateLimitedError(`${message}. Try again in ${Math.ceil(after / 1000)} s.`, after, opts);
    }
    return new TokenOpsError(code, `${message}.`, opts);
  }

  #networkError(req: HttpRequest<unknown>, err: unknown): TokenOpsError {
    const e = err as { name?: string; code?: string };
    if (req.signal?.aborted)
      return this.#error('provider_unavailable', req, undefined, 'call was cancelled', undefined);
    const timeout =
      e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
    const what = timeout
      ? `did not answer within ${this.#o.timeoutMs} ms`
      : NETWORK_CODES.has(e.code ?? '')
        ? `dropped the connection (${e.code})`
        : 'could not be reached';
    // The cause is kept for the logs but holds no URL: undici errors name only host and code.
    return this.#error('provider_unavailable', req, undefined, what, undefined);
  }

  #error(
    code: ErrorCode,
    req: HttpRequest<unknown>,
    status: number | undefined,
    what: string,
    cause?: unknown,
  ): TokenOpsError {
    const label = providerLabel(this.provider);
    const statusText = status === undefined ? '' : `, HTTP ${status}`;
    return new TokenOpsError(code, `${label} ${what} (${req.op}${statusText}).`, {
      provider: this.provider,
      status,
      cause,
    });
  }
}

/**
 * Masks anything in provider text that looks like a credential: a provider may echo a token we never
 * saw, so exact-match redaction cannot catch it. A run of 16+ id characters is masked when it mixes
 * letters and digits, or when it is as varied as random text (≥ 4 bits of entropy per character, e.g.
 * `sk_live_ABCDEFGHIJKLMNOPQRSTUVWXyz`), which words and constants such as `BANDWIDTH_LIMIT_EXCEEDED`
 * are not.
 */
export function scrubCredentials(text: string): string {
  return text.replace(/[A-Za-z0-9_\-.~+/=]{16,}/g, (m) =>
    (/[0-9]/.test(m) && /[A-Za-z]/.test(m)) || entropyPerChar(m) >= 4 ? '[redacted]' : m,
  );
}

/** Shannon entropy of the characters of `s`, in bits per character. */
function entropyPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}
