import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  Stats,
  type Alarm,
  type IMetric,
  type Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../src/core/telemetry.js';

/** Props of the operations dashboard. */
export interface OpsDashboardProps {
  name: string;
  api: IHttpApi;
  ingress: IFunction;
  functions: Record<string, IFunction>;
  jobQueue: IQueue;
  deadLetterQueues: Record<string, IQueue>;
  /** A tokenops metric with the service dimension only. */
  appMetric: (name: string, statistic?: string) => Metric;
  namespace: string;
  alarms: Alarm[];
}

const PERIOD = Duration.minutes(5);

/** One dashboard an operator opens first: alarms, the Slack path, jobs, providers, audit. */
export class OpsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, p: OpsDashboardProps) {
    super(scope, id);
    // Series whose dimension values are only known at run time (commands, providers) come from SEARCH.
    const search = (metric: string, dims: string[], stat: string, label: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${p.namespace},${['service', ...dims].join(',')}} MetricName="${metric}"', '${stat}', ${PERIOD.toSeconds()})`,
        label,
        usingMetrics: {},
        period: PERIOD,
      });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: p.name, defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: p.alarms, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph(
        'Slack endpoint: requests and 5xx',
        [p.api.metricCount({ period: PERIOD, statistic: Stats.SUM })],
        [p.api.metricServerError({ period: PERIOD, statistic: Stats.SUM })],
      ),
      graph('Ack latency (ms): API p99 (with cold starts), ingress p99', [
        p.api.metricLatency({ period: PERIOD, statistic: 'p99' }),
        p.ingress.metricDuration({ period: PERIOD, statistic: 'p99' }),
      ]),
      graph(
        'Job queue: oldest job (s), dead letters',
        [p.jobQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD })],
        Object.values(p.deadLetterQueues).map((q) => q.metricApproximateNumberOfMessagesVisible({ period: PERIOD })),
      ),
    );
    this.dashboard.addWidgets(
      graph('Jobs by command and outcome', [search(METRIC.jobs, ['command', 'outcome'], 'Sum', 'jobs')]),
      graph(
        'Failed jobs, refusals, dropped audit notices',
        [p.appMetric(METRIC.failedJobs), p.appMetric(METRIC.auditNoticesDropped)],
        [search(METRIC.refusals, ['reason'], 'Sum', 'refusals')],
      ),
      graph('Provider calls by provider and status', [
        search(METRIC.providerCalls, ['provider', 'status'], 'Sum', 'calls'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Time to kill a token (ms, p90)', [search(METRIC.timeToKill, ['provider'], 'p90', 'time to kill')]),
      graph('Rate-limit waits (ms, sum)', [search(METRIC.rateLimitWait, ['provider'], 'Sum', 'waited')]),
      graph(
        'Fan-out connection errors, function errors',
        [search(METRIC.connectionErrors, ['provider'], 'Sum', 'connection errors')],
        Object.values(p.functions).map((f) => f.metricErrors({ period: PERIOD })),
      ),
    );
  }
}
