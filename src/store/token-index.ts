import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { TokenIndex, TokenRecord } from '../core/ports.js';
import { INDEX, TOKEN_INDEX, guarded, isConditionFailure, strip } from './dynamo-util.js';

/** The one partition of the sparse token index: token records are few (hundreds), and read together. */
const TOKEN_PARTITION = 'TOKEN';

export class DynamoTokenIndex implements TokenIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(record: TokenRecord): Promise<void> {
    await guarded('remember the token', () =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `TOKEN#${record.ref}`,
            sk: 'T',
            gsi1pk: `OWNER#${record.owner}`,
            gsi1sk: record.createdAt,
            tokpk: TOKEN_PARTITION,
            toksk: `${record.createdAt}#${record.ref}`,
            ...record,
          },
        }),
      ),
    );
  }

  async get(ref: string): Promise<TokenRecord | undefined> {
    const res = await guarded('read the token', () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `TOKEN#${ref}`, sk: 'T' } })),
    );
    return res.Item ? strip(res.Item) : undefined;
  }

  async byOwner(owner: string): Promise<TokenRecord[]> {
    const res = await guarded('read your tokens', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: INDEX,
          KeyConditionExpression: 'gsi1pk = :o',
          ExpressionAttributeValues: { ':o': `OWNER#${owner}` },
        }),
      ),
    );
    return (res.Items ?? []).map((i) => strip<TokenRecord>(i));
  }

  /** Every token record, from the sparse token index: the audit items sharing the table are never read. */
  async all(): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await guarded('read the tokens', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: TOKEN_INDEX,
            KeyConditionExpression: 'tokpk = :t',
            ExpressionAttributeValues: { ':t': TOKEN_PARTITION },
            ExclusiveStartKey: start,
          }),
        ),
      );
      out.push(...(res.Items ?? []).map((i) => strip<TokenRecord>(i)));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async markRevoked(ref: string, at: string): Promise<void> {
    await guarded('mark the token revoked', () =>
      this.db
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: `TOKEN#${ref}`, sk: 'T' },
            UpdateExpression: 'SET revokedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        )
        .catch((err: unknown) => {
          if (!isConditionFailure(err)) throw err; // not minted by tokenops: nothing to mark
        }),
    );
  }
}
