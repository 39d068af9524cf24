import { SQSClient } from '@aws-sdk/client-sqs';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
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
import { powertoolsTelemetry } from './metrics.js';
import { runBatch } from './batch.js';

const log = powertoolsLog();
const telemetry = powertoolsTelemetry();
// X-Ray subsegments for the AWS SDK clients, under Lambda's own segment (active tracing). Outside
// Lambda the tracer disables itself. Service name from POWERTOOLS_SERVICE_NAME.
const tracer = new Tracer();
let ready: Promise<JobRunner> | undefined;

async function init(): Promise<JobRunner> {
  const env = lambdaEnv(process.env, true);
  const config = await loadConfigFile(env.configFile);
  const source = awsSecretSource();
  const [slack, key] = await Promise.all([slackSecrets(config, source), fingerprintKey(config, source)]);
  const db = tracer.captureAWSv3Client(documentClient({ tableName: env.table, endpoint: env.dynamoEndpoint }));
  const stores = dynamoStores(db, env.table, { auditRetentionDays: config.auditRetentionDays });
  const queue = new SqsQueue(tracer.captureAWSv3Client(new SQSClient({})), env.queueUrl as string);
  return composeWorker({
    config,
    slack,
    fingerprintKey: key,
    stores,
    queue,
    resolveCredentials: credentialResolver(source),
    log,
    telemetry,
    // Every worker instance shares each provider credential's documented rate limit.
    adapterDeps: { rateGates: new DynamoRateLimiter(db, env.table).gates },
  }).runner;
}

/**
 * SQS → the batch's jobs, run concurrently within the invocation's time, with partial batch failures
 * so only failed (or unstarted) jobs come back.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  log.logger.addContext(context);
  const segment = tracer.getSegment();
  const sub = segment?.addNewSubsegment('## jobs');
  if (sub) tracer.setSegment(sub);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    ready ??= init().catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    const runner = await ready;
    return await runBatch(event.Records, (job: Job, deadline: number) => runner.run(job, deadline), log, {
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
  } finally {
    telemetry.flush();
    sub?.close();
    if (segment) tracer.setSegment(segment);
  }
}
