import { App, LogLevel, type Receiver } from '@slack/bolt';
import { configuredOwnCredentials } from '../commands/access.js';
import type { JobQueue } from '../commands/job.js';
import type { AppConfig } from '../config/schema.js';
import type { SlackSecrets } from '../config/load.js';
import { policyGroups } from '../core/policy.js';
import { SlackDirectory } from './directory.js';
import { directoryClient } from './web-client.js';
import { registerListeners } from './ingress.js';
import type { Log } from '../core/ports.js';

// Kept apart from compose.ts on purpose: the ingress Lambda imports this module, and nothing here may
// reach src/providers/* (adapters, undici), the store or the job runner. compose.ts re-exports it.

/** Web API client options shared by Bolt's client and ours: bounded retries, short timeouts. */
export function clientOptions(config: AppConfig, fetchFn?: typeof fetch): Record<string, unknown> {
  return {
    // The ingress Lambda passes a node:https fetch (handlers/https-fetch.ts): the global one loads
    // undici on the first Slack call of a cold start. Bolt uses it for respond() too.
    ...(fetchFn ? { fetch: fetchFn } : {}),
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    timeout: config.slack.timeoutMs,
    retryConfig: {
      retries: config.slack.retries,
      factor: 2,
      minTimeout: 100,
      maxTimeout: 1000,
      randomize: true,
      maxRetryTime: 2500,
    },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
  };
}

/**
 * What one authorization may spend on Slack in the ingress, Retry-After waits included: Slack gives the
 * ack 3 s, and the request has already travelled and been checked before it gets here.
 */
export const INGRESS_DIRECTORY_BUDGET_MS = 1500;

/** Builds the Bolt app of the ingress on a receiver (AWS Lambda, or Socket Mode), with its listeners. */
export function composeIngress(args: {
  config: AppConfig;
  slack: SlackSecrets;
  receiver: Receiver;
  queue: JobQueue;
  fingerprintKey: () => Promise<string>;
  log: Log;
  /** What one authorization may spend on Slack. @default INGRESS_DIRECTORY_BUDGET_MS */
  directoryBudgetMs?: number;
  /** The current request's correlation id (see IngressDeps). */
  correlationId?: () => string;
  /** The HTTP client of Bolt and its Web API client. @default the global fetch */
  fetch?: typeof fetch;
}): App {
  const { config, slack } = args;
  const app = new App({
    token: slack.botToken,
    receiver: args.receiver,
    // Given ids, Bolt skips auth.test at start-up: no Slack call in the cold start.
    ...(config.slack.botId && config.slack.botUserId
      ? { botId: config.slack.botId, botUserId: config.slack.botUserId }
      : {}),
    clientOptions: clientOptions(config, args.fetch),
    logLevel: LogLevel.ERROR,
    // No listener keeps conversation state; Bolt's default store would look it up (and throw a
    // "not found" Error, stack trace and all) on every request.
    convoStore: false,
  });
  // Listener failures are logged by name, never as a stack trace with the request in it.
  app.error(async (error) => {
    args.log.error('ingress listener failed', { error: error.name, code: (error as { code?: string }).code });
  });
  const budget = args.directoryBudgetMs ?? INGRESS_DIRECTORY_BUDGET_MS;
  const groups = policyGroups(config.policy);
  registerListeners(app, {
    queue: args.queue,
    directory: new SlackDirectory(
      directoryClient(config.slack, slack.botToken, Math.min(budget, 1200), args.fetch),
      groups,
      {
        budgetMs: budget,
        log: args.log,
      },
    ),
    policy: config.policy,
    allowedTeams: config.slack.allowedTeams,
    connections: config.connections.map((c) => ({ provider: c.provider, connection: c.name })),
    ownCredentials: configuredOwnCredentials(config.connections),
    fingerprintKey: args.fingerprintKey,
    log: args.log,
    correlationId: args.correlationId,
  });
  return app;
}
