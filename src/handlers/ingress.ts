import { AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { lambdaEnv } from '../config/env.js';
import { fingerprintKey, loadConfigFile, slackSecrets } from '../config/load.js';
import { composeIngress } from '../slack/compose-ingress.js';
import { awsEnv, liteSecretSource, liteSqsQueue } from './aws-lite.js';
import { httpsFetch } from './https-fetch.js';
import { powertoolsLog } from './logger.js';

type Handler = ReturnType<AwsLambdaReceiver['toHandler']>;

const log = powertoolsLog('tokenops-ingress');
let ready: Promise<Handler> | undefined;

/**
 * Cold start: config from the bundle, Slack secrets from Secrets Manager, no Slack call. The AWS
 * calls go through aws-lite.ts, not the SDK, every HTTP call (AWS, Slack, respond()) over node:https
 * rather than the global fetch (https-fetch.ts), and the bundle leaves out what Bolt's Lambda receiver
 * never runs (cdk/esbuild-options.ts): this is the function Slack waits on, 3 s at most.
 */
async function init(): Promise<Handler> {
  const env = lambdaEnv(process.env, true);
  const config = await loadConfigFile(env.configFile);
  const aws = awsEnv(process.env);
  const source = liteSecretSource(aws);
  const slack = await slackSecrets(config, source);
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logLevel: LogLevel.ERROR });
  let key: Promise<string> | undefined;
  composeIngress({
    config,
    slack,
    receiver,
    queue: liteSqsQueue(aws, env.queueUrl as string),
    fingerprintKey: () => (key ??= fingerprintKey(config, source)),
    log,
    fetch: httpsFetch,
  });
  return receiver.toHandler();
}

/** API Gateway (HTTP API) → Bolt's AwsLambdaReceiver: verify, parse, authorize, enqueue, ack. */
export const handler: Handler = async (event, context) => {
  ready ??= init().catch((err: unknown) => {
    ready = undefined; // let the next invocation try again
    throw err;
  });
  return (await ready)(event, context);
};
