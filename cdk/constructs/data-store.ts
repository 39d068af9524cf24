import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Name of the main table's one global secondary index (audit by provider and time). */
export const AUDIT_INDEX = 'gsi1';

/**
 * The one DynamoDB table: audit trail, token index, approvals and job claims. Job de-duplication is a
 * conditional write in this table (src/store/dynamo-store.ts), so no separate idempotency table.
 */
export class DataStore extends Construct {
  /** Single table: `pk`/`sk`, index `gsi1` (`gsi1pk`/`gsi1sk`), TTL on `ttl`. Holds the audit trail. */
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Main', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed KMS key: encrypted at rest, auditable in CloudTrail, and no key policy to get wrong.
      encryption: TableEncryption.AWS_MANAGED,
      // The audit trail must outlive the stack: a teardown or a botched update never deletes it.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: AUDIT_INDEX,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
    });
  }
}
