/**
 * Slack's Web API rate limits, per method and per workspace, as the stand-in enforces them when asked
 * to: a sliding one-minute window, then HTTP 429 with `Retry-After` (seconds) until the oldest call in
 * the window ages out. Tiers from https://api.slack.com/docs/rate-limits ("N+ per minute": the floor).
 */
export const SLACK_TIERS = { tier1: 1, tier2: 20, tier3: 50, tier4: 100 } as const;

/** The methods tokenops calls and their published tiers (chat.postMessage's per-channel limit is not modelled). */
export const SLACK_METHOD_LIMITS: Record<string, number> = {
  'auth.test': SLACK_TIERS.tier4,
  'users.info': SLACK_TIERS.tier4,
  'usergroups.users.list': SLACK_TIERS.tier2,
  'conversations.open': SLACK_TIERS.tier3,
  'chat.postEphemeral': SLACK_TIERS.tier4,
  'views.open': SLACK_TIERS.tier4,
  'views.update': SLACK_TIERS.tier4,
  'views.push': SLACK_TIERS.tier4,
};

/** Calls per window for each limited method; `windowMs` defaults to Slack's minute. */
export interface RateLimitOptions {
  perWindow: Record<string, number>;
  windowMs?: number;
}

/** Counts calls per method in a sliding window; answers how long to wait when one is over its limit. */
export class RateLimiter {
  readonly #calls = new Map<string, number[]>();
  /** Calls answered 429, per method. */
  readonly limited = new Map<string, number>();

  constructor(private readonly o: RateLimitOptions) {}

  /** Records a call at `now`; returns the Retry-After in seconds when it is over the limit (not recorded then). */
  take(method: string, now: number): number | undefined {
    const limit = this.o.perWindow[method];
    if (limit === undefined) return undefined;
    const windowMs = this.o.windowMs ?? 60_000;
    const recent = (this.#calls.get(method) ?? []).filter((t) => now - t < windowMs);
    this.#calls.set(method, recent);
    if (recent.length < limit) {
      recent.push(now);
      return undefined;
    }
    this.limited.set(method, (this.limited.get(method) ?? 0) + 1);
    return Math.max(1, Math.ceil(((recent[0] as number) + windowMs - now) / 1000));
  }
}
