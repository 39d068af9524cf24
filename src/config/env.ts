import { TokenOpsError } from '../core/errors.js';

/** The environment the Lambda functions read (set by the CDK stack; no secret values). */
export interface LambdaEnv {
  /** Path of the bundled config file. @default "tokenops.config.json" next to the handler */
  configFile: string;
  /** Main DynamoDB table. */
  table: string;
  /** SQS queue URL (ingress and schedule). */
  queueUrl: string | undefined;
  /** DynamoDB endpoint override (local). */
  dynamoEndpoint: string | undefined;
}

/** Reads the environment once, naming any missing variable. */
export function lambdaEnv(env: NodeJS.ProcessEnv = process.env, needQueue = false): LambdaEnv {
  const table = env['TOKENOPS_TABLE'];
  if (!table) throw new TokenOpsError('config', 'TOKENOPS_TABLE is not set.');
  const queueUrl = env['TOKENOPS_QUEUE_URL'];
  if (needQueue && !queueUrl) throw new TokenOpsError('config', 'TOKENOPS_QUEUE_URL is not set.');
  return {
    configFile: env['TOKENOPS_CONFIG_FILE'] ?? `${env['LAMBDA_TASK_ROOT'] ?? '.'}/tokenops.config.json`,
    table,
    queueUrl,
    dynamoEndpoint: env['AWS_ENDPOINT_URL_DYNAMODB'],
  };
}
