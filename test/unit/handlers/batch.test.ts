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
  const plenty = { remainingMs: () => 60_000 };
  const job = (id: string): string => JSON.stringify({ id, kind: 'schedule' });

  it('reports only the failed records, and drops malformed bodies instead of looping them', async () => {
    lines.length = 0;
    const res = await runBatch(
      [record('m1', job('a')), record('m2', job('b')), record('m3', '{not json'), record('m4', '{"x":1}')],
      async (j) => {
        if (j.id === 'b') throw new Error('retry me');
      },
      log,
      plenty,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(lines.filter((l) => l === 'malformed job dropped')).toHaveLength(2);
  });

  it('runs the jobs of a batch at once, up to its concurrency', async () => {
    let running = 0;
    let most = 0;
    const res = await runBatch(
      ['a', 'b', 'c', 'd', 'e'].map((id, i) => record(`m${i}`, job(id))),
      async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      },
      log,
      { ...plenty, concurrency: 3 },
    );
    expect(res.batchItemFailures).toEqual([]);
    expect(most).toBe(3);
  });

  it('gives each job a deadline no later than its budget', async () => {
    const deadlines: number[] = [];
    const before = Date.now();
    await runBatch([record('m1', job('a'))], async (_j, deadline) => void deadlines.push(deadline), log, {
      ...plenty,
      jobBudgetMs: 10_000,
    });
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + 10_000);
    expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it('starts no job it has no time for, and reports it for redelivery without running it', async () => {
    const ran: string[] = [];
    const res = await runBatch(
      [record('m1', job('a')), record('m2', job('b'))],
      async (j) => void ran.push(j.id),
      log,
      { remainingMs: () => 20_000, jobBudgetMs: 40_000 },
    );
    expect(ran).toEqual([]);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2']);
  });

  it('answers before the invocation ends when the first job hangs: the others finish, the hung one comes back', async () => {
    lines.length = 0;
    const finished: string[] = [];
    const res = await runBatch(
      ['hang', 'b', 'c', 'd', 'e'].map((id, i) => record(`m${i}`, job(id))),
      async (j) => {
        if (j.id === 'hang') return new Promise<void>(() => undefined);
        await new Promise((r) => setTimeout(r, 10));
        finished.push(j.id);
      },
      log,
      { remainingMs: () => 400, marginMs: 100, jobBudgetMs: 100, concurrency: 2 },
    );
    expect(finished.sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(lines).toContain('job still running as the invocation runs out of time');
  });
});

describe('schedule', () => {
  it('queues one job per periodic task: the daily ones act once a day, the orphan sweep once per trigger', () => {
    const jobs = scheduleJobs(new Date('2026-11-23T08:00:00Z'));
    expect(jobs.map((j) => j.id)).toEqual([
      'schedule-expiry_reminders-2026-11-23',
      'schedule-stale_report-2026-11-23',
      'schedule-orphan_sweep-2026-11-23T08:00',
    ]);
    const later = scheduleJobs(new Date('2026-11-23T08:05:00Z')).map((j) => j.id);
    expect(later.slice(0, 2)).toEqual(jobs.slice(0, 2).map((j) => j.id));
    expect(later[2]).toBe('schedule-orphan_sweep-2026-11-23T08:05');
  });
});
