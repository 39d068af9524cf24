import { createHash, createHmac } from 'node:crypto';
import type { Job, JobQueue } from '../commands/job.js';
import { TokenOpsError } from '../core/errors.js';
import type { SecretSource } from '../config/load.js';

/**
 * The two AWS calls of the ingress Lambda (SQS SendMessage, Secrets Manager GetSecretValue) as
 * SigV4-signed fetch calls. Importing the AWS SDK clients costs ~200 ms at cold start, more than the
 * whole rest of the ingress; Slack waits 3 s. The worker keeps the SDK. Credentials and region come
 * from the environment, as Lambda sets them; AWS_ENDPOINT_URL_SQS / _SECRETS_MANAGER / AWS_ENDPOINT_URL
 * override the endpoints as they do for the SDK.
 */
export interface AwsEnv {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  endpoints: { sqs?: string | undefined; secretsmanager?: string | undefined };
}

/** Reads credentials and region from the Lambda environment, naming what is missing. */
export function awsEnv(env: NodeJS.ProcessEnv = process.env): AwsEnv {
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!region || !accessKeyId || !secretAccessKey)
    throw new TokenOpsError('config', 'AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set.');
  return {
    region,
    accessKeyId,
    secretAccessKey,
    sessionToken: env['AWS_SESSION_TOKEN'] || undefined,
    endpoints: {
      sqs: env['AWS_ENDPOINT_URL_SQS'] ?? env['AWS_ENDPOINT_URL'],
      secretsmanager: env['AWS_ENDPOINT_URL_SECRETS_MANAGER'] ?? env['AWS_ENDPOINT_URL'],
    },
  };
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** SigV4 headers for a POST of `body` to the root path of `url` (the AWS JSON protocols). */
export function signV4(
  aws: Pick<AwsEnv, 'region' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  service: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const all: Record<string, string> = { ...headers, host: url.host, 'x-amz-date': amzDate };
  if (aws.sessionToken) all['x-amz-security-token'] = aws.sessionToken;
  const names = Object.keys(all)
    .map((k) => k.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const signed = names.join(';');
  const canonical = [
    'POST',
    url.pathname || '/',
    '',
    ...names.map((n) => `${n}:${lower[n]}`),
    '',
    signed,
    sha256(body),
  ];
  const scope = `${day}/${aws.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical.join('\n'))].join('\n');
  let key: Buffer = hmac(`AWS4${aws.secretAccessKey}`, day);
  for (const part of [aws.region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${aws.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}

/** Thrown for an AWS error reply; `name` is AWS's error type (e.g. ResourceNotFoundException). */
export class AwsCallError extends Error {
  constructor(
    readonly awsType: string,
    readonly status: number,
  ) {
    super(`AWS answered ${status} ${awsType}`);
    this.name = 'AwsCallError';
  }
}

const RETRYABLE = /Throttl|TooManyRequests|RequestLimitExceeded|ServiceUnavailable|InternalError|InternalFailure/;

/** One AWS JSON-protocol call, retried twice on throttling, 5xx and network errors, within `timeoutMs`. */
export async function awsJsonCall(
  aws: AwsEnv,
  service: 'sqs' | 'secretsmanager',
  target: string,
  payload: unknown,
  options: { contentType: string; timeoutMs: number },
): Promise<Record<string, unknown>> {
  const url = new URL(aws.endpoints[service] ?? `https://${service}.${aws.region}.amazonaws.com/`);
  const body = JSON.stringify(payload);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  for (let attempt = 1; ; attempt++) {
    const headers = signV4(aws, service, url, { 'content-type': options.contentType, 'x-amz-target': target }, body);
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: deadline });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return json;
      const type = String(json['__type'] ?? json['code'] ?? 'UnknownError')
        .split('#')
        .pop() as string;
      throw new AwsCallError(type, res.status);
    } catch (err) {
      const retryable =
        err instanceof AwsCallError ? err.status >= 500 || RETRYABLE.test(err.awsType) : !deadline.aborted;
      if (!retryable || attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    }
  }
}

/** The job queue on SQS (same message as src/queue/sqs.ts SqsQueue), checking SQS's body MD5. */
export function liteSqsQueue(aws: AwsEnv, queueUrl: string, timeoutMs = 2000): JobQueue {
  return {
    async send(job: Job, options: { delaySeconds?: number } = {}): Promise<void> {
      const body = JSON.stringify(job);
      const res = await awsJsonCall(
        aws,
        'sqs',
        'AmazonSQS.SendMessage',
        {
          QueueUrl: queueUrl,
          MessageBody: body,
          // SQS allows 0–900 s.
          DelaySeconds: Math.max(0, Math.min(900, Math.round(options.delaySeconds ?? 0))),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: job.kind },
            correlationId: { DataType: 'String', StringValue: job.correlationId },
          },
        },
        { contentType: 'application/x-amz-json-1.0', timeoutMs },
      );
      if (res['MD5OfMessageBody'] !== createHash('md5').update(body, 'utf8').digest('hex'))
        throw new TokenOpsError('internal', 'SQS did not confirm the job message intact.');
    },
  };
}

/**
 * Secrets Manager for the ingress, with the contract and messages of src/config/aws-secrets.ts. No
 * cache: the ingress reads each secret once per container.
 */
export function liteSecretSource(aws: AwsEnv, timeoutMs = 2000): SecretSource {
  const get = async (name: string): Promise<string> => {
    try {
      const res = await awsJsonCall(
        aws,
        'secretsmanager',
        'secretsmanager.GetSecretValue',
        { SecretId: name },
        { contentType: 'application/x-amz-json-1.1', timeoutMs },
      );
      const v = res['SecretString'];
      if (typeof v !== 'string' || v === '') throw new Error('empty');
      return v;
    } catch (err) {
      throw new TokenOpsError(
        'config',
        `The secret ${name} could not be read or is empty; fill it as README.md shows.`,
        {
          cause: (err as Error).name,
        },
      );
    }
  };
  return {
    json: async (name) => {
      const text = await get(name);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new TokenOpsError('config', `The secret ${name} is not a JSON object; fill it as README.md shows.`);
      // The stack creates secrets with a placeholder (CloudFormation cannot create an empty one).
      if ('tokenopsPlaceholder' in value)
        throw new TokenOpsError(
          'config',
          `The secret ${name} is not filled in yet; see README.md, "Fill the secrets".`,
        );
      return value as Record<string, unknown>;
    },
    text: get,
  };
}
