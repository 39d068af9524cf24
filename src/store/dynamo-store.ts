import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../core/ports.js';
import { DynamoApprovalStore } from './approvals.js';
import { DynamoAuditStore } from './audit-store.js';
import { DynamoBulkJobs } from './bulk-jobs.js';
import { DynamoJobClaims } from './job-claims.js';
import { DynamoTokenIndex } from './token-index.js';

export { monthsSince } from './audit-store.js';

export type { Stores } from '../core/ports.js';

/** Builds the stores over one table; audit records expire after `auditRetentionDays` when set. */
export function dynamoStores(
  db: DynamoDBDocumentClient,
  table: string,
  options: { auditRetentionDays?: number | undefined } = {},
): Stores {
  return {
    audit: new DynamoAuditStore(db, table, options.auditRetentionDays),
    tokens: new DynamoTokenIndex(db, table),
    approvals: new DynamoApprovalStore(db, table),
    claims: new DynamoJobClaims(db, table),
    bulk: new DynamoBulkJobs(db, table),
  };
}
