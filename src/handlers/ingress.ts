import { AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { lambdaEnv } from '../config/env.js';
import { fingerprintKey, loadConfigFile, slackSecrets } from '../config/load.js';
import { composeIngress } from '../slack/compose-ingress.js';
import { withDoor } from '../slack/door.js';
import { newCorrelationId } from '../slack/listeners/kit.js';
import { awsEnv, liteSecretSource, liteSqsQueue } from './aws-lite.js';
import { httpsFetch } from './https-fetch.js';
import { powertoolsLog } from './logger.js';

type Handler = ReturnType<AwsLambdaReceiver['toHandler']>;

const log = powertoolsLog();
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
    // The id set for this invocation below: the listeners hand it to the job and the user.
    correlationId: () => log.logger.getCorrelationId() as string,
    fetch: httpsFetch,
  });
  // The door checks size, content type, signature and shape before Bolt parses anything.
  return withDoor(receiver.toHandler(), { signingSecret: slack.signingSecret, appId: config.slack.appId, log });
}

/** API Gateway (HTTP API) → Bolt's AwsLambdaReceiver: verify, parse, authorize, enqueue, ack. */
export const handler: Handler = async (event, context) => {
  // Every line of this invocation carries the Lambda context, the request's correlation id and API
  // Gateway's request id (the access log's `requestId`; its `lambdaRequestId` is function_request_id).
  log.logger.addContext(context);
  log.logger.setCorrelationId(newCorrelationId());
  log.logger.appendKeys({ apiRequestId: apiRequestIdOf(event) });
  ready ??= init().catch((err: unknown) => {
    ready = undefined; // let the next invocation try again
    throw err;
  });
  return (await ready)(event, context);
};

/** API Gateway's id of the request (HTTP API v2 and REST v1 events both carry requestContext.requestId). */
function apiRequestIdOf(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | undefined)?.requestContext?.requestId;
  return typeof id === 'string' ? id : undefined;
}
