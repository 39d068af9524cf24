import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Job, JobQueue } from '../commands/job.js';

/** The SQS implementation of the job queue. The body is the job as JSON: it never holds a secret. */
export class SqsQueue implements JobQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async send(job: Job, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        // SQS allows 0–900 s.
        DelaySeconds: Math.max(0, Math.min(900, Math.round(options.delaySeconds ?? 0))),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: job.kind },
          correlationId: { DataType: 'String', StringValue: job.correlationId },
        },
      }),
    );
  }
}
