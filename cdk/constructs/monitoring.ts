import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../src/core/telemetry.js';
import { OpsDashboard } from './dashboard.js';

/** Slack's acknowledgement window is 3 s; alarm while there is still room. */
export const INGRESS_P99_MS = 2500;

/** Props of the alarms and the dashboard. */
export interface MonitoringProps {
  /** Prefix of every alarm name (the stack name), also what the topic policy lets CloudWatch publish for. */
  alarmPrefix: string;
  /** Namespace of the functions' EMF metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  /** Service dimension Powertools adds to every metric (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  functions: Record<string, IFunction>;
  /** The ingress function: its p99 duration is alarmed against Slack's 3 s. */
  ingress: IFunction;
  api: IHttpApi;
  /** Dead-letter queues by label: any message in one is an alarm. */
  deadLetterQueues: Record<string, IQueue>;
  jobQueue: IQueue;
  alarmEmail?: string | undefined;
  /** Also deliver alarms to a Slack channel through AWS Chatbot (the workspace must be authorised once). */
  alarmSlack?: { workspaceId: string; channelId: string } | undefined;
}

/** Alarms on everything that means "a user's request or a periodic job got lost", sent to one topic. */
export class Monitoring extends Construct {
  /** Alarm notifications; subscribe email, chat or paging to it. */
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: OpsDashboard;
  readonly #props: MonitoringProps;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.#props = props;
    this.topic = new Topic(this, 'Alarms', { displayName: 'tokenops alarms', enforceSSL: true });
    // Unencrypted on purpose: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
    // alarm names and metric values are not sensitive enough to pay for a customer key.
    this.allowCloudWatchToPublish();
    this.subscribe(props);

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
    this.alarmWhatUsersSee(props);
    this.dashboard = new OpsDashboard(this, 'Dashboard', {
      name: `${props.alarmPrefix}-operations`,
      api: props.api,
      ingress: props.ingress,
      functions: props.functions,
      jobQueue: props.jobQueue,
      deadLetterQueues: props.deadLetterQueues,
      appMetric: (name, statistic) => this.appMetric(name, statistic),
      namespace: props.metricsNamespace,
      alarms: this.alarms,
    });
  }

  /** A tokenops EMF metric with only the service dimension (the alarmable series). */
  appMetric(name: string, statistic: string = Stats.SUM): Metric {
    return new Metric({
      namespace: this.#props.metricsNamespace,
      metricName: name,
      dimensionsMap: { service: this.#props.serviceName },
      statistic,
      period: Duration.minutes(5),
    });
  }

  /** What Slack users and the audit channel notice: 5xx from the API, slow acks, failed jobs, lost notices. */
  private alarmWhatUsersSee(props: MonitoringProps): void {
    // Bolt turns a listener error into an HTTP 500 without a Lambda error: only the API sees it.
    this.alarm('Api5xx', props.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }), {
      description: 'Slack endpoint: the API answered 5xx (ingress failed or timed out); Slack showed an error.',
    });
    this.alarm('IngressDurationP99', props.ingress.metricDuration({ period: Duration.minutes(5), statistic: 'p99' }), {
      description: `Ingress: p99 duration over ${INGRESS_P99_MS} ms, close to Slack's 3 s acknowledgement limit.`,
      threshold: INGRESS_P99_MS,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarm('FailedJobs', this.appMetric(METRIC.failedJobs), {
      description: 'Worker: jobs ended in an error the user did not cause (see the worker log by correlation id).',
    });
    this.alarm('AuditNoticesDropped', this.appMetric(METRIC.auditNoticesDropped), {
      description: 'Worker: an audit notice could neither be posted nor re-queued; the audit channel missed it.',
    });
  }

  /**
   * A topic policy replaces SNS's default one, and `enforceSSL` creates a policy holding only the TLS
   * deny: without this statement no alarm of the stack could publish (AccessDenied in the alarm history).
   */
  private allowCloudWatchToPublish(): void {
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStackAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: {
            'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:${this.#props.alarmPrefix}-*`,
          },
        },
      }),
    );
  }

  private subscribe(props: MonitoringProps): void {
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      // A lost alarm mail loses no state: the alarm stays in ALARM in CloudWatch until it recovers.
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'Email alarm notifications: a lost mail loses no state, the alarm stays visible in CloudWatch.',
      });
    }
    if (props.alarmSlack) {
      // AWS Chatbot (Amazon Q Developer in chat applications) subscribes itself to the topic.
      new SlackChannelConfiguration(this, 'AlarmSlack', {
        slackChannelConfigurationName: `${props.alarmPrefix}-alarms`,
        slackWorkspaceId: props.alarmSlack.workspaceId,
        slackChannelId: props.alarmSlack.channelId,
        notificationTopics: [this.topic],
      });
    }
  }

  private alarm(
    id: string,
    metric: IMetric,
    opts: { description: string; threshold?: number; comparison?: ComparisonOperator },
  ): void {
    const alarm = new Alarm(this, id, {
      // A fixed name: the topic policy admits only this stack's alarms, and operators read it in mail.
      alarmName: `${this.#props.alarmPrefix}-${id}`,
      metric,
      alarmDescription: opts.description,
      threshold: opts.threshold ?? 1,
      comparisonOperator: opts.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
