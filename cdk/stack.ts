import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUNDLED_CONFIG_NAME, LAMBDA_TASK_ROOT, type HandlerName } from './bundling.js';
import { AppFunction } from './constructs/app-function.js';
import { AppSecrets } from './constructs/app-secrets.js';
import { DataStore } from './constructs/data-store.js';
import { deadLetterQueue, JobQueue } from './constructs/job-queue.js';
import { Monitoring } from './constructs/monitoring.js';
import { SlackEndpoint } from './constructs/slack-endpoint.js';
import { grantIngress, grantJobRunner, grantLeakIntake, grantScheduler, type AccessTargets } from './permissions.js';
import type { StackConfig } from './stack-config.js';

/** The repository root: esbuild resolves modules and finds package-lock.json here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Props of the tokenops stack. */
export interface TokenOpsStackProps extends StackProps {
  /** The validated, resolved operator config (see stack-config.ts). */
  config: StackConfig;
  /** Folder holding ingress.ts, worker.ts and schedule.ts, each exporting `handler`. @default src/handlers */
  handlersDir?: string;
}

/** The `service` of every log line and the default dimension of every metric. */
export const SERVICE_NAME = 'tokenops';

// Sizing. The ingress gets more memory for the CPU share it brings: its cold start runs inside Slack's 3 s.
const SIZING: Record<HandlerName, { memorySize: number; timeout: Duration }> = {
  ingress: { memorySize: 1024, timeout: Duration.seconds(10) },
  worker: { memorySize: 512, timeout: Duration.seconds(60) },
  schedule: { memorySize: 512, timeout: Duration.minutes(5) },
  leaks: { memorySize: 512, timeout: Duration.seconds(30) },
};

/** Everything tokenops runs on: Slack endpoint, functions, queue, tables, secrets, schedule, alarms. */
export class TokenOpsStack extends Stack {
  readonly data: DataStore;
  readonly secrets: AppSecrets;
  readonly jobs: JobQueue;
  readonly scheduleDlq: Queue;
  readonly functions: Record<HandlerName, AppFunction>;
  readonly endpoint: SlackEndpoint;
  readonly monitoring: Monitoring;

  /** CloudWatch namespace of the functions' EMF metrics: one per stack, so two stacks never mix. */
  get metricsNamespace(): string {
    return `tokenops/${this.stackName}`;
  }

  constructor(scope: Construct, id: string, props: TokenOpsStackProps) {
    super(scope, id, { description: 'tokenops: Slack ChatOps bot for API tokens', ...props });
    const { config } = props;
    const logRetention = config.deploy.logRetentionDays as RetentionDays;
    Tags.of(this).add('app', 'tokenops');
    for (const [k, v] of Object.entries(config.deploy.tags)) Tags.of(this).add(k, v);

    this.data = new DataStore(this, 'Data', { tableName: config.deploy.tableName ?? `${this.stackName}-data` });
    this.secrets = new AppSecrets(this, 'Secrets', config.secrets);
    this.jobs = new JobQueue(this, 'Jobs', { workerTimeout: SIZING.worker.timeout });
    this.scheduleDlq = deadLetterQueue(this, 'ScheduleDlq', 'the scheduled runs');
    this.functions = this.createFunctions(props, logRetention);
    this.grantAccess();

    this.endpoint = new SlackEndpoint(this, 'Slack', {
      ingress: this.functions.ingress.fn,
      leaks: this.functions.leaks.fn,
      throttle: config.deploy.throttle,
      logRetention,
    });
    this.wireWorker(config);
    this.wireSchedule(config);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmPrefix: this.stackName,
      metricsNamespace: this.metricsNamespace,
      serviceName: SERVICE_NAME,
      ingress: this.functions.ingress.fn,
      api: this.endpoint.api,
      functions: {
        Ingress: this.functions.ingress.fn,
        Worker: this.functions.worker.fn,
        Schedule: this.functions.schedule.fn,
        Leaks: this.functions.leaks.fn,
      },
      deadLetterQueues: { JobDlq: this.jobs.deadLetterQueue, ScheduleDlq: this.scheduleDlq },
      jobQueue: this.jobs.queue,
      alarmEmail: config.deploy.alarmEmail,
      alarmSlack: config.deploy.alarmSlack,
    });
    this.addOutputs(config);
  }

  /** Each function's permissions, statement by statement (see permissions.ts). */
  private grantAccess(): void {
    const targets: AccessTargets = {
      table: this.data.table,
      queue: this.jobs.queue,
      slackSecret: this.secrets.slack,
      fingerprintSecret: this.secrets.fingerprintKey,
      connectionSecrets: [...this.secrets.connections.values()],
      leakSecret: this.secrets.leakSigning,
    };
    grantIngress(this.functions.ingress.role, targets);
    grantJobRunner(this.functions.worker.role, targets);
    grantScheduler(this.functions.schedule.role, targets);
    grantLeakIntake(this.functions.leaks.role, targets);
  }

  private createFunctions(props: TokenOpsStackProps, logRetention: RetentionDays): Record<HandlerName, AppFunction> {
    const handlersDir = props.handlersDir ?? join(REPO_ROOT, 'src', 'handlers');
    const configJsonPath = writeResolvedConfig(props.config);
    const reserved = props.config.deploy.reservedConcurrency;
    const environment = {
      TOKENOPS_CONFIG_FILE: `${LAMBDA_TASK_ROOT}/${BUNDLED_CONFIG_NAME}`,
      TOKENOPS_TABLE: this.data.table.tableName,
      TOKENOPS_QUEUE_URL: this.jobs.queue.queueUrl,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: this.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: props.config.deploy.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
    };
    const make = (handler: HandlerName, description: string, extra: { deadLetterQueue?: Queue } = {}) =>
      new AppFunction(this, `${handler[0]!.toUpperCase()}${handler.slice(1)}`, {
        handler,
        entry: entryFile(handlersDir, handler),
        projectRoot: REPO_ROOT,
        configJsonPath,
        description,
        ...SIZING[handler],
        reservedConcurrency: reserved === false ? undefined : reserved[handler],
        environment,
        logRetention,
        ...extra,
      });
    const functions = {
      ingress: make('ingress', 'tokenops: verifies Slack requests, authorizes, acks, enqueues jobs'),
      worker: make('worker', 'tokenops: runs queued jobs against provider APIs, delivers and audits'),
      schedule: make('schedule', 'tokenops: daily expiry reminders and stale-token report', {
        deadLetterQueue: this.scheduleDlq,
      }),
      leaks: make('leaks', 'tokenops: signed leak reports (POST /leaks): fingerprint, match, revoke or propose'),
    };
    acknowledgeFunctionFindings(functions);
    return functions;
  }

  /** Worker: fed by the queue, reporting per-message failures so one bad job does not retry a batch. */
  private wireWorker(config: StackConfig): void {
    const reserved = config.deploy.reservedConcurrency;
    // Never poll faster than the reserved concurrency can run (Lambda's minimum cap is 2); with nothing
    // reserved, cap the worker so a burst of jobs leaves executions for the ingress.
    const cap = reserved === false ? config.deploy.workerMaxConcurrency : reserved.worker;
    this.functions.worker.fn.addEventSource(
      new SqsEventSource(this.jobs.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: cap >= 2 ? cap : undefined,
      }),
    );
  }

  /** The periodic jobs: one EventBridge rule; events that cannot be delivered land in the schedule DLQ. */
  private wireSchedule(config: StackConfig): void {
    new Rule(this, 'DailyJobs', {
      description: 'tokenops: expiry reminders and stale-token report',
      schedule: Schedule.expression(config.deploy.scheduleExpression),
      targets: [
        new LambdaFunction(this.functions.schedule.fn, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.scheduleDlq,
        }),
      ],
    });
  }

  private addOutputs(config: StackConfig): void {
    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('RequestUrl', this.endpoint.requestUrl, 'Paste into slack/manifest.yaml (slash command and interactivity URL)');
    out('LeaksUrl', this.endpoint.leaksUrl, 'Where scanners POST signed leak reports');
    out('LeakSigningSecretName', config.secrets.leakSigning, 'Give this generated secret to your scanners');
    out('AuditTableName', this.data.table.tableName, 'DynamoDB table with the audit trail (retained on teardown)');
    out('JobQueueUrl', this.jobs.queue.queueUrl, 'SQS queue of jobs for the worker');
    out('DeadLetterQueueUrl', this.jobs.deadLetterQueue.queueUrl, 'Jobs that failed every retry');
    out('ScheduleDeadLetterQueueUrl', this.scheduleDlq.queueUrl, 'Scheduled runs that failed every retry');
    out('AlarmTopicArn', this.monitoring.topic.topicArn, 'SNS topic of the alarms: subscribe to it');
    out('DashboardName', this.monitoring.dashboard.dashboard.dashboardName, 'CloudWatch dashboard of the stack');
    out('SlackSecretName', config.secrets.slack, 'Fill with {"signingSecret": "...", "botToken": "xoxb-..."}');
    out(
      'ConnectionSecretNames',
      config.secrets.connections.map((c) => c.secretName).join(','),
      'Fill each with the connection credentials JSON',
    );
    for (const [name, f] of Object.entries(this.functions)) {
      out(`${name[0]!.toUpperCase()}${name.slice(1)}LogGroup`, f.logGroup.logGroupName, `Logs of the ${name} function`);
    }
  }
}

/** cdk-nag Serverless findings that do not apply to how each function is invoked. */
function acknowledgeFunctionFindings(functions: Record<HandlerName, AppFunction>): void {
  for (const f of Object.values(functions)) {
    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role.
    Validations.of(f.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permission: only "*".',
    });
  }
  Validations.of(functions.leaks.fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: 'Invoked synchronously by API Gateway: the scanner sees the error and sends the report again.',
  });
  Validations.of(functions.ingress.fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: 'Invoked synchronously by API Gateway: there is no async event to dead-letter; Slack sees the error.',
  });
  Validations.of(functions.worker.fn).acknowledge(
    {
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked by the SQS event source: failed jobs reach the job DLQ through the queue redrive policy.',
    },
    {
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: 'SQS mappings do not support on-failure destinations; the queue redrive policy is the DLQ.',
    },
  );
}

/** The handler file, with a message that says what is expected when it is missing. */
function entryFile(dir: string, handler: HandlerName): string {
  const file = join(dir, `${handler}.ts`);
  if (!existsSync(file)) throw new Error(`Lambda entry ${file} not found: it must export \`handler\``);
  return file;
}

/** Writes the resolved config (secret names, no secret values) where the bundling hook copies it from. */
function writeResolvedConfig(config: StackConfig): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tokenops-cdk-')), BUNDLED_CONFIG_NAME);
  writeFileSync(file, `${JSON.stringify(config.app, null, 2)}\n`);
  return file;
}
