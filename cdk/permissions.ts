import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { AUDIT_INDEX, TOKEN_INDEX } from './constructs/data-store.js';

/** The resources whose access the functions need, with the ARNs the statements name. */
export interface AccessTargets {
  table: Table;
  queue: Queue;
  slackSecret: Secret;
  fingerprintSecret: Secret;
  connectionSecrets: Secret[];
  leakSecret: Secret;
}

// Each statement has a Sid so the template (and the test pinning it) reads as a list of intents.
function allow(role: Role, sid: string, actions: string[], resources: string[]): void {
  role.addToPrincipalPolicy(new PolicyStatement({ sid, actions, resources }));
}

/**
 * The ingress acks within 3 s: it enqueues jobs (refusals too: the worker stores and posts them) and
 * reads the Slack and fingerprint secrets. It never sees provider credentials or the table.
 */
export function grantIngress(role: Role, t: AccessTargets): void {
  allow(role, 'EnqueueJobs', ['sqs:SendMessage'], [t.queue.queueArn]);
  allow(
    role,
    'ReadSlackSecrets',
    ['secretsmanager:GetSecretValue'],
    [t.slackSecret.secretArn, t.fingerprintSecret.secretArn],
  );
}

/**
 * The worker does the provider work: every secret, the main table (the calls src/store makes:
 * Get/Put/Update and Query, BatchWrite for a bulk job's tokens; no Scan) and its two indexes, and
 * enqueueing (retried audit posts, a bulk job's fan-out). Consuming from the queue is granted by the event source mapping, not here.
 */
export function grantJobRunner(role: Role, t: AccessTargets): void {
  allow(role, 'EnqueueJobs', ['sqs:SendMessage'], [t.queue.queueArn]);
  allow(
    role,
    'ReadAllSecrets',
    ['secretsmanager:GetSecretValue'],
    [t.slackSecret.secretArn, t.fingerprintSecret.secretArn, ...t.connectionSecrets.map((s) => s.secretArn)],
  );
  allow(
    role,
    'MainTableReadWrite',
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    [t.table.tableArn],
  );
  allow(
    role,
    'IndexQuery',
    ['dynamodb:Query'],
    [AUDIT_INDEX, TOKEN_INDEX].map((i) => `${t.table.tableArn}/index/${i}`),
  );
}

/** The schedule only queues the periodic jobs; the worker runs them. */
/**
 * The leak intake verifies reports with its signing secret, then works like the worker: it matches
 * against the token index and provider listings, revokes (policy autoRevoke), audits and posts to Slack,
 * and remembers signatures to refuse replays.
 */
export function grantLeakIntake(role: Role, t: AccessTargets): void {
  allow(role, 'EnqueueJobs', ['sqs:SendMessage'], [t.queue.queueArn]);
  allow(
    role,
    'ReadAllSecrets',
    ['secretsmanager:GetSecretValue'],
    [
      t.slackSecret.secretArn,
      t.fingerprintSecret.secretArn,
      t.leakSecret.secretArn,
      ...t.connectionSecrets.map((s) => s.secretArn),
    ],
  );
  allow(
    role,
    'MainTableReadWrite',
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:Scan'],
    [t.table.tableArn],
  );
}

export function grantScheduler(role: Role, t: AccessTargets): void {
  allow(role, 'EnqueueJobs', ['sqs:SendMessage'], [t.queue.queueArn]);
}
