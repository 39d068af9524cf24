import type { JobQueue } from '../commands/job.js';
import type { AppConfig } from '../config/schema.js';
import type { SlackSecrets } from '../config/load.js';
import type { AdapterDeps } from '../providers/adapter-deps.js';
import { ProviderRegistry, type CredentialResolver } from '../providers/registry.js';
import type { Stores } from '../store/dynamo-store.js';
import { policyGroups } from '../core/policy.js';
import { SlackDirectory } from '../slack/directory.js';
import type { Log } from '../core/ports.js';
import type { Telemetry } from '../core/telemetry.js';
import { JobRunner, type JobRunnerDeps } from './job-runner.js';
import { LeakIntake, type LeakIntakeDeps } from './leak-intake.js';
import { SlackOutput } from '../slack/output.js';
import { directoryClient, slackClient } from '../slack/web-client.js';

// The ingress half lives in compose-ingress.ts so the ingress Lambda bundle never reaches the
// provider adapters imported here; re-exported for callers that compose both halves.

/** What the worker and the leak intake are built from. */
export interface WorkerArgs {
  config: AppConfig;
  slack: SlackSecrets;
  fingerprintKey: string;
  stores: Stores;
  queue: JobQueue;
  resolveCredentials: CredentialResolver;
  log: Log;
  adapterDeps?: Partial<AdapterDeps>;
  /** Operational metrics; provider calls are reported through the adapters' HTTP clients. */
  telemetry?: Telemetry;
  /** How long a bulk job's worker holds a token before another may take it over, ms. @default 60000 */
  bulkLeaseMs?: number;
}

/** Builds the worker's job runner: adapters, stores, Slack output, all behind their ports. */
export function composeWorker(args: WorkerArgs): { runner: JobRunner; registry: ProviderRegistry } {
  const deps = workerDeps(args);
  return { runner: new JobRunner(deps), registry: deps.registry };
}

/** The leak intake (`POST /leaks`): the worker's adapters, stores and Slack output, plus its door. */
export function composeLeakIntake(args: WorkerArgs & Pick<LeakIntakeDeps, 'replay' | 'signingSecret'>): LeakIntake {
  const policy = args.config.incident.leakPolicy;
  return new LeakIntake({
    ...workerDeps(args),
    replay: args.replay,
    signingSecret: args.signingSecret,
    policyFor: (provider) => policy[provider as keyof typeof policy] ?? policy['*'] ?? 'propose',
    teamId: args.config.slack.allowedTeams[0] as string,
  });
}

function workerDeps(args: WorkerArgs): JobRunnerDeps {
  const { config } = args;
  const client = slackClient({
    token: args.slack.botToken,
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    retries: config.slack.retries,
  });
  const registry = new ProviderRegistry(
    config.connections,
    { fingerprintKey: args.fingerprintKey, telemetry: args.telemetry, ...args.adapterDeps },
    args.resolveCredentials,
  );
  return {
    registry,
    stores: args.stores,
    // The worker has no 3 s deadline: it may wait out a longer Retry-After before it gives up.
    directory: new SlackDirectory(
      directoryClient(config.slack, args.slack.botToken, 3000),
      policyGroups(config.policy),
      {
        budgetMs: 10_000,
        log: args.log,
      },
    ),
    policy: config.policy,
    allowedTeams: config.slack.allowedTeams,
    fingerprintKey: args.fingerprintKey,
    output: new SlackOutput(client, {
      auditChannel: config.slack.auditChannel,
      approvalsChannel: config.slack.approvalsChannel,
      apiUrl: config.slack.apiUrl,
      timeoutMs: config.slack.timeoutMs,
      log: args.log,
    }),
    queue: args.queue,
    log: args.log,
    reminderDays: config.expiryReminderDays,
    auditChannel: config.slack.auditChannel,
    bulkLeaseMs: args.bulkLeaseMs,
    bulkConfirmThreshold: config.incident.bulkConfirmThreshold,
    telemetry: args.telemetry,
    incident: {
      leakPolicy: (provider) => {
        const policy = config.incident.leakPolicy;
        return policy[provider as keyof typeof policy] ?? policy['*'] ?? 'propose';
      },
      onDeactivation: config.incident.onDeactivation ?? 'ask',
    },
  };
}
