import type { Server } from 'node:http';
import { AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import type { AppConfig } from '../config/schema.js';
import type { SlackSecrets } from '../config/load.js';
import { credentialResolver } from '../config/load.js';
import type { ConnectionConfig } from '../providers/config.js';
import { InProcessQueue } from '../queue/in-process.js';
import { composeLeakIntake, composeWorker } from '../worker/compose.js';
import { composeIngress } from '../slack/compose-ingress.js';
import { withDoor } from '../slack/door.js';
import { JOB_BUDGET_MS } from '../handlers/batch.js';
import type { Log } from '../core/ports.js';
import type { Telemetry } from '../core/telemetry.js';
import type { RateRule } from '../core/rate-limit.js';
import type { ProviderType } from '../core/token.js';
import type { JobRunner } from '../worker/job-runner.js';
import { dynamoStores, type Stores } from '../store/dynamo-store.js';
import { DynamoRateLimiter } from '../store/rate-buckets.js';
import { DynamoReplayGuard } from '../store/replay-guard.js';
import { leakHttpHandler } from '../handlers/leaks.js';
import { documentClient } from '../store/table.js';
import { DESCRIPTORS } from '../providers/descriptors.js';
import type { ProviderSimulator } from './simulators/base.js';
import { startSimulator } from './simulators/index.js';
import { DEMO_LEAK_POLICY, DEMO_POLICY, DEMO_USERS, LOCAL } from './demo.js';
import { startLocalDynamo, type LocalDynamo } from './dynalite.js';
import { serveLambda, type HttpApiHandler } from './lambda-bridge.js';
import { startSlackStandin, type SlackStandin, type StandinUser } from './slack-standin/index.js';

/** Options of the local stack. */
export interface LocalStackOptions {
  /** Port of the Slack stand-in and console. @default 0 (any) */
  port?: number;
  /** Port of the bot's request URL (the ingress). @default port + 1 when port is set, else any */
  botPort?: number;
  /** Folder for dynalite's data (kept across restarts); undefined keeps it in memory. */
  dataDir?: string;
  /** Folder where the in-process queue keeps unfinished jobs across restarts; undefined keeps them in memory. */
  queueDir?: string;
  /** Seeds the simulators with demo tokens. @default true */
  demo?: boolean;
  /** Where log lines go. @default nowhere */
  log?: Log;
  /** Shrinks queue delays (tests). @default 1 */
  delayScale?: number;
  /** More workspace members than the demo users (load tests). */
  extraUsers?: StandinUser[];
  /** The Slack stand-in enforces Slack's per-method rate limits. @default false */
  slackRateLimits?: boolean;
  /** How long the stand-in waits for an ack before it shows operation_timeout, ms. @default 3000 (Slack's) */
  ackTimeoutMs?: number;
  /** What one ingress authorization may spend on Slack, ms. @default the ingress default (1500) */
  directoryBudgetMs?: number;
  /** Adapter retry tuning (tests make backoff fast). */
  retry?: { maxRetries?: number; retryBaseMs?: number; maxRetryAfterMs?: number };
  /** Where the worker reports its metrics (CloudWatch EMF on AWS). @default nowhere */
  telemetry?: Telemetry;
  /** Leak policy per provider. @default Mailtrap and Vector Charts autoRevoke, the rest propose */
  leakPolicy?: AppConfig['incident']['leakPolicy'];
  /** What happens to a deactivated user's tokens. @default ask (a card to security) */
  onDeactivation?: AppConfig['incident']['onDeactivation'];
  /** The documented rate limits the shared limiter keeps (tests and the bench scale windows down). */
  rateRules?: Record<ProviderType, readonly RateRule[]>;
  /** Scales the simulators' own rate-limit windows (Cobalt enforces its documented one). @default 1 */
  simWindowScale?: number;
  /** The limiter's margin per window for clock skew, ms. @default 250 */
  rateMarginMs?: number;
  /** Workers sharing the queue (each with its own adapters and limiter cache, one table). @default 1 */
  workers?: number;
  /** Jobs the in-process queue runs at once. @default 8 */
  concurrency?: number;
  /** How long a bulk job's worker holds a token before another may take it over, ms. @default 60000 */
  bulkLeaseMs?: number;
}

/** The running local stack: the real app with local edges. */
export interface LocalStack {
  config: AppConfig;
  slack: SlackSecrets;
  standin: SlackStandin;
  /** The bot's request URL (signed Slack requests go here). */
  requestUrl: string;
  /** The leak intake, `POST /leaks` on the same server. */
  leaksUrl: string;
  queue: InProcessQueue;
  stores: Stores;
  runner: JobRunner;
  sims: Record<string, ProviderSimulator>;
  dynamo: LocalDynamo;
  close(): Promise<void>;
}

const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Starts one simulator per local connection of every provider (`localConnections` in its descriptor,
 * e.g. Triton's prod and staging) and returns them with their connections.
 */
async function startSimulators(
  demo: boolean,
  windowScale = 1,
): Promise<{ sims: Record<string, ProviderSimulator>; connections: ConnectionConfig[] }> {
  const wanted = DESCRIPTORS.flatMap((d) => (d.localConnections ?? ['default']).map((name) => [d.type, name] as const));
  const started = await Promise.all(
    wanted.map(async ([provider, name]) => {
      const sim = await startSimulator(provider, {
        demo,
        fingerprintKey: LOCAL.fingerprintKey,
        rateWindowScale: windowScale,
      });
      return { key: `${provider}:${name}`, sim, provider, name };
    }),
  );
  const sims = Object.fromEntries(started.map((s) => [s.key, s.sim]));
  const connections = started.map(
    ({ sim, provider, name }) => ({ provider, name, baseUrl: sim.url, ...sim.connectionConfig() }) as ConnectionConfig,
  );
  return { sims, connections };
}

/** The Slack stand-in with the demo workspace: its users, channels and signing secret. */
function startStandin(options: LocalStackOptions): Promise<SlackStandin> {
  const channels = [
    { id: LOCAL.channels.general, name: 'general' },
    { id: LOCAL.channels.audit, name: 'token-audit' },
    { id: LOCAL.channels.approvals, name: 'token-approvals' },
  ];
  return startSlackStandin({
    port: options.port,
    signingSecret: LOCAL.signingSecret,
    botToken: LOCAL.botToken,
    teamId: LOCAL.teamId,
    botUserId: LOCAL.botUserId,
    botId: LOCAL.botId,
    users: [...DEMO_USERS, ...(options.extraUsers ?? [])],
    channels,
    rateLimits: options.slackRateLimits ?? false,
    ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
    auditChannel: LOCAL.channels.audit,
  });
}

/** The app's config: the stand-in as Slack, the demo policy, the simulators' connections. */
function localConfig(standin: SlackStandin, connections: ConnectionConfig[], options: LocalStackOptions): AppConfig {
  return {
    slack: {
      botId: LOCAL.botId,
      botUserId: LOCAL.botUserId,
      apiUrl: standin.apiUrl,
      allowedTeams: [LOCAL.teamId],
      auditChannel: LOCAL.channels.audit,
      approvalsChannel: LOCAL.channels.approvals,
      timeoutMs: 3000,
      retries: 1,
    },
    fingerprintKey: LOCAL.fingerprintKey,
    policy: DEMO_POLICY,
    connections,
    expiryReminderDays: 14,
    incident: {
      leakSigningSecret: LOCAL.leakSigningSecret,
      leakPolicy: options.leakPolicy ?? DEMO_LEAK_POLICY,
      onDeactivation: options.onDeactivation ?? 'ask',
    },
  };
}

/** What the worker and the ingress share. */
interface Shared {
  config: AppConfig;
  slack: SlackSecrets;
  queue: InProcessQueue;
  log: Log;
  options: LocalStackOptions;
}

/**
 * The store and the workers (as many as `options.workers`, taking turns on the queue as Lambda instances
 * share an SQS queue), each with its own rate limiter over the shared buckets.
 */
function startWorkers(shared: Shared, dynamo: LocalDynamo) {
  const { config, slack, queue, log, options } = shared;
  const db = documentClient({ tableName: dynamo.tableName, endpoint: dynamo.endpoint });
  const stores = dynamoStores(db, dynamo.tableName);
  const limiter = (): DynamoRateLimiter =>
    new DynamoRateLimiter(db, dynamo.tableName, {
      ...(options.rateRules ? { rules: options.rateRules } : {}),
      ...(options.rateMarginMs !== undefined ? { marginMs: options.rateMarginMs } : {}),
    });
  const rateGates = limiter().gates;
  const runners = Array.from(
    { length: options.workers ?? 1 },
    (_, i) =>
      composeWorker({
        config,
        slack,
        fingerprintKey: LOCAL.fingerprintKey,
        stores,
        queue,
        resolveCredentials: credentialResolver(),
        log,
        telemetry: options.telemetry,
        adapterDeps: {
          rateGates: i === 0 ? rateGates : limiter().gates,
          ...(options.retry ? { retry: options.retry } : {}),
        },
        ...(options.bulkLeaseMs ? { bulkLeaseMs: options.bulkLeaseMs } : {}),
      }).runner,
  );
  const runner = runners[0] as JobRunner;
  // Each job gets the time budget the Lambda worker gives it (a create waits out a short Retry-After).
  // A job its crashed predecessor had started is answered now: run again when safe, else "interrupted".
  // Several workers take turns, as Lambda instances share an SQS queue.
  let turn = 0;
  queue.consume((job, { recovered }) =>
    (runners[turn++ % runners.length] as JobRunner).run(job, Date.now() + JOB_BUDGET_MS, {
      previousRunDied: recovered,
    }),
  );
  return { db, stores, runner, rateGates };
}

/** The Lambda ingress behind its door and the leak intake, served over HTTP like API Gateway. */
async function serveBot(
  shared: Shared,
  worker: ReturnType<typeof startWorkers>,
  dynamo: LocalDynamo,
): Promise<{ requestUrl: string; server: Server }> {
  const { config, slack, queue, log, options } = shared;
  const { db, stores, rateGates } = worker;
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logLevel: LogLevel.ERROR });
  const directoryBudgetMs = options.directoryBudgetMs;
  const fingerprintKey = async (): Promise<string> => LOCAL.fingerprintKey;
  composeIngress({
    config,
    slack,
    receiver,
    queue,
    fingerprintKey,
    log,
    ...(directoryBudgetMs ? { directoryBudgetMs } : {}),
  });
  const botPort = options.botPort ?? (options.port ? options.port + 1 : 0);
  const leaks = composeLeakIntake({
    config,
    slack,
    fingerprintKey: LOCAL.fingerprintKey,
    stores,
    queue,
    resolveCredentials: credentialResolver(),
    log,
    adapterDeps: { rateGates, ...(options.retry ? { retry: options.retry } : {}) },
    replay: new DynamoReplayGuard(db, dynamo.tableName),
    signingSecret: async () => LOCAL.leakSigningSecret,
  });
  const ingress = withDoor(receiver.toHandler(), { signingSecret: slack.signingSecret, log });
  const { url: requestUrl, server } = await serveLambda(ingress as unknown as HttpApiHandler, {
    port: botPort,
    routes: { '/leaks': leakHttpHandler(leaks) as unknown as HttpApiHandler },
  });
  return { requestUrl, server };
}

/**
 * Starts everything `npm start` and the end-to-end tests need: dynalite, the provider simulators, the
 * Slack stand-in, the in-process queue and worker, and the Lambda ingress handler served over HTTP.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? quiet;
  const [dynamo, { sims, connections }] = await Promise.all([
    startLocalDynamo({ path: options.dataDir }),
    startSimulators(options.demo ?? true),
  ]);
  const standin = await startStandin(options);
  const config = localConfig(standin, connections, options);
  const slack: SlackSecrets = { signingSecret: LOCAL.signingSecret, botToken: LOCAL.botToken };
  const queue = new InProcessQueue({
    delayScale: options.delayScale ?? 1,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.queueDir ? { journalDir: options.queueDir } : {}),
  });
  const shared: Shared = { config, slack, queue, log, options };
  const worker = startWorkers(shared, dynamo);
  const { stores, runner } = worker;
  const { requestUrl, server } = await serveBot(shared, worker, dynamo);
  standin.setRequestUrl(requestUrl);
  return {
    config,
    slack,
    standin,
    requestUrl,
    leaksUrl: requestUrl.replace(/\/slack\/events$/, '/leaks'),
    queue,
    stores,
    runner,
    sims,
    dynamo,
    async close() {
      await closeServer(server);
      await standin.close();
      await Promise.all(Object.values(sims).map((s) => s.close()));
      await dynamo.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
