import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../core/ports.js';
import { DynamoApprovalStore } from './approvals.js';
import { DynamoAuditStore } from './audit-store.js';
import { DynamoJobClaims } from './job-claims.js';
import { DynamoTokenIndex } from './token-index.js';

export { monthsSince } from './audit-store.js';

export type { Stores } from '../core/ports.js';

/** Builds the stores over one table. */
export function dynamoStores(db: DynamoDBDocumentClient, table: string): Stores {
  return {
    audit: new DynamoAuditStore(db, table),
    tokens: new DynamoTokenIndex(db, table),
    approvals: new DynamoApprovalStore(db, table),
    claims: new DynamoJobClaims(db, table),
  };
}
