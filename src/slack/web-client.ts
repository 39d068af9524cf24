import { WebClient, LogLevel } from '@slack/web-api';

/** Web API client settings: bounded retries and timeouts (the SDK default of ~30 min is wrong on Lambda). */
export interface SlackClientOptions {
  token: string;
  /** Base URL; a local stand-in in tests and `npm start`. @default https://slack.com/api/ */
  apiUrl?: string | undefined;
  /** @default 5000 */
  timeoutMs?: number;
  /** @default 2 */
  retries?: number;
}

/** Builds a WebClient that gives up within seconds and rejects rate-limited calls instead of sleeping. */
export function slackClient(o: SlackClientOptions): WebClient {
  return new WebClient(o.token, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    timeout: o.timeoutMs ?? 5000,
    retryConfig: {
      retries: o.retries ?? 2,
      factor: 2,
      minTimeout: 100,
      maxTimeout: 1000,
      randomize: true,
      maxRetryTime: 4000,
    },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    allowAbsoluteUrls: false,
  });
}

/**
 * The directory's own client: no SDK retries (the directory retries within its budget, honouring
 * Retry-After) and a short timeout per call.
 */
export function directoryClient(
  slack: { apiUrl?: string | undefined },
  token: string,
  timeoutMs = 1200,
  fetchFn?: typeof fetch,
): WebClient {
  return new WebClient(token, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    // The ingress passes its node:https fetch, like the Bolt client's (see clientOptions).
    ...(fetchFn ? { fetch: fetchFn } : {}),
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    allowAbsoluteUrls: false,
  });
}
