import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TokenOpsError } from '../core/errors.js';
import type { ApprovalRequest, ApprovalStore } from '../core/ports.js';
import { guarded, isConditionFailure, strip } from './dynamo-util.js';
import { expired, ttlIn } from './table.js';

/** Approval requests; a decision is a conditional update, so two approvers cannot both decide. */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(request: ApprovalRequest): Promise<void> {
    await guarded('store the approval request', () =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `APPROVAL#${request.id}`, sk: 'A', ttl: ttlIn(7 * 86400), ...request },
        }),
      ),
    );
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const res = await guarded('read the approval request', () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `APPROVAL#${id}`, sk: 'A' } })),
    );
    return res.Item && !expired(res.Item as { ttl?: number }) ? strip(res.Item) : undefined;
  }

  async decide(id: string, status: 'approved' | 'denied', by: string): Promise<ApprovalRequest | undefined> {
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APPROVAL#${id}`, sk: 'A' },
          UpdateExpression: 'SET #s = :s, decidedBy = :by',
          ConditionExpression: '#s = :pending AND #ttl > :now',
          ExpressionAttributeNames: { '#s': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':s': status,
            ':by': by,
            ':pending': 'pending',
            ':now': Math.floor(Date.now() / 1000),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? strip(res.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw new TokenOpsError('audit_unavailable', 'The tokenops store could not record the decision.', { cause: err });
    }
  }
}
