import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Job, JobQueue } from '../commands/job.js';
import { TokenOpsError } from '../core/errors.js';
import type { SecretSource } from '../config/load.js';
import { nodeRequest } from './https-fetch.js';

/**
 * The two AWS calls of the ingress Lambda (SQS SendMessage, Secrets Manager GetSecretValue) as
 * SigV4-signed requests over node:https with keep-alive (https-fetch.ts). Importing the AWS SDK clients
 * costs ~200 ms at cold start, more than the whole rest of the ingress, and the global `fetch` another
 * ~145 ms (it loads undici); Slack waits 3 s. The worker keeps the SDK. Credentials and region come
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

/** SHA-256 (and HMAC-SHA-256 when given a secret) from node:crypto, in the shape the SigV4 signer wants. */
class NodeSha256 {
  readonly #h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SigV4 headers for a POST of `body` to `url` (the AWS JSON protocols), signed by AWS's own signer. */
export async function signV4(
  aws: Pick<AwsEnv, 'region' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  service: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service,
    region: aws.region,
    credentials: { accessKeyId: aws.accessKeyId, secretAccessKey: aws.secretAccessKey, sessionToken: aws.sessionToken },
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname || '/',
      query: {},
      headers: { ...headers, host: url.host },
      body,
    },
    { signingDate: now },
  );
  return signed.headers;
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

/** An AWS JSON reply as an object; anything else (an HTML error page, nothing) as `{}`. */
function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
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
    const headers = await signV4(
      aws,
      service,
      url,
      { 'content-type': options.contentType, 'x-amz-target': target },
      body,
    );
    try {
      const res = await nodeRequest(url, { method: 'POST', headers, body, signal: deadline });
      const json = parseJson(res.body);
      if (res.status >= 200 && res.status < 300) return json;
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
