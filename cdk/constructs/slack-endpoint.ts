import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The path Slack posts slash commands and interactions to (Bolt's default). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** The path scanners post leak reports to. */
export const LEAKS_PATH = '/leaks';

/** Props of the Slack endpoint. */
export interface SlackEndpointProps {
  ingress: IFunction;
  /** The leak intake, on its own route of the same API. */
  leaks: IFunction;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
}

/** The HTTP API Slack calls: one POST route to the ingress function, throttled, with access logs. */
export class SlackEndpoint extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: SlackEndpointProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'tokenops: Slack request URL (slash command and interactivity)',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // Caps what a flood (or a leaked URL) can cost; Slack's own traffic for one team is far below it.
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.api.addRoutes({
      path: SLACK_EVENTS_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('Ingress', props.ingress),
    });
    this.api.addRoutes({
      path: LEAKS_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('Leaks', props.leaks),
    });
    // Slack cannot present IAM, Cognito or JWT credentials: it signs each request with HMAC-SHA256,
    // and the ingress function verifies that signature (5-minute replay window) before any work.
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Slack and secret scanners cannot send IAM/JWT credentials; each request is HMAC-signed and verified in the function.',
    });
  }

  /** The URL scanners post leak reports to. */
  get leaksUrl(): string {
    return `${this.api.apiEndpoint}${LEAKS_PATH}`;
  }

  /** The URL to paste into the Slack app's slash command and interactivity settings. */
  get requestUrl(): string {
    return `${this.api.apiEndpoint}${SLACK_EVENTS_PATH}`;
  }
}

// Structured access log: enough to trace a request to the ingress logs, nothing from the body.
// `requestId` is API Gateway's id (the ingress logs it as `apiRequestId`); `lambdaRequestId` is the
// invocation's id, which Powertools logs as `function_request_id` on every ingress line.
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  lambdaRequestId: '$context.integration.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
};
