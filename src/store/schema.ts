// No imports: the CDK app reads this without loading the AWS SDK.

/**
 * The one table's key schema. The CDK stack declares the same names; keep them in step
 * (test/cdk asserts it).
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  index: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * Sparse index of the token records: only token items carry `tokpk`, so the daily pass and `find`
   * read tokens without scanning the audit trail that shares the table.
   */
  tokenIndex: { name: 'tokens', partitionKey: 'tokpk', sortKey: 'toksk' },
  ttlAttribute: 'ttl',
} as const;
