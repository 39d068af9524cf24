import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Job } from '../commands/job.js';
import { awsSecretSource } from '../config/aws-secrets.js';
import { lambdaEnv } from '../config/env.js';
import { credentialResolver, fingerprintKey, loadConfigFile, slackSecrets } from '../config/load.js';
import { SqsQueue } from '../queue/sqs.js';
import { composeWorker } from '../worker/compose.js';
import type { JobRunner } from '../worker/job-runner.js';
import { dynamoStores } from '../store/dynamo-store.js';
import { DynamoRateLimiter } from '../store/rate-buckets.js';
import { documentClient } from '../store/table.js';
import { powertoolsLog } from './logger.js';
import { runBatch } from './batch.js';

const log = powertoolsLog('tokenops-worker');
let ready: Promise<JobRunner> | undefined;

async function init(): Promise<JobRunner> {
  const env = lambdaEnv(process.env, true);
  const config = await loadConfigFile(env.configFile);
  const source = awsSecretSource();
  const [slack, key] = await Promise.all([slackSecrets(config, source), fingerprintKey(config, source)]);
  const db = documentClient({ tableName: env.table, endpoint: env.dynamoEndpoint });
  const stores = dynamoStores(db, env.table);
  const queue = new SqsQueue(new SQSClient({}), env.queueUrl as string);
  return composeWorker({
    config,
    slack,
    fingerprintKey: key,
    stores,
    queue,
    resolveCredentials: credentialResolver(source),
    log,
    // Every worker instance shares each provider credential's documented rate limit.
    adapterDeps: { rateGates: new DynamoRateLimiter(db, env.table).gates },
  }).runner;
}

/** SQS → one job per record, with partial batch failures so only failed jobs come back. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  ready ??= init().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  const runner = await ready;
  return runBatch(event.Records, (job: Job) => runner.run(job), log);
}
