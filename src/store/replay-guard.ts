import { createHash } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamo-util.js';
import { ttlIn } from './table.js';

/** Remembers signed requests for their validity window, so the same signed request acts only once. */
export class DynamoReplayGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * True the first time a signature is seen; false for a replay. Throws when the store is down: a
   * door that cannot tell a replay from a first request refuses it (the sender retries).
   */
  async first(signature: string, keepS: number): Promise<boolean> {
    const id = createHash('sha256').update(signature).digest('hex');
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `REPLAY#${id}`, sk: 'R', ttl: ttlIn(keepS) },
          ConditionExpression: 'attribute_not_exists(pk) OR #t <= :now',
          ExpressionAttributeNames: { '#t': 'ttl' },
          ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
