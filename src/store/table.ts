import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export { TABLE_SCHEMA } from './schema.js';
import { TABLE_SCHEMA } from './schema.js';

/** Where the store lives: a table name and, locally, an endpoint (dynalite). */
export interface StoreOptions {
  tableName: string;
  /** Endpoint override (dynalite); the SDK default on AWS. */
  endpoint?: string;
  region?: string;
}

/** Builds the document client: plain JS values in and out, undefined fields dropped. */
export function documentClient(options: StoreOptions): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {
    region: options.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    maxAttempts: 3,
  };
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    // dynalite accepts any credentials; never look for real ones locally.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } });
}

/** Creates the table if it does not exist (local runs and tests; on AWS the stack owns it). */
export async function ensureTable(options: StoreOptions): Promise<void> {
  const client = documentClient(options);
  try {
    await client.send(new DescribeTableCommand({ TableName: options.tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as { name?: string }).name !== 'ResourceNotFoundException')
      throw err;
  }
  const { partitionKey: pk, sortKey: sk, index, tokenIndex } = TABLE_SCHEMA;
  const gsi = (i: { name: string; partitionKey: string; sortKey: string }) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: options.tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        pk,
        sk,
        index.partitionKey,
        index.sortKey,
        tokenIndex.partitionKey,
        tokenIndex.sortKey,
      ].map((n) => ({
        AttributeName: n,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [gsi(index), gsi(tokenIndex)],
    }),
  );
}

/** Epoch seconds for a TTL attribute. */
export function ttlIn(seconds: number, now = Date.now()): number {
  return Math.floor(now / 1000) + seconds;
}

/** True when an item's TTL has passed (dynalite never deletes expired items; DynamoDB may be 48 h late). */
export function expired(item: { ttl?: number } | undefined, now = Date.now()): boolean {
  return item?.ttl !== undefined && item.ttl * 1000 <= now;
}
