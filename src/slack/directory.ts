import type { WebClient } from '@slack/web-api';
import { TokenOpsError } from '../core/errors.js';
import type { Directory, UserFacts } from '../core/ports.js';
import type { Log } from '../core/ports.js';

type Facts = Omit<UserFacts, 'groups'>;

interface Entry<T> {
  value: T;
  at: number;
}

/** How the directory caches and how long one lookup may wait on Slack. */
export interface DirectoryOptions {
  /** Facts younger than this are used without asking Slack. @default 5 min */
  ttlMs?: number;
  /**
   * How much older than `ttlMs` facts may be and still be used when Slack cannot answer (rate limit,
   * outage). Bounded: a guest flag or a removal from a group is never ignored for longer. @default 15 min
   */
  maxStaleMs?: number;
  /**
   * The time one lookup may spend on Slack, waits for Retry-After included. The ingress must ack within
   * Slack's 3 s; the worker has more room. @default 1500
   */
  budgetMs?: number;
  /** Entries kept per kind; the oldest goes first. @default 10000 */
  maxEntries?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: Log;
}

/** Slack could not answer (rate limit, timeout, 5xx): the one case where "try again" is true. */
export class DirectoryUnavailableError extends TokenOpsError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    cause?: unknown,
  ) {
    super('provider_unavailable', message, { cause });
    this.name = 'DirectoryUnavailableError';
  }
}

/** Slack errors that mean "not now" rather than "no". */
const TRANSIENT = new Set(['ratelimited', 'fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);
/** users.info answers for someone who is not (visibly) a member of this workspace. */
const UNKNOWN_USER = new Set(['user_not_found', 'user_not_visible']);

type Outcome = { transient: true; retryAfterMs?: number } | { transient: false; slackError: string };

/** Sorts a WebClient failure: rate limits and transport faults are transient, Slack's own answers are not. */
function classify(err: unknown): Outcome {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error')
    return { transient: true, retryAfterMs: Math.max(0, Number(e.retryAfter ?? 1)) * 1000 };
  if (e.code === 'slack_webapi_platform_error') {
    const slackError = e.data?.error ?? 'unknown_error';
    return TRANSIENT.has(slackError) ? { transient: true } : { transient: false, slackError };
  }
  return { transient: true }; // request errors, timeouts, HTTP 5xx, our own budget timer
}

class BudgetExceeded extends Error {}

/**
 * Users and user groups from Slack (users.info, usergroups.users.list), cached per container so a warm
 * ingress authorizes without a Slack call. One Slack call per user and per group however many requests
 * wait on it (single-flight); Slack's 429 is retried after its Retry-After when that fits the budget;
 * when Slack cannot answer, facts up to `maxStaleMs` past their freshness are used. Fails closed past that.
 *
 * Give it a client with no retries of its own (the SDK's retries would run past the budget).
 */
export class SlackDirectory implements Directory {
  readonly #users = new Map<string, Entry<Facts>>();
  readonly #groups = new Map<string, Entry<ReadonlySet<string>>>();
  readonly #flights = new Map<string, Promise<unknown>>();
  readonly #o: Required<Omit<DirectoryOptions, 'log'>> & { log: Log | undefined };

  constructor(
    private readonly client: WebClient,
    /** User group ids the policy names; only these are looked up. */
    private readonly groupIds: readonly string[],
    options: DirectoryOptions = {},
  ) {
    this.#o = {
      ttlMs: 5 * 60_000,
      maxStaleMs: 15 * 60_000,
      budgetMs: 1500,
      maxEntries: 10_000,
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...options,
      log: options.log,
    };
  }

  async user(userId: string): Promise<UserFacts> {
    const [facts, groups] = await Promise.all([
      this.#cached(this.#users, `user:${userId}`, userId, () => this.#fetchUser(userId)),
      Promise.all(this.groupIds.map((g) => this.#cached(this.#groups, `group:${g}`, g, () => this.#fetchGroup(g)))),
    ]);
    return { ...facts, groups: this.groupIds.filter((_, i) => groups[i]?.has(userId)) };
  }

  /** A fresh entry, or the one Slack call in flight for it, or (Slack failing) a bounded-stale entry. */
  async #cached<T>(cache: Map<string, Entry<T>>, flightKey: string, key: string, fetch: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && this.#o.now() - hit.at < this.#o.ttlMs) return hit.value;
    let flight = this.#flights.get(flightKey) as Promise<T> | undefined;
    if (!flight) {
      flight = fetch()
        .then((value) => {
          cache.delete(key); // re-insert: Map order is the eviction order
          cache.set(key, { value, at: this.#o.now() });
          if (cache.size > this.#o.maxEntries) cache.delete(cache.keys().next().value as string);
          return value;
        })
        .finally(() => this.#flights.delete(flightKey));
      this.#flights.set(flightKey, flight);
    }
    try {
      return await flight;
    } catch (err) {
      const age = hit ? this.#o.now() - hit.at : Infinity;
      if (!(err instanceof DirectoryUnavailableError) || age > this.#o.ttlMs + this.#o.maxStaleMs) throw err;
      this.#o.log?.warn('slack directory: serving cached facts while Slack cannot answer', {
        key: flightKey.split(':')[0],
        ageS: Math.round(age / 1000),
      });
      return (hit as Entry<T>).value;
    }
  }

  /** One Slack call with retries on transient failures, all within the budget. */
  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    const deadline = this.#o.now() + this.#o.budgetMs;
    for (let attempt = 1; ; attempt++) {
      let outcome: Outcome;
      let error: unknown;
      try {
        return await this.#within(deadline, call());
      } catch (err) {
        error = err;
        outcome = err instanceof BudgetExceeded ? { transient: true } : classify(err);
      }
      if (!outcome.transient) throw Object.assign(new Error(outcome.slackError), { slackError: outcome.slackError });
      const wait = outcome.retryAfterMs ?? 100 * 2 ** (attempt - 1);
      if (attempt >= 4 || this.#o.now() + wait >= deadline) {
        const when = outcome.retryAfterMs
          ? `in ${Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))} s`
          : 'in a moment';
        throw new DirectoryUnavailableError(
          `Slack did not answer when tokenops asked ${what}, so nothing was done; try again ${when}.`,
          outcome.retryAfterMs,
          error,
        );
      }
      await this.#o.sleep(wait);
    }
  }

  /** Races a call against the deadline: a hung Slack must not hold the ack past Slack's 3 s. */
  #within<T>(deadline: number, p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BudgetExceeded()), Math.max(0, deadline - this.#o.now()));
    });
    p.catch(() => undefined); // a late failure after the deadline is nobody's business
    return Promise.race([p, expired]).finally(() => clearTimeout(timer));
  }

  async #fetchUser(userId: string): Promise<Facts> {
    let res: Awaited<ReturnType<WebClient['users']['info']>>;
    try {
      res = await this.#call('who you are', () => this.client.users.info({ user: userId }));
    } catch (err) {
      const slackError = (err as { slackError?: string }).slackError;
      if (!slackError) throw err;
      if (UNKNOWN_USER.has(slackError))
        throw new TokenOpsError('denied', 'Slack does not know you as a member of this workspace.');
      throw this.#misconfigured('users.info', slackError, err);
    }
    const u = res.user as
      | {
          team_id?: string;
          is_restricted?: boolean;
          is_ultra_restricted?: boolean;
          is_stranger?: boolean;
          deleted?: boolean;
        }
      | undefined;
    if (!u) throw new DirectoryUnavailableError('Slack sent no answer about you; try again in a moment.', undefined);
    return {
      teamId: u.team_id ?? '',
      isRestricted: !!u.is_restricted,
      isUltraRestricted: !!u.is_ultra_restricted,
      isStranger: !!u.is_stranger,
      deleted: !!u.deleted,
    };
  }

  async #fetchGroup(groupId: string): Promise<ReadonlySet<string>> {
    try {
      const res = await this.#call('about user group members', () =>
        this.client.usergroups.users.list({ usergroup: groupId }),
      );
      return new Set(res.users ?? []);
    } catch (err) {
      const slackError = (err as { slackError?: string }).slackError;
      if (!slackError) throw err;
      if (slackError === 'no_such_subteam') {
        // A group the policy names no longer exists: it grants nothing, and that is an answer.
        this.#o.log?.warn('slack directory: the policy names a user group Slack does not know', { group: groupId });
        return new Set();
      }
      throw this.#misconfigured('usergroups.users.list', slackError, err);
    }
  }

  /** Slack answered, but with an error a retry will not fix (scopes, token): an admin must act. */
  #misconfigured(method: string, slackError: string, cause: unknown): TokenOpsError {
    this.#o.log?.error('slack directory: lookup refused by Slack', { method, slackError });
    return new TokenOpsError(
      'config',
      `tokenops cannot look people up in Slack (${method} said ${slackError.slice(0, 60)}); ask your tokenops admin to check the app's scopes and token.`,
      { cause },
    );
  }
}
