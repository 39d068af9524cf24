import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsSecretSource } from '../config/aws-secrets.js';
import { lambdaEnv } from '../config/env.js';
import { credentialResolver, fingerprintKey, leakSigningSecret, loadConfigFile, slackSecrets } from '../config/load.js';
import { SqsQueue } from '../queue/sqs.js';
import { dynamoStores } from '../store/dynamo-store.js';
import { DynamoRateLimiter } from '../store/rate-buckets.js';
import { DynamoReplayGuard } from '../store/replay-guard.js';
import { documentClient } from '../store/table.js';
import { composeLeakIntake } from '../worker/compose.js';
import type { LeakIntake } from '../worker/leak-intake.js';
import { powertoolsLog } from './logger.js';

const log = powertoolsLog('tokenops-leaks');

/** The parts of an API Gateway HTTP API (v2) event the intake reads. */
interface LeakEvent {
  headers?: Record<string, string | undefined>;
  body?: string | undefined;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string };
}

/** The HTTP API answer. */
interface LeakResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type LeakHandler = (event: LeakEvent, context?: unknown) => Promise<LeakResult>;
let ready: Promise<LeakIntake> | undefined;

/** Adapts an HTTP API event to the intake: lower-cased headers, the raw body (signed as sent). */
export function leakHttpHandler(intake: LeakIntake): LeakHandler {
  return async (event) => {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    const correlationId = event.requestContext?.requestId ?? randomUUID();
    try {
      const r = await intake.handle({ headers, body }, correlationId);
      return { statusCode: r.status, headers: { 'content-type': 'application/json' }, body: r.body };
    } catch (err) {
      log.error('leak report failed', { correlationId, error: (err as Error).name });
      const body = JSON.stringify({
        message: `tokenops could not handle the report (reference ${correlationId}); send it again.`,
      });
      return { statusCode: 503, headers: { 'content-type': 'application/json' }, body };
    }
  };
}

async function init(): Promise<LeakIntake> {
  const env = lambdaEnv(process.env, true);
  const config = await loadConfigFile(env.configFile);
  const source = awsSecretSource();
  const [slack, key] = await Promise.all([slackSecrets(config, source), fingerprintKey(config, source)]);
  const db = documentClient({ tableName: env.table, endpoint: env.dynamoEndpoint });
  return composeLeakIntake({
    config,
    slack,
    fingerprintKey: key,
    stores: dynamoStores(db, env.table),
    queue: new SqsQueue(new SQSClient({}), env.queueUrl as string),
    resolveCredentials: credentialResolver(source),
    log,
    adapterDeps: { rateGates: new DynamoRateLimiter(db, env.table).gates },
    replay: new DynamoReplayGuard(db, env.table),
    signingSecret: () => leakSigningSecret(config, source),
  });
}

/** `POST /leaks` on the HTTP API. */
export const handler: LeakHandler = async (event, context) => {
  ready ??= init().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return leakHttpHandler(await ready)(event, context);
};
