import { AwsLambdaReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { credentialResolver, fingerprintKey, loadConfigFile, slackSecrets, type SlackSecrets } from '../config/load.js';
import type { AppConfig } from '../config/schema.js';
import { TokenOpsError } from '../core/errors.js';
import { InProcessQueue } from '../queue/in-process.js';
import { composeWorker } from '../worker/compose.js';
import { composeIngress } from '../slack/compose-ingress.js';
import type { Log } from '../core/ports.js';
import { dynamoStores } from '../store/dynamo-store.js';
import { DynamoRateLimiter } from '../store/rate-buckets.js';
import { documentClient } from '../store/table.js';
import { startLocalDynamo, type LocalDynamo } from './dynalite.js';
import { withDoor } from '../slack/door.js';
import { JOB_BUDGET_MS } from '../handlers/batch.js';
import { serveLambda, type HttpApiHandler } from './lambda-bridge.js';

/** Runs `fn` once; later calls get the same promise (a stop can be asked for twice). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** A running local app: where Slack reaches it (HTTP mode) and how to stop it. */
type Running = { url?: string; close(): Promise<void> };

/** What the worker and the ingress share: the config, its Slack secrets and key, store and queue. */
interface LocalApp {
  config: AppConfig;
  slack: SlackSecrets;
  key: string;
  queue: InProcessQueue;
  dynamo: LocalDynamo;
}

/** Loads the config file; locally every secret is given inline, so a name of an AWS secret is refused. */
async function loadLocalConfig(file: string): Promise<{ config: AppConfig; slack: SlackSecrets; key: string }> {
  const config = await loadConfigFile(file); // a bad file stops here, naming the field
  const secretNames = [
    config.slack.secretName,
    config.fingerprintKeySecret,
    ...config.connections.map((c) => c.credentialsSecret),
  ].filter(Boolean);
  if (secretNames.length > 0)
    throw new TokenOpsError(
      'config',
      `Locally, give secret values inline: ${secretNames.join(', ')} name AWS secrets.`,
    );
  return { config, slack: await slackSecrets(config), key: await fingerprintKey(config) };
}

/** dynalite, the in-process queue and the worker consuming it. */
async function startWorker(loaded: Awaited<ReturnType<typeof loadLocalConfig>>, o: { log: Log; dataDir?: string }) {
  const { config, slack, key } = loaded;
  const dynamo = await startLocalDynamo({ path: o.dataDir });
  const db = documentClient({ tableName: dynamo.tableName, endpoint: dynamo.endpoint });
  const stores = dynamoStores(db, dynamo.tableName, { auditRetentionDays: config.auditRetentionDays });
  const queue = new InProcessQueue();
  const { runner } = composeWorker({
    config,
    slack,
    fingerprintKey: key,
    stores,
    queue,
    resolveCredentials: credentialResolver(),
    log: o.log,
    adapterDeps: { rateGates: new DynamoRateLimiter(db, dynamo.tableName).gates },
  });
  queue.consume((job) => runner.run(job, Date.now() + JOB_BUDGET_MS));
  return { ...loaded, queue, dynamo };
}

/** The ingress over Socket Mode (the config has an app-level token). */
async function serveSocketMode(app: LocalApp, appToken: string, file: string, log: Log): Promise<Running> {
  const { config, slack, queue, key, dynamo } = app;
  const receiver = new SocketModeReceiver({
    appToken,
    logLevel: LogLevel.WARN,
    // apps.connections.open goes where the rest of the Web API goes (a stand-in, when configured).
    ...(config.slack.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } } } : {}),
  });
  const bolt = composeIngress({ config, slack, receiver, queue, fingerprintKey: async () => key, log });
  await bolt.start();
  console.log(
    `tokenops is connected to Slack over Socket Mode (config ${file}); store: ${dynamo.endpoint}. Stop with Ctrl+C.`,
  );
  return {
    close: once(async () => {
      await bolt.stop();
      await dynamo.close();
    }),
  };
}

/** The Lambda ingress, behind its door, served over HTTP on `port`. */
async function serveHttp(app: LocalApp, port: number, file: string, log: Log): Promise<Running> {
  const { config, slack, queue, key, dynamo } = app;
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logLevel: LogLevel.ERROR });
  composeIngress({ config, slack, receiver, queue, fingerprintKey: async () => key, log });
  const door = { signingSecret: slack.signingSecret, appId: config.slack.appId, log };
  const ingress = withDoor(receiver.toHandler(), door) as unknown as HttpApiHandler;
  const { url, server } = await serveLambda(ingress, { port });
  console.log(
    `tokenops is listening for Slack at ${url} (config ${file}); point your app's request URLs there (e.g. through a tunnel). Stop with Ctrl+C.`,
  );
  return {
    url,
    close: once(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dynamo.close();
    }),
  };
}

/**
 * `npm start -- --config FILE`: the same app against real providers and real Slack, without AWS.
 * Socket Mode when the config has an app-level token; otherwise the Lambda ingress served on PORT.
 */
export async function startWithConfig(file: string, o: { port: number; log: Log; dataDir?: string }): Promise<Running> {
  const app = await startWorker(await loadLocalConfig(file), o);
  return app.slack.appToken
    ? serveSocketMode(app, app.slack.appToken, file, o.log)
    : serveHttp(app, o.port, file, o.log);
}
