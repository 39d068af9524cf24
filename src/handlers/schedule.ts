import { SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { lambdaEnv } from '../config/env.js';
import { SqsQueue } from '../queue/sqs.js';
import { scheduleJobs } from './schedule-jobs.js';

/** EventBridge (daily) → queues the expiry reminders and the stale-token report for the worker. */
export async function handler(event: ScheduledEvent): Promise<{ queued: number }> {
  const env = lambdaEnv(process.env, true);
  const queue = new SqsQueue(new SQSClient({}), env.queueUrl as string);
  const jobs = scheduleJobs(new Date(event.time ?? Date.now()));
  for (const job of jobs) await queue.send(job);
  return { queued: jobs.length };
}
