import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src/commands/job.js';
import { TokenOpsError } from '../../../src/core/errors.js';
import { awsEnv, liteSecretSource, liteSqsQueue, signV4, type AwsEnv } from '../../../src/handlers/aws-lite.js';

// The ingress's SDK-free AWS calls: signatures must be byte-for-byte what the AWS SDK's own signer
// produces, and replies are checked the way the SDK checks them.

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** A loopback AWS endpoint answering with `reply` per request. */
async function endpoint(reply: (req: IncomingMessage, body: string, n: number) => { status: number; json: unknown }) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body });
      const r = reply(req, body, seen.length);
      res.writeHead(r.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(r.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const envFor = (url: string): AwsEnv =>
  awsEnv({
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
  });

const job: Job = {
  id: 'trigger-1',
  correlationId: 'corr-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  origin: { userId: 'U1', teamId: 'T1', channelId: 'C1' },
  kind: 'command',
  command: { name: 'providers' },
} as Job;

describe('SigV4 signing', () => {
  const url = new URL('https://sqs.eu-west-1.amazonaws.com/');
  const body = JSON.stringify({ QueueUrl: 'q', MessageBody: 'hello' });
  const date = new Date('2026-03-04T05:06:07.890Z');
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' };

  it('signs the host, date, target and session token under the day/region/service scope', async () => {
    const h = await signV4(
      { region: 'eu-west-1', ...CREDS, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==' },
      'sqs',
      url,
      headers,
      body,
      date,
    );
    expect(h['x-amz-date']).toBe('20260304T050607Z');
    expect(h['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLE//token==');
    expect(h['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260304\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('is deterministic, and depends on the secret key and the body', async () => {
    const sig = async (secretAccessKey: string, b = body): Promise<string | undefined> =>
      (
        await signV4({ region: 'eu-west-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey }, 'sqs', url, headers, b, date)
      )['authorization'];
    expect(await sig(CREDS.secretAccessKey)).toBe(await sig(CREDS.secretAccessKey));
    expect(await sig('another-secret-key')).not.toBe(await sig(CREDS.secretAccessKey));
    expect(await sig(CREDS.secretAccessKey, '{}')).not.toBe(await sig(CREDS.secretAccessKey));
  });
});

describe('SQS SendMessage without the SDK', () => {
  it('sends the job as the SDK queue does, and retries a throttled call', async () => {
    const sqs = await endpoint((_req, body, n) => {
      if (n === 1) return { status: 400, json: { __type: 'com.amazonaws.sqs#ThrottlingException' } };
      const { MessageBody } = JSON.parse(body) as { MessageBody: string };
      return {
        status: 200,
        json: { MessageId: 'm-1', MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex') },
      };
    });
    await liteSqsQueue(envFor(sqs.url), 'https://queue/1/jobs').send(job, { delaySeconds: 1200 });
    expect(sqs.seen).toHaveLength(2);
    const sent = JSON.parse(sqs.seen[1]?.body ?? '{}');
    expect(sent).toEqual({
      QueueUrl: 'https://queue/1/jobs',
      MessageBody: JSON.stringify(job),
      DelaySeconds: 900,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'command' },
        correlationId: { DataType: 'String', StringValue: 'corr-1' },
      },
    });
    expect(sqs.seen[1]?.headers['content-type']).toBe('application/x-amz-json-1.0');
  });

  it('fails when SQS does not confirm the body it stored', async () => {
    const sqs = await endpoint(() => ({ status: 200, json: { MessageId: 'm-1', MD5OfMessageBody: '0'.repeat(32) } }));
    await expect(liteSqsQueue(envFor(sqs.url), 'q').send(job)).rejects.toThrow('intact');
  });

  it('does not retry an access error', async () => {
    const sqs = await endpoint(() => ({ status: 400, json: { __type: 'AccessDeniedException' } }));
    await expect(liteSqsQueue(envFor(sqs.url), 'q').send(job)).rejects.toThrow('AccessDeniedException');
    expect(sqs.seen).toHaveLength(1);
  });
});

describe('Secrets Manager without the SDK', () => {
  it('reads JSON and text secrets', async () => {
    const sm = await endpoint((req, body) => {
      expect(req.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
      const id = (JSON.parse(body) as { SecretId: string }).SecretId;
      return { status: 200, json: { SecretString: id === 'slack' ? '{"botToken":"xoxb-1"}' : 'fp-key-0123456789' } };
    });
    const source = liteSecretSource(envFor(sm.url));
    expect(await source.json('slack')).toEqual({ botToken: 'xoxb-1' });
    expect(await source.text('fp')).toBe('fp-key-0123456789');
  });

  it('names the secret, never its value, when it is missing, unfilled or not JSON', async () => {
    const sm = await endpoint((_req, body) => {
      const id = (JSON.parse(body) as { SecretId: string }).SecretId;
      if (id === 'missing') return { status: 400, json: { __type: 'ResourceNotFoundException' } };
      return { status: 200, json: { SecretString: id === 'new' ? '{"tokenopsPlaceholder":"x"}' : 'not-json-s3cret' } };
    });
    const source = liteSecretSource(envFor(sm.url));
    await expect(source.json('missing')).rejects.toThrow('The secret missing could not be read');
    await expect(source.json('new')).rejects.toThrow('not filled in yet');
    const err = await source.json('plain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenOpsError);
    expect(String((err as Error).message)).not.toContain('s3cret');
  });

  it('asks for credentials and region when the environment lacks them', () => {
    expect(() => awsEnv({ AWS_REGION: 'eu-west-1' })).toThrow('AWS_ACCESS_KEY_ID');
  });
});
