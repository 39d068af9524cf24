import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Job } from '../commands/job.js';
import type { Log } from '../core/ports.js';

/** Runs each record's job; a failure marks only that record for redelivery (ReportBatchItemFailures). */
export async function runBatch(
  records: SQSRecord[],
  run: (job: Job) => Promise<void>,
  log: Log,
): Promise<SQSBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let job: Job;
    try {
      job = JSON.parse(record.body) as Job;
      if (typeof job.id !== 'string' || typeof job.kind !== 'string') throw new Error('not a job');
    } catch {
      // A malformed body can never succeed: log and drop it rather than loop it into the DLQ forever.
      log.error('malformed job dropped', { messageId: record.messageId });
      continue;
    }
    try {
      await run(job);
    } catch (err) {
      log.warn('job will be retried', { jobId: job.id, messageId: record.messageId, reason: (err as Error).name });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
