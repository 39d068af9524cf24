import { AwsLambdaReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { credentialResolver, fingerprintKey, loadConfigFile, slackSecrets } from '../config/load.js';
import { TokenOpsError } from '../core/errors.js';
import { InProcessQueue } from '../queue/in-process.js';
import { composeWorker } from '../worker/compose.js';
import { composeIngress } from '../slack/compose-ingress.js';
import type { Log } from '../core/ports.js';
import { dynamoStores } from '../store/dynamo-store.js';
import { DynamoRateLimiter } from '../store/rate-buckets.js';
import { documentClient } from '../store/table.js';
import { startLocalDynamo } from './dynalite.js';
import { serveLambda, type HttpApiHandler } from './lambda-bridge.js';

/** Runs `fn` once; later calls get the same promise (a stop can be asked for twice). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/**
 * `npm start -- --config FILE`: the same app against real providers and real Slack, without AWS.
 * Socket Mode when the config has an app-level token; otherwise the Lambda ingress served on PORT.
 */
export async function startWithConfig(
  file: string,
  o: { port: number; log: Log; dataDir?: string },
): Promise<{ url?: string; close(): Promise<void> }> {
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
  const slack = await slackSecrets(config);
  const key = await fingerprintKey(config);
  const dynamo = await startLocalDynamo({ path: o.dataDir });
  const db = documentClient({ tableName: dynamo.tableName, endpoint: dynamo.endpoint });
  const stores = dynamoStores(db, dynamo.tableName);
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
  queue.consume((job) => runner.run(job));
  if (slack.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logLevel: LogLevel.WARN,
      // apps.connections.open goes where the rest of the Web API goes (a stand-in, when configured).
      ...(config.slack.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } } } : {}),
    });
    const app = composeIngress({ config, slack, receiver, queue, fingerprintKey: async () => key, log: o.log });
    await app.start();
    console.log(
      `tokenops is connected to Slack over Socket Mode (config ${file}); store: ${dynamo.endpoint}. Stop with Ctrl+C.`,
    );
    return {
      close: once(async () => {
        await app.stop();
        await dynamo.close();
      }),
    };
  }
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logLevel: LogLevel.ERROR });
  composeIngress({ config, slack, receiver, queue, fingerprintKey: async () => key, log: o.log });
  const { url, server } = await serveLambda(receiver.toHandler() as unknown as HttpApiHandler, { port: o.port });
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
