import { readFileSync, rmSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../cdk/constructs/slack-endpoint.js';
import { METRIC } from '../../src/core/telemetry.js';
import { acknowledgements, findings } from './fixtures/nag.js';
import { fixtureDoc, synthStack } from './fixtures/synth.js';

// Synthesis (esbuild, cdk-nag, a tsx child process) runs on a shared machine: give it minutes, not 30 s.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// Operability of the stack: alarms that can reach their topic, the metrics they watch, tracing, the
// access log, and the defaults a brand-new account needs. No bundling: these read the template only.
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
let synth: ReturnType<typeof synthStack>;
let template: Template;
let resources: Resources;
const outdirs: string[] = [];

beforeAll(() => {
  synth = synthStack();
  outdirs.push(synth.outdir);
  template = synth.template;
  resources = template.toJSON().Resources as Resources;
});
afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const ref = (v: string) => synth.stack.resolve(v) as unknown;

/** The statements of every topic policy attached to the topic with this logical id. */
function topicStatements(topicId: string): Record<string, unknown>[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::SNS::TopicPolicy')
    .filter((r) => (r.Properties.Topics as { Ref: string }[]).some((t) => t.Ref === topicId))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
}

describe('alarms that arrive', () => {
  it('sends every alarm action to a topic whose policy lets CloudWatch publish for this stack only', () => {
    const all = alarms();
    expect(all.length).toBe(15); // 2 DLQs, 4 functions × (errors, throttles), queue age, and the 4 user-facing ones
    for (const alarm of all) {
      const actions = [...(alarm.AlarmActions as { Ref: string }[]), ...(alarm.OKActions as { Ref: string }[])];
      expect(actions.length, String(alarm.AlarmName)).toBeGreaterThan(0);
      for (const action of actions) {
        const topic = resources[action.Ref];
        expect(topic?.Type, `${String(alarm.AlarmName)} → ${action.Ref}`).toBe('AWS::SNS::Topic');
        const statements = topicStatements(action.Ref);
        const grant = statements.find(
          (st) =>
            st.Effect === 'Allow' &&
            JSON.stringify(st.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }) &&
            ([] as unknown[]).concat(st.Action).includes('sns:Publish'),
        );
        expect(grant, `no CloudWatch publish grant on the topic of ${String(alarm.AlarmName)}`).toBeDefined();
        expect(grant!.Resource).toEqual({ Ref: action.Ref });
        const cond = grant!.Condition as Record<string, Record<string, unknown>>;
        expect(cond.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
        // The SourceArn pattern must cover this alarm's own ARN (its name starts with the stack name).
        const arn = JSON.stringify(cond.ArnLike!['aws:SourceArn']);
        expect(arn).toContain(':alarm:TokenOpsTest-*');
        expect(String(alarm.AlarmName).startsWith('TokenOpsTest-')).toBe(true);
        // The TLS deny stays beside it.
        expect(
          statements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('SecureTransport')),
        ).toBe(true);
        // An encrypted topic would also need its key to let CloudWatch use it.
        const keyId = topic!.Properties.KmsMasterKeyId as { 'Fn::GetAtt'?: [string, string] } | undefined;
        if (keyId) {
          const key = resources[keyId['Fn::GetAtt']![0]]!;
          expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
        }
      }
    }
  });

  it('alarms on API 5xx, ingress p99 over 2.5 s, failed jobs and dropped audit notices', () => {
    const byName = new Map(alarms().map((a) => [a.AlarmName, a]));
    expect(byName.get('TokenOpsTest-Api5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: ref(synth.stack.endpoint.api.apiId) }],
      Statistic: 'Sum',
      Threshold: 1,
    });
    expect(byName.get('TokenOpsTest-IngressDurationP99')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 2500,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: ref(synth.stack.functions.ingress.fn.functionName) }],
    });
    for (const [name, metric] of [
      ['FailedJobs', METRIC.failedJobs],
      ['AuditNoticesDropped', METRIC.auditNoticesDropped],
    ]) {
      expect(byName.get(`TokenOpsTest-${name}`)).toMatchObject({
        Namespace: 'tokenops/TokenOpsTest',
        MetricName: metric,
        Dimensions: [{ Name: 'service', Value: 'tokenops' }],
        Statistic: 'Sum',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('explains every alarm in the README troubleshooting table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### When something fails'));
    for (const a of alarms()) {
      const id = String(a.AlarmName).replace(/^TokenOpsTest-/, '');
      const documented = table.includes(`\`${id}\``) || (/Throttles$/.test(id) && table.includes('`…Throttles`'));
      expect(documented, id).toBe(true);
    }
  });

  it('draws one dashboard with the alarms and every metric the functions emit', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('TokenOpsTest-operations');
    const body = JSON.stringify(synth.stack.resolve(dashboards[0]!.Properties.DashboardBody));
    for (const name of Object.values(METRIC)) expect(body, name).toContain(name);
    expect(body).toContain('alarm');
  });

  it('delivers alarms to Slack through AWS Chatbot only when alarmSlack is set, still cdk-nag clean', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    doc.aws.alarmSlack = { workspaceId: 'T0TEST001', channelId: 'C0ALARMS01' };
    const s = synthStack(doc);
    outdirs.push(s.outdir);
    s.template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0TEST001',
      SlackChannelId: 'C0ALARMS01',
      SnsTopicArns: [s.stack.resolve(s.stack.monitoring.topic.topicArn)],
    });
    expect([...findings(new AwsSolutionsChecks(), s.stack), ...findings(new ServerlessChecks(), s.stack)]).toEqual([]);
  });
});

describe('traces and logs', () => {
  it('traces every function with X-Ray (active tracing)', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fns.length).toBeGreaterThan(0);
    for (const fn of fns) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('access-logs API Gateway and Lambda request ids, never the body', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format.requestId).toBe('$context.requestId');
    expect(format.lambdaRequestId).toBe('$context.integration.requestId');
    expect(Object.values(format).join()).not.toMatch(/body|header/i);
  });

  it('lets Powertools take the service name and metrics namespace from the environment', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'tokenops',
        POWERTOOLS_METRICS_NAMESPACE: 'tokenops/TokenOpsTest',
      });
    }
  });
});

describe('a fresh account', () => {
  it('deploys the example defaults under a concurrency quota of 10: nothing reserved, worker capped', () => {
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    delete doc.aws.reservedConcurrency;
    const s = synthStack(doc);
    outdirs.push(s.outdir);
    for (const fn of Object.values(s.template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
  });

  it('keeps the table safe from replacement: fixed name, retained, deletion-protected', () => {
    // CloudFormation cannot replace a custom-named resource: an update needing it fails instead of
    // creating an empty table and orphaning the retained one.
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ TableName: 'TokenOpsTest-data', DeletionProtectionEnabled: true }),
    });
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    doc.aws.tableName = 'tokenops-audit-prod';
    const s = synthStack(doc);
    outdirs.push(s.outdir);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'tokenops-audit-prod' });
  });

  it('waives secret rotation per provider, saying where an API could rotate it', () => {
    const smg4 = acknowledgements(synth.stack).filter((a) => a.id === 'AwsSolutions-SMG4');
    const reasonOf = (pathPart: string) => smg4.find((a) => a.path.endsWith(pathPart))?.reason ?? '';
    expect(reasonOf('Secrets/Slack')).toMatch(/^Slack signing secret/);
    expect(reasonOf('Secrets/Connection0')).toMatch(/^Triton One: no rotate endpoint/);
    expect(reasonOf('Secrets/Connection2')).toMatch(/^Mailtrap: API reset exists/);
    expect(reasonOf('Secrets/FingerprintKey')).toMatch(/fingerprint/i);
  });
});
