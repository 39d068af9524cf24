import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Revocation, TokenIndex, TokenRecord } from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import { INDEX, TOKEN_INDEX, guarded, isConditionFailure, queryAll, strip } from './dynamo-util.js';

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

  async reassign(ref: string, owner: string): Promise<void> {
    await guarded('change the owner', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `TOKEN#${ref}`, sk: 'T' },
          UpdateExpression: 'SET #o = :o, gsi1pk = :g',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':o': owner, ':g': `OWNER#${owner}` },
        }),
      ),
    );
  }

  /** Every token record, from the sparse token index: the audit items sharing the table are never read. */
  async all(): Promise<TokenRecord[]> {
    return queryAll<TokenRecord>(this.db, 'read the tokens', {
      TableName: this.table,
      IndexName: TOKEN_INDEX,
      KeyConditionExpression: 'tokpk = :t',
      ExpressionAttributeValues: { ':t': TOKEN_PARTITION },
    });
  }

  /**
   * Records a revocation under its connection (one partition per connection: `revocations` is one
   * query) and, for a token tokenops minted, on its record too. Unconditional, so repeats are harmless.
   */
  async markRevoked(r: Revocation): Promise<void> {
    const item = { pk: revokedKey(r.ref), sk: r.ref, ...r };
    await guarded('record the revocation', async () => {
      await Promise.all([
        this.db.send(new PutCommand({ TableName: this.table, Item: item })),
        this.db
          .send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: `TOKEN#${r.ref}`, sk: 'T' },
              UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': r.at, ':by': r.by },
            }),
          )
          .catch((err: unknown) => {
            if (!isConditionFailure(err)) throw err; // not minted by tokenops: the revocation item is enough
          }),
      ]);
    });
  }

  async revocation(ref: string): Promise<Revocation | undefined> {
    const res = await guarded('read the revocation', () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: revokedKey(ref), sk: ref } })),
    );
    return res.Item ? strip<Revocation>(res.Item) : undefined;
  }

  async revocations(provider: ProviderType, connection: string): Promise<Revocation[]> {
    return queryAll<Revocation>(this.db, 'read the revocations', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `REVOKED#${provider}:${connection}` },
    });
  }
}

/** The partition of a REF's revocations: its `provider:connection`. */
function revokedKey(ref: string): string {
  const slash = ref.indexOf('/');
  return `REVOKED#${slash < 0 ? ref : ref.slice(0, slash)}`;
}
