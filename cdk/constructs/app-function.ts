import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundlingFor, type HandlerName } from '../bundling.js';

/** Props of one tokenops Lambda function. */
export interface AppFunctionProps {
  handler: HandlerName;
  /** The TypeScript entry file exporting `handler`. */
  entry: string;
  /** The repo root (holds package-lock.json); esbuild resolves modules from here. */
  projectRoot: string;
  /** The resolved config JSON copied into the bundle. */
  configJsonPath: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  /** Reserved concurrency; undefined reserves none. */
  reservedConcurrency: number | undefined;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** For asynchronously invoked functions: where events go after the retries. */
  deadLetterQueue?: IQueue;
}

/**
 * A Node.js 24 arm64 function with its own role and log group. The role starts empty (no managed
 * policy) and gets exactly the log statement below; the stack adds each other permission by name.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `tokenops ${props.handler} function`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this log group only.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // Lambda records each invocation (init included) in X-Ray without any code in the bundle; the
      // worker adds its own subsegments (Powertools Tracer) for provider calls.
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      deadLetterQueue: props.deadLetterQueue,
      bundling: bundlingFor(props.handler, props.configJsonPath),
    });
  }
}
