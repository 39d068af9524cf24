import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { AUDIT_INDEX } from './constructs/data-store.js';

/** The resources whose access the functions need, with the ARNs the statements name. */
export interface AccessTargets {
  table: Table;
  idempotencyTable: Table;
  queue: Queue;
  slackSecret: Secret;
  fingerprintSecret: Secret;
  connectionSecrets: Secret[];
}

// Each statement has a Sid so the template (and the test pinning it) reads as a list of intents.
function allow(role: Role, sid: string, actions: string[], resources: string[]): void {
  role.addToPrincipalPolicy(new PolicyStatement({ sid, actions, resources }));
}

/**
 * The ingress acks within 3 s: it enqueues jobs, reads the Slack and fingerprint secrets, writes
 * refusal audit records and reads approvals. It never sees provider credentials.
 */
export function grantIngress(role: Role, t: AccessTargets): void {
  allow(role, 'EnqueueJobs', ['sqs:SendMessage'], [t.queue.queueArn]);
  allow(
    role,
    'ReadSlackSecrets',
    ['secretsmanager:GetSecretValue'],
    [t.slackSecret.secretArn, t.fingerprintSecret.secretArn],
  );
  allow(
    role,
    'MainTableReadWrite',
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    [t.table.tableArn],
  );
}

/**
 * The worker and the schedule do the provider work: every secret, the main table and its audit
 * index, idempotency records, and enqueueing (retried audit posts, fanned-out periodic jobs).
 * Consuming from the queue is granted by the worker's event source mapping, not here.
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
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    [t.table.tableArn],
  );
  allow(role, 'AuditIndexQuery', ['dynamodb:Query'], [`${t.table.tableArn}/index/${AUDIT_INDEX}`]);
  allow(
    role,
    'IdempotencyRecords',
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    [t.idempotencyTable.tableArn],
  );
}
