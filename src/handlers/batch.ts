import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Job } from '../commands/job.js';
import type { Log } from '../core/ports.js';

/** How a batch spends the invocation's time. */
export interface BatchOptions {
  /** Milliseconds left in this invocation: Lambda's `context.getRemainingTimeInMillis()`. */
  remainingMs: () => number;
  /** Jobs run at once. The jobs of a batch are independent (SQS keeps no order anyway). @default 5 */
  concurrency?: number;
  /**
   * What one job may take at worst (provider attempts with their timeouts, Retry-After waits, delivery).
   * A job is started only when this much time is left, and runs with this deadline. @default 40 s
   */
  jobBudgetMs?: number;
  /** Kept free at the end: the handler answers before Lambda stops it, or every record comes back. @default 3 s */
  marginMs?: number;
  now?: () => number;
}

/** What one job may take at worst; the local queue gives its jobs the same budget. */
export const JOB_BUDGET_MS = 40_000;

/** Runs one job by its deadline (epoch ms); throws to have it delivered again. */
export type RunJob = (job: Job, deadline: number) => Promise<void>;

type Item = { record: SQSRecord; job: Job };

/** The records' jobs; a malformed body can never succeed, so it is logged and dropped, not redelivered. */
function parseRecords(records: SQSRecord[], log: Log): Item[] {
  return records.flatMap((record) => {
    try {
      const job = JSON.parse(record.body) as Job;
      if (typeof job.id !== 'string' || typeof job.kind !== 'string') throw new Error('not a job');
      return [{ record, job }];
    } catch {
      log.error('malformed job dropped', { messageId: record.messageId });
      return [];
    }
  });
}

/**
 * Runs a batch of SQS records within the invocation's time: jobs run concurrently (bounded); a job is
 * started only when its whole budget is left; the answer goes back before Lambda's timeout. A job that
 * failed, was not started, or has not finished by then is reported as a batch item failure, so SQS
 * delivers it again: an unstarted job was never claimed, so it then runs as new, never as a duplicate.
 */
export async function runBatch(
  records: SQSRecord[],
  run: RunJob,
  log: Log,
  o: BatchOptions,
): Promise<SQSBatchResponse> {
  const now = o.now ?? Date.now;
  const jobBudget = o.jobBudgetMs ?? JOB_BUDGET_MS;
  const end = now() + o.remainingMs() - (o.marginMs ?? 3_000);
  const items = parseRecords(records, log);
  const done = new Set<Item>();
  const running = new Set<Item>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let item = items[next++]; item; item = items[next++]) {
      if (end - now() < jobBudget) {
        log.info('job not started: too little time left in this invocation', { jobId: item.job.id });
        continue; // reported below; SQS delivers it again
      }
      running.add(item);
      try {
        await run(item.job, now() + jobBudget);
        done.add(item);
      } catch (err) {
        log.warn('job will be retried', { jobId: item.job.id, reason: (err as Error).name });
      } finally {
        running.delete(item);
      }
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, end - now()));
  });
  const workers = Array.from({ length: Math.max(1, o.concurrency ?? 5) }, worker);
  await Promise.race([Promise.all(workers), timeUp]);
  clearTimeout(timer);
  for (const i of running) log.warn('job still running as the invocation runs out of time', { jobId: i.job.id });
  const failed = items.filter((i) => !done.has(i));
  return { batchItemFailures: failed.map((i) => ({ itemIdentifier: i.record.messageId })) };
}
