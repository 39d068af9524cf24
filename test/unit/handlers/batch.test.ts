import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../src/handlers/batch.js';
import { scheduleJobs } from '../../../src/handlers/schedule-jobs.js';

const record = (messageId: string, body: string): SQSRecord => ({ messageId, body }) as SQSRecord;
const lines: string[] = [];
const log = {
  info: (m: string) => lines.push(m),
  warn: (m: string) => lines.push(m),
  error: (m: string) => lines.push(m),
};

describe('worker batch', () => {
  it('reports only the failed records, and drops malformed bodies instead of looping them', async () => {
    const ok = JSON.stringify({ id: 'a', kind: 'schedule' });
    const bad = JSON.stringify({ id: 'b', kind: 'schedule' });
    const res = await runBatch(
      [record('m1', ok), record('m2', bad), record('m3', '{not json'), record('m4', '{"x":1}')],
      async (job) => {
        if (job.id === 'b') throw new Error('retry me');
      },
      log,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(lines.filter((l) => l === 'malformed job dropped')).toHaveLength(2);
  });
});

describe('schedule', () => {
  it('queues one job per periodic task, with ids that make a doubled trigger act once', () => {
    const jobs = scheduleJobs(new Date('2026-11-23T08:00:00Z'));
    expect(jobs.map((j) => j.id)).toEqual(['schedule-expiry_reminders-2026-11-23', 'schedule-stale_report-2026-11-23']);
    expect(scheduleJobs(new Date('2026-11-23T08:05:00Z')).map((j) => j.id)).toEqual(jobs.map((j) => j.id));
  });
});
