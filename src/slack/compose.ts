import { App, LogLevel, type Receiver } from '@slack/bolt';
import type { JobQueue } from '../commands/job.js';
import type { AppConfig } from '../config/schema.js';
import type { SlackSecrets } from '../config/load.js';
import { policyUsesGroups } from '../core/policy.js';
import type { AdapterDeps } from '../providers/adapter-deps.js';
import { ProviderRegistry, type CredentialResolver } from '../providers/registry.js';
import type { Stores } from '../store/dynamo-store.js';
import { SlackDirectory } from './directory.js';
import { registerListeners } from './ingress.js';
import { JobRunner, type Log } from './job-runner.js';
import { SlackOutput } from './output.js';
import { slackClient } from './web-client.js';

/** Web API client options shared by Bolt's client and ours: bounded retries, short timeouts. */
function clientOptions(config: AppConfig): Record<string, unknown> {
  return {
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

/** User group ids the policy names. */
function policyGroups(config: AppConfig): string[] {
  return policyUsesGroups(config.policy) ? config.policy.members.flatMap((m) => (m.group ? [m.group] : [])) : [];
}

/** Builds the Bolt app of the ingress on a receiver (AWS Lambda, or Socket Mode), with its listeners. */
export function composeIngress(args: {
  config: AppConfig;
  slack: SlackSecrets;
  receiver: Receiver;
  queue: JobQueue;
  fingerprintKey: () => Promise<string>;
  log: Log;
}): App {
  const { config, slack } = args;
  const app = new App({
    token: slack.botToken,
    receiver: args.receiver,
    // Given ids, Bolt skips auth.test at start-up: no Slack call in the cold start.
    ...(config.slack.botId && config.slack.botUserId
      ? { botId: config.slack.botId, botUserId: config.slack.botUserId }
      : {}),
    clientOptions: clientOptions(config),
    logLevel: LogLevel.ERROR,
  });
  registerListeners(app, {
    queue: args.queue,
    directory: new SlackDirectory(app.client, policyGroups(config)),
    policy: config.policy,
    allowedTeams: config.slack.allowedTeams,
    connections: config.connections.map((c) => ({ provider: c.provider, connection: c.name })),
    fingerprintKey: args.fingerprintKey,
    log: args.log,
  });
  return app;
}

/** Builds the worker's job runner: adapters, stores, Slack output, all behind their ports. */
export function composeWorker(args: {
  config: AppConfig;
  slack: SlackSecrets;
  fingerprintKey: string;
  stores: Stores;
  queue: JobQueue;
  resolveCredentials: CredentialResolver;
  log: Log;
  adapterDeps?: Partial<AdapterDeps>;
}): { runner: JobRunner; registry: ProviderRegistry } {
  const { config } = args;
  const client = slackClient({
    token: args.slack.botToken,
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    retries: config.slack.retries,
  });
  const registry = new ProviderRegistry(
    config.connections,
    { fingerprintKey: args.fingerprintKey, ...args.adapterDeps },
    args.resolveCredentials,
  );
  const runner = new JobRunner({
    registry,
    stores: args.stores,
    directory: new SlackDirectory(client, policyGroups(config)),
    policy: config.policy,
    allowedTeams: config.slack.allowedTeams,
    fingerprintKey: args.fingerprintKey,
    output: new SlackOutput(client, {
      auditChannel: config.slack.auditChannel,
      approvalsChannel: config.slack.approvalsChannel,
      apiUrl: config.slack.apiUrl,
      timeoutMs: config.slack.timeoutMs,
    }),
    queue: args.queue,
    log: args.log,
  });
  return { runner, registry };
}
