import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src/commands/job.js';
import { InProcessQueue } from '../../../src/queue/in-process.js';
import { SqsQueue } from '../../../src/queue/sqs.js';

const job = (id: string): Job => ({
  id,
  correlationId: 'c1',
  createdAt: '2026-01-01T00:00:00.000Z',
  origin: { userId: 'U1', teamId: 'T1', channelId: 'C1' },
  kind: 'schedule',
  task: 'stale_report',
});

describe('SqsQueue (at its boundary)', () => {
  it('sends the job as a JSON body with its kind and correlation id, delay clamped to SQS limits', async () => {
    const sent: SendMessageCommand[] = [];
    const client = { send: async (c: SendMessageCommand) => void sent.push(c) } as unknown as Pick<SQSClient, 'send'>;
    const q = new SqsQueue(client, 'https://sqs.eu-west-1.amazonaws.com/1/tokenops-jobs');
    await q.send(job('a'), { delaySeconds: 5000 });
    await q.send(job('b'));
    expect(sent[0]).toBeInstanceOf(SendMessageCommand);
    expect(sent[0]?.input).toMatchObject({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/tokenops-jobs',
      DelaySeconds: 900,
      MessageAttributes: { kind: { StringValue: 'schedule' }, correlationId: { StringValue: 'c1' } },
    });
    expect(JSON.parse(sent[0]?.input.MessageBody as string)).toEqual(job('a'));
    expect(sent[1]?.input.DelaySeconds).toBe(0);
  });

  it('passes SQS errors to the caller', async () => {
    const client = { send: async () => Promise.reject(new Error('AccessDenied')) } as unknown as Pick<
      SQSClient,
      'send'
    >;
    await expect(new SqsQueue(client, 'u').send(job('a'))).rejects.toThrow('AccessDenied');
  });
});

describe('InProcessQueue', () => {
  it('delivers jobs as SQS would (a JSON round trip) and drains', async () => {
    const q = new InProcessQueue();
    const seen: Job[] = [];
    q.consume(async (j) => void seen.push(j));
    await q.send(job('a'));
    await q.send(job('b'), { delaySeconds: 0 });
    await q.drain();
    expect(seen.map((j) => j.id)).toEqual(['a', 'b']);
    expect(q.bodies).toEqual([JSON.stringify(job('a')), JSON.stringify(job('b'))]);
  });

  it('redelivers a failing job and dead-letters it after maxReceives', async () => {
    const q = new InProcessQueue({ maxReceives: 3, retryDelayMs: 1 });
    let tries = 0;
    q.consume(async () => {
      tries++;
      throw new Error('boom');
    });
    await q.send(job('x'));
    await q.drain();
    expect(tries).toBe(3);
    expect(q.deadLetters.map((j) => j.id)).toEqual(['x']);
  });

  it('honours delays, scaled', async () => {
    const q = new InProcessQueue({ delayScale: 0.001 });
    const seen: string[] = [];
    q.consume(async (j) => void seen.push(j.id));
    await q.send(job('late'), { delaySeconds: 20 });
    await q.send(job('now'));
    await q.drain();
    expect(seen).toEqual(['now', 'late']);
  });
});

describe('InProcessQueue with a journal (npm start)', () => {
  const dirs: string[] = [];
  const journal = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tokenops-queue-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('goes on delivering after a consumer throws anything, even a non-Error', async () => {
    const q = new InProcessQueue({ maxReceives: 2, retryDelayMs: 1 });
    const seen: string[] = [];
    q.consume(async (j) => {
      seen.push(j.id);
      if (j.id === 'bad') throw 'not even an Error';
    });
    await q.send(job('bad'));
    await q.send(job('good'));
    await q.drain();
    expect(seen.filter((id) => id === 'good')).toEqual(['good']);
    expect(q.deadLetters.map((j) => j.id)).toEqual(['bad']);
  });

  it('delivers after a restart what a crash left: started jobs marked recovered, queued ones not', async () => {
    const dir = journal();
    const before = new InProcessQueue({ journalDir: dir });
    before.consume(async (j) => {
      if (j.id === 'running') await new Promise(() => undefined); // the process "dies" in here
    });
    await before.send(job('running'));
    await before.send(job('waiting'), { delaySeconds: 3600 });
    await new Promise((r) => setTimeout(r, 20));
    const after = new InProcessQueue({ journalDir: dir });
    const seen: [string, boolean][] = [];
    after.consume(async (j, d) => void seen.push([j.id, d.recovered]));
    await after.drain();
    expect(seen.sort()).toEqual([
      ['running', true],
      ['waiting', false],
    ]);
    expect(readdirSync(dir)).toEqual([]); // both done: nothing left to deliver a third time
  });
});
