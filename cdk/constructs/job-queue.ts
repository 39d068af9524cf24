import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of the job queue. */
export interface JobQueueProps {
  /** The worker's timeout: the visibility timeout must cover a whole batch and its retries. */
  workerTimeout: Duration;
  /** Receives before a job is parked in the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
}

/** The SQS queue between ingress and worker, and where jobs land when they keep failing. */
export class JobQueue extends Construct {
  /** Jobs for the worker. Bodies never hold a secret. */
  readonly queue: Queue;
  /** Jobs that failed `maxReceiveCount` times; kept 14 days for inspection and redrive. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobQueueProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'Dlq', 'the job queue');
    this.queue = new Queue(this, 'Jobs', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}

/** An encrypted, TLS-only queue that keeps failed messages 14 days for inspection and redrive. */
export function deadLetterQueue(scope: Construct, id: string, of: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  // A dead-letter queue is the end of the line: giving it a DLQ of its own would only move the problem.
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: `This queue is the dead-letter queue of ${of}; a DLQ of a DLQ only moves the problem.`,
  });
  return queue;
}
