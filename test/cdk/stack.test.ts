import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Token, type CfnResource } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { acknowledgements, findings } from './fixtures/nag.js';
import { fixtureDoc, synthStack } from './fixtures/synth.js';
import { TABLE_SCHEMA } from '../../src/store/table.js';
import { PLACEHOLDER_NOTE } from '../../cdk/constructs/app-secrets.js';
import { JOB_BUDGET_MS } from '../../src/handlers/batch.js';
import { DEFAULT_LEASE_MS } from '../../src/worker/job-runner.js';

// Synthesis (esbuild, cdk-nag, a tsx child process) runs on a shared machine: give it minutes, not 30 s.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// Synthesising with real esbuild bundling costs seconds: do it once, with no AWS credentials in
// sight, and share the result across every assertion below.
const CREDENTIAL_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
const DEFAULT_ENV_VARS = ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'];
let synth: ReturnType<typeof synthStack>;
let template: Template;
const savedEnv = { ...process.env };

beforeAll(() => {
  for (const v of CREDENTIAL_VARS) process.env[v] = '';
  for (const v of DEFAULT_ENV_VARS) delete process.env[v];
  synth = synthStack(undefined, { bundle: true });
  template = synth.template;
});
afterAll(() => {
  process.env = savedEnv;
  rmSync(synth.outdir, { recursive: true, force: true });
});

/** Logical id of a construct's CloudFormation resource, as the template names it. */
const idOf = (c: { node: { defaultChild?: unknown } }) => synth.stack.getLogicalId(c.node.defaultChild as CfnResource);
const ref = (v: string) => synth.stack.resolve(v) as unknown;

/** The statements of the one inline policy attached to a function's role. */
function statementsOf(fn: 'ingress' | 'worker' | 'schedule'): unknown[] {
  const roleId = idOf(synth.stack.functions[fn].role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement as unknown[];
}

describe('tokenops stack', () => {
  it('synthesises environment-agnostic, with no AWS credentials or account', () => {
    expect(Token.isUnresolved(synth.stack.account)).toBe(true);
    expect(Token.isUnresolved(synth.stack.region)).toBe(true);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/\b\d{12}\b/);
  });

  it('runs each function on Node.js 24 arm64 with its sizing and reserved concurrency', () => {
    const expected = { ingress: [1024, 10, 8], worker: [512, 60, 4], schedule: [512, 300, 1] } as const;
    for (const [name, [memory, timeout, reserved]] of Object.entries(expected)) {
      const fn = synth.stack.functions[name as keyof typeof expected].fn;
      template.hasResource('AWS::Lambda::Function', {
        Properties: Match.objectLike({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: memory,
          Timeout: timeout,
          ReservedConcurrentExecutions: reserved,
          LoggingConfig: { LogGroup: ref(synth.stack.functions[name as keyof typeof expected].logGroup.logGroupName) },
        }),
      });
      expect(idOf(fn)).toMatch(/Function/);
    }
  });

  it('gives the functions names and settings in the environment, never a secret value', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(4);
    for (const fn of fns) {
      expect(fn.Properties.Environment.Variables).toEqual({
        TOKENOPS_CONFIG_FILE: '/var/task/tokenops.config.json',
        TOKENOPS_TABLE: ref(synth.stack.data.table.tableName),
        TOKENOPS_QUEUE_URL: ref(synth.stack.jobs.queue.queueUrl),
        POWERTOOLS_SERVICE_NAME: 'tokenops',
        POWERTOOLS_METRICS_NAMESPACE: 'tokenops/TokenOpsTest',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('holds no plaintext secret: secrets are generated placeholders, no parameters carry values', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets.map((s) => s.Properties.Name).sort()).toEqual([
      'test/slack',
      'test/triton-prod-admin',
      'tokenops/fingerprint-key',
      'tokenops/leak-signing-secret',
      'tokenops/mailtrap/main',
      'tokenops/triton/staging',
    ]);
    for (const s of secrets) {
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.Properties.GenerateSecretString).toBeDefined();
    }
    expect(Object.keys(template.toJSON().Parameters ?? {})).toEqual(['BootstrapVersion']);
    const json = JSON.stringify(template.toJSON());
    // Token shapes of Slack secrets; key names in output descriptions are fine, values are not.
    expect(json).not.toMatch(/xox[abpe]-[0-9A-Za-z]|xapp-[0-9A-Za-z]|"SecretString"/);
  });

  it('keeps the placeholder generator fixed, since changing it would overwrite filled-in secrets', () => {
    const operatorSecrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).filter(
      (s) => !['tokenops/fingerprint-key', 'tokenops/leak-signing-secret'].includes(s.Properties.Name as string),
    );
    expect(operatorSecrets).toHaveLength(4);
    for (const s of operatorSecrets) {
      expect(s.Properties.GenerateSecretString).toEqual({
        SecretStringTemplate: JSON.stringify({ tokenopsPlaceholder: PLACEHOLDER_NOTE }),
        GenerateStringKey: 'random',
        ExcludePunctuation: true,
        PasswordLength: 16,
      });
    }
  });

  it('stores data in a retained, encrypted single table with PITR, TTL, the audit and the token index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'TokenOpsTest-data',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key = KMS with the AWS-managed aws/dynamodb key.
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
          Match.objectLike({
            IndexName: 'tokens',
            KeySchema: [
              { AttributeName: 'tokpk', KeyType: 'HASH' },
              { AttributeName: 'toksk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ],
      }),
    });
    // Job de-duplication lives in this table too: there is no second one.
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('declares the key schema the store uses (src/store/table.ts TABLE_SCHEMA)', () => {
    const { partitionKey, sortKey, index, tokenIndex, ttlAttribute } = TABLE_SCHEMA;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: [index, tokenIndex].map((i) =>
        Match.objectLike({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  it('feeds the worker from the queue with partial batch failure reporting', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(synth.stack.functions.worker.fn.functionName),
      EventSourceArn: ref(synth.stack.jobs.queue.queueArn),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 360,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: ref(synth.stack.jobs.deadLetterQueue.queueArn), maxReceiveCount: 5 },
    });
  });

  it('leases a job for longer than any worker run, so a redelivered message never finds a live run of it', () => {
    // A run lives at most the worker's timeout; SQS redelivers only after the visibility timeout. With
    // the lease longer than a run, a redelivery finds the job done (skipped) or its run dead (lease
    // lapsed): a mint is then never repeated (the orphan sweep settles it), a safe job runs again.
    const worker = template.toJSON().Resources[idOf(synth.stack.functions.worker.fn)].Properties;
    const queue = template.toJSON().Resources[idOf(synth.stack.jobs.queue)].Properties;
    expect(DEFAULT_LEASE_MS / 1000).toBeGreaterThan(worker.Timeout);
    expect(JOB_BUDGET_MS / 1000).toBeLessThan(worker.Timeout);
    expect(queue.VisibilityTimeout).toBeGreaterThan(worker.Timeout);
  });

  it('serves Slack through a throttled, access-logged HTTP API route to the ingress', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /slack/events' });
    // Scanners post signed leak reports to their own route of the same API, handled by the leaks function.
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /leaks' });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 11 },
      AccessLogSettings: Match.objectLike({ DestinationArn: ref(synth.stack.endpoint.accessLogs.logGroupArn) }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: ref(synth.stack.functions.ingress.fn.functionArn),
      PayloadFormatVersion: '2.0',
    });
  });

  it('runs the periodic jobs on the configured schedule, failures to a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 6 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: ref(synth.stack.functions.schedule.fn.functionArn),
          DeadLetterConfig: { Arn: ref(synth.stack.scheduleDlq.queueArn) },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('keeps logs for the configured retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(5); // four functions and the API's access logs
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });
});

describe('tokenops stack IAM', () => {
  const logs = (fn: 'ingress' | 'worker' | 'schedule') => ({
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: ref(synth.stack.functions[fn].logGroup.logGroupArn),
  });
  // Active tracing: the X-Ray API has no resource-level permissions (acknowledged as IAM5[Resource::*]).
  const xray = () => ({
    Effect: 'Allow',
    Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    Resource: '*',
  });
  const enqueue = () => ({
    Sid: 'EnqueueJobs',
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Resource: ref(synth.stack.jobs.queue.queueArn),
  });
  const secret = (s: { secretArn: string }) => ref(s.secretArn);
  const jobRunner = () => {
    const { data, secrets } = synth.stack;
    return [
      enqueue(),
      {
        Sid: 'ReadAllSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [secrets.slack, secrets.fingerprintKey, ...secrets.connections.values()].map(secret),
      },
      {
        Sid: 'MainTableReadWrite',
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
        Resource: ref(data.table.tableArn),
      },
      {
        Sid: 'IndexQuery',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: ['gsi1', 'tokens'].map((i) => ({ 'Fn::Join': ['', [ref(data.table.tableArn), `/index/${i}`]] })),
      },
    ];
  };

  it('lets the ingress enqueue and read only the Slack and fingerprint secrets: no table, no provider secret', () => {
    const { secrets } = synth.stack;
    expect(statementsOf('ingress')).toEqual([
      logs('ingress'),
      xray(),
      enqueue(),
      {
        Sid: 'ReadSlackSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [secret(secrets.slack), secret(secrets.fingerprintKey)],
      },
    ]);
  });

  it('lets the worker read every secret, use the table and its indexes (no Scan), and consume the queue', () => {
    expect(statementsOf('worker')).toEqual([
      logs('worker'),
      xray(),
      ...jobRunner(),
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        Resource: ref(synth.stack.jobs.queue.queueArn),
      },
    ]);
  });

  it('lets the schedule only enqueue the periodic jobs (and use its dead-letter queue)', () => {
    expect(statementsOf('schedule')).toEqual([
      logs('schedule'),
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref(synth.stack.scheduleDlq.queueArn) },
      xray(),
      enqueue(),
    ]);
  });

  it('attaches no managed policy and no other inline policy to any role', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(4);
    for (const r of roles) {
      expect(r.Properties.ManagedPolicyArns).toBeUndefined();
      expect(r.Properties.Policies).toBeUndefined();
      expect(r.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    }
    template.resourceCountIs('AWS::IAM::Policy', 4);
  });
});

describe('tokenops stack alarms and outputs', () => {
  it('alarms on dead-letter depth, function errors and throttles, to the alarm topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topic = ref(synth.stack.monitoring.topic.topicArn);
    for (const a of alarms) expect(a.AlarmActions).toEqual([topic]);
    const dlqName = ref(synth.stack.jobs.deadLetterQueue.queueName);
    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: dlqName }]) &&
          a.Threshold === 1,
      ),
    ).toBe(true);
    for (const fn of Object.values(synth.stack.functions)) {
      for (const metric of ['Errors', 'Throttles']) {
        const dims = JSON.stringify([{ Name: 'FunctionName', Value: ref(fn.fn.functionName) }]);
        expect(alarms.some((a) => a.MetricName === metric && JSON.stringify(a.Dimensions) === dims)).toBe(true);
      }
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('publishes what an operator needs as outputs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.RequestUrl!.Value).toEqual({
      'Fn::Join': ['', [ref(synth.stack.endpoint.api.apiEndpoint), '/slack/events']],
    });
    expect(outputs.AuditTableName!.Value).toEqual(ref(synth.stack.data.table.tableName));
    expect(outputs.DeadLetterQueueUrl!.Value).toEqual(ref(synth.stack.jobs.deadLetterQueue.queueUrl));
    expect(outputs.AlarmTopicArn!.Value).toEqual(ref(synth.stack.monitoring.topic.topicArn));
    expect(outputs.SlackSecretName!.Value).toBe('test/slack');
    expect(outputs.ConnectionSecretNames!.Value).toBe(
      'test/triton-prod-admin,tokenops/triton/staging,tokenops/mailtrap/main',
    );
  });
});

describe('tokenops bundles', () => {
  const assetDir = (fn: 'ingress' | 'worker' | 'schedule') => {
    const props = template.toJSON().Resources[idOf(synth.stack.functions[fn].fn)].Properties;
    return join(synth.outdir, `asset.${String(props.Code.S3Key).replace(/\.zip$/, '')}`);
  };

  it('ships the resolved config, with every secret name and no secret value, in each bundle', () => {
    for (const fn of ['ingress', 'worker', 'schedule'] as const) {
      const dir = assetDir(fn);
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      const shipped = JSON.parse(readFileSync(join(dir, 'tokenops.config.json'), 'utf8'));
      expect(shipped).toEqual(JSON.parse(JSON.stringify(synth.config.app)));
      expect(shipped.aws).toBeUndefined();
      expect(shipped.slack.secretName).toBe('test/slack');
      expect(shipped.fingerprintKeySecret).toBe('tokenops/fingerprint-key');
      expect(shipped.connections.map((c: { credentialsSecret: string }) => c.credentialsSecret)).toEqual([
        'test/triton-prod-admin',
        'tokenops/triton/staging',
        'tokenops/mailtrap/main',
      ]);
      expect(JSON.stringify(shipped)).not.toMatch(/"(credentials|signingSecret|botToken|appToken|fingerprintKey)"/);
    }
  });

  it('builds an ES module bundle that loads and finds its config at TOKENOPS_CONFIG_FILE', async () => {
    const dir = assetDir('ingress');
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'module';")).toBe(true);
    process.env.TOKENOPS_CONFIG_FILE = join(dir, 'tokenops.config.json');
    const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
      handler: () => Promise<{ body: string }>;
    };
    expect((await mod.handler()).body).toBe('prod,staging,main');
  });
});

describe('cdk-nag', () => {
  it('passes the AwsSolutions pack with no unacknowledged finding', () => {
    expect(findings(new AwsSolutionsChecks(), synth.stack)).toEqual([]);
  });

  it('passes the Serverless pack with no unacknowledged finding, warnings included', () => {
    expect(findings(new ServerlessChecks(), synth.stack)).toEqual([]);
  });

  it('justifies every acknowledgement with its own specific reason', () => {
    const acks = acknowledgements(synth.stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      // A rule id, optionally with the one finding it covers (e.g. IAM5[Resource::*]), never a blanket rule.
      expect(a.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[[^\]]+\])?$/);
      expect(a.reason.length, `${a.id} on ${a.path}`).toBeGreaterThanOrEqual(40);
      expect(a.reason).not.toMatch(/^(todo|n\/a|ok|fine|suppress|ignore|false positive)\b/i);
    }
    const reasonsByRule = new Map<string, Set<string>>();
    for (const a of acks) reasonsByRule.set(a.reason, new Set([...(reasonsByRule.get(a.reason) ?? []), a.id]));
    for (const [reason, ids] of reasonsByRule) expect(ids.size, `one reason reused for ${[...ids]}: ${reason}`).toBe(1);
  });

  it('acknowledges only findings that would otherwise fire (no stale acknowledgement)', () => {
    const raw = [
      ...findings(new AwsSolutionsChecks(), synth.stack, true),
      ...findings(new ServerlessChecks(), synth.stack, true),
    ];
    for (const a of acknowledgements(synth.stack)) {
      const fires = raw.some(
        (v) => v.ruleName === a.id && v.violatingResources.some((r) => r.constructPath.startsWith(a.path)),
      );
      expect(fires, `${a.id} on ${a.path}`).toBe(true);
    }
  });
});

describe('stack without reserved concurrency', () => {
  it('reserves none, caps the worker event source at workerMaxConcurrency, and still passes both packs', () => {
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    doc.aws.reservedConcurrency = false;
    const { stack: s, template, outdir } = synthStack(doc);
    rmSync(outdir, { recursive: true, force: true });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
    const [esm] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(esm!.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    expect([...findings(new AwsSolutionsChecks(), s), ...findings(new ServerlessChecks(), s)]).toEqual([]);
  });
});
