import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of the alarms. */
export interface MonitoringProps {
  functions: Record<string, IFunction>;
  /** Dead-letter queues by label: any message in one is an alarm. */
  deadLetterQueues: Record<string, IQueue>;
  jobQueue: IQueue;
  alarmEmail?: string | undefined;
}

/** Alarms on everything that means "a user's request or a periodic job got lost", sent to one topic. */
export class Monitoring extends Construct {
  /** Alarm notifications; subscribe email, chat or paging to it. */
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { displayName: 'tokenops alarms', enforceSSL: true });
    // Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
    // alarm names and metric values are not sensitive enough to pay for a customer key.
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      // A lost alarm mail loses no state: the alarm stays in ALARM in CloudWatch until it recovers.
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'Email alarm notifications: a lost mail loses no state, the alarm stays visible in CloudWatch.',
      });
    }

    for (const [label, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${label}Depth`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), {
        description: `${label}: messages are waiting in a dead-letter queue (jobs that failed every retry).`,
      });
    }
    for (const [label, fn] of Object.entries(props.functions)) {
      this.alarm(`${label}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), {
        description: `${label} function: invocations failed (see its log group).`,
      });
      this.alarm(`${label}Throttles`, fn.metricThrottles({ period: Duration.minutes(5) }), {
        description: `${label} function: invocations were throttled (reserved concurrency or account limit).`,
      });
    }
    // A queue that stops draining loses no message yet, but every user is waiting on it.
    this.alarm('JobQueueAge', props.jobQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }), {
      description: 'Job queue: the oldest job has waited over 5 minutes (worker failing or throttled).',
      threshold: 300,
    });
  }

  private alarm(id: string, metric: IMetric, opts: { description: string; threshold?: number }): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: opts.description,
      threshold: opts.threshold ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
