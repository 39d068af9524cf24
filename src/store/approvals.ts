import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TokenOpsError } from '../core/errors.js';
import type { ApprovalRequest, ApprovalStore } from '../core/ports.js';
import { INDEX, guarded, isConditionFailure, strip } from './dynamo-util.js';

// Pending requests sit in the secondary index under one key until decided (the Home tab lists them).
const PENDING = 'APPROVALS#pending';
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
          Item: {
            pk: `APPROVAL#${request.id}`,
            sk: 'A',
            ttl: ttlIn(7 * 86400),
            ...(request.status === 'pending' ? { gsi1pk: PENDING, gsi1sk: request.createdAt } : {}),
            ...request,
          },
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

  async pending(): Promise<ApprovalRequest[]> {
    const res = await guarded('read the waiting approvals', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: INDEX,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': PENDING },
          ScanIndexForward: false,
          Limit: 50,
        }),
      ),
    );
    return (res.Items ?? [])
      .filter((i) => !expired(i as { ttl?: number }))
      .map((i) => strip<ApprovalRequest>(i))
      .filter((r) => r.status === 'pending');
  }

  async setCard(id: string, card: { channel: string; ts: string }): Promise<void> {
    await guarded('remember the approval card', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APPROVAL#${id}`, sk: 'A' },
          UpdateExpression: 'SET card = :c',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':c': card },
        }),
      ),
    );
  }

  async decide(
    id: string,
    status: 'approved' | 'denied',
    by: string,
    note?: string,
  ): Promise<ApprovalRequest | undefined> {
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APPROVAL#${id}`, sk: 'A' },
          UpdateExpression: `SET #s = :s, decidedBy = :by${note ? ', note = :note' : ''} REMOVE gsi1pk, gsi1sk`,
          ConditionExpression: '#s = :pending AND #ttl > :now',
          ExpressionAttributeNames: { '#s': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':s': status,
            ':by': by,
            ':pending': 'pending',
            ':now': Math.floor(Date.now() / 1000),
            ...(note ? { ':note': note } : {}),
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
