import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { awsSecretSource } from '../config/aws-secrets.js';
import { lambdaEnv } from '../config/env.js';
import { fingerprintKey, loadConfigFile, slackSecrets } from '../config/load.js';
import { SqsQueue } from '../queue/sqs.js';
import { composeIngress } from '../slack/compose.js';
import { powertoolsLog } from './logger.js';

type Handler = ReturnType<AwsLambdaReceiver['toHandler']>;

const log = powertoolsLog('tokenops-ingress');
let ready: Promise<Handler> | undefined;

/** Cold start: config from the bundle, Slack secrets from Secrets Manager (cached), no Slack call. */
async function init(): Promise<Handler> {
  const env = lambdaEnv(process.env, true);
  const config = await loadConfigFile(env.configFile);
  const source = awsSecretSource();
  const slack = await slackSecrets(config, source);
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logLevel: LogLevel.ERROR });
  let key: Promise<string> | undefined;
  composeIngress({
    config,
    slack,
    receiver,
    queue: new SqsQueue(new SQSClient({}), env.queueUrl as string),
    fingerprintKey: () => (key ??= fingerprintKey(config, source)),
    log,
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
