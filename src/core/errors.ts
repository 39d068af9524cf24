/** Stable error codes: callers branch on these, users see friendly text for them. */
export type ErrorCode =
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'invalid_request'
  | 'unsupported'
  | 'provider_unavailable'
  | 'unexpected_response'
  | 'config'
  | 'denied'
  | 'bad_command'
  | 'delivery_failed'
  | 'audit_unavailable'
  | 'conflict'
  | 'internal';

/** Options shared by every tokenops error. */
export interface ErrorOptions {
  cause?: unknown;
  /** Provider type the error came from, when it came from one. */
  provider?: string;
  /** HTTP status the provider answered with, when there was one. */
  status?: number;
}

/**
 * The one base class of every error tokenops raises on purpose. Messages are written for people and
 * must never contain a secret: adapters build them from fixed text and sanitised provider messages.
 */
export class TokenOpsError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: ErrorCode;
  /** Provider type the error came from, if any. */
  readonly provider: string | undefined;
  /** HTTP status from the provider, if any. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenOpsError';
    this.code = code;
    this.provider = options.provider;
    this.status = options.status;
  }

  /** True when retrying the same call later could succeed. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'provider_unavailable';
  }
}

/** The provider said the request was rate limited; `retryAfterMs` is when to try again. */
export class RateLimitedError extends TokenOpsError {
  /** Milliseconds to wait before trying again (from Retry-After, or a default). */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: ErrorOptions = {}) {
    super('rate_limited', message, options);
    this.name = 'RateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** The provider cannot do this action over its API; `where` says where a person can do it instead. */
export class UnsupportedError extends TokenOpsError {
  /** Where the action can be done instead, e.g. "in the Cobalt web app (Settings → API tokens)". */
  readonly where: string;
  constructor(message: string, where: string, options: ErrorOptions = {}) {
    super('unsupported', message, options);
    this.name = 'UnsupportedError';
    this.where = where;
  }
}

/** Delivery of a new secret failed, and so did revoking the new token: someone must revoke it by hand. */
export class UndoFailedError extends TokenOpsError {
  constructor(
    readonly ref: string,
    cause: unknown,
  ) {
    super(
      'delivery_failed',
      `The new secret could not be delivered, and revoking the new token failed too: revoke ${ref} now.`,
      { cause },
    );
    this.name = 'UndoFailedError';
  }
}

/** Narrows an unknown thrown value to a TokenOpsError, wrapping anything else as `internal`. */
export function asTokenOpsError(err: unknown): TokenOpsError {
  if (err instanceof TokenOpsError) return err;
  return new TokenOpsError('internal', 'Something went wrong inside tokenops.', { cause: err });
}
