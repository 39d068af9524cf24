import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../src/store/schema.js';

/** Name of the main table's audit/owner index (audit by month, tokens by owner). */
export const AUDIT_INDEX = TABLE_SCHEMA.index.name;
/** Name of the sparse index holding only token records. */
export const TOKEN_INDEX = TABLE_SCHEMA.tokenIndex.name;

/** Props of the data store. */
export interface DataStoreProps {
  /**
   * The table's physical name. Fixed on purpose: CloudFormation cannot replace a custom-named resource,
   * so a change that would replace the table fails the update instead of creating an empty table.
   */
  tableName: string;
}

/**
 * The one DynamoDB table: audit trail, token index, approvals and job claims. Job de-duplication is a
 * conditional write in this table (src/store/dynamo-store.ts), so no separate idempotency table.
 */
export class DataStore extends Construct {
  /** Single table: `pk`/`sk`, indexes `gsi1` and sparse `tokens`, TTL on `ttl`. Holds the audit trail. */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    const { partitionKey, sortKey, index, tokenIndex, ttlAttribute } = TABLE_SCHEMA;
    this.table = new Table(this, 'Main', {
      tableName: props.tableName,
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed KMS key: encrypted at rest, auditable in CloudTrail, and no key policy to get wrong.
      encryption: TableEncryption.AWS_MANAGED,
      // The audit trail must outlive the stack: a teardown or a botched update never deletes it.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    for (const i of [index, tokenIndex]) {
      this.table.addGlobalSecondaryIndex({
        indexName: i.name,
        partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
        sortKey: { name: i.sortKey, type: AttributeType.STRING },
      });
    }
  }
}
