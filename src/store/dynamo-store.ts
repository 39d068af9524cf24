import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditOutcome, AuditRecord } from '../core/audit.js';
import { TokenOpsError } from '../core/errors.js';
import type {
  ApprovalRequest,
  ApprovalStore,
  AuditStore,
  ClaimResult,
  JobClaims,
  TokenIndex,
  TokenRecord,
} from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import { TABLE_SCHEMA, expired, ttlIn } from './table.js';

const INDEX = TABLE_SCHEMA.index.name;

/** Wraps store failures in one typed error, so callers can fail closed or carry on. */
async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TokenOpsError) throw err;
    throw new TokenOpsError('audit_unavailable', `The tokenops store could not ${what}.`, { cause: err });
  }
}

const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

/** Months (YYYY-MM) from `since` to now: the audit GSI is bucketed by month to spread its partitions. */
export function monthsSince(since: string, now = new Date()): string[] {
  const out: string[] = [];
  const d = new Date(since);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  const endKey = now.getUTCFullYear() * 12 + now.getUTCMonth();
  while (y * 12 + m <= endKey && out.length < 240) {
    out.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out.reverse();
}

/** The audit trail in DynamoDB: one item per record, a GSI by month for time-range reads. */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(record: AuditRecord): Promise<void> {
    await guarded('write the audit record', () =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `AUDIT#${record.id}`,
            sk: 'A',
            gsi1pk: `AUDIT#${record.at.slice(0, 7)}`,
            gsi1sk: `${record.at}#${record.id}`,
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async putIfAbsent(record: AuditRecord): Promise<void> {
    try {
      await this.put(record);
    } catch (err) {
      if (!isConditionFailure((err as { cause?: unknown }).cause)) throw err; // already stored: fine
    }
  }

  async finish(
    id: string,
    outcome: AuditOutcome,
    extra: Partial<Pick<AuditRecord, 'errorCode' | 'detail' | 'ref' | 'last4'>> = {},
  ): Promise<void> {
    const fields: Record<string, unknown> = { outcome, ...extra };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    await guarded('update the audit record', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `AUDIT#${id}`, sk: 'A' },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    const res = await guarded('read the audit record', () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `AUDIT#${id}`, sk: 'A' } })),
    );
    return res.Item ? toAudit(res.Item) : undefined;
  }

  async list(query: { since: string; provider?: ProviderType; limit?: number }): Promise<AuditRecord[]> {
    const limit = query.limit ?? 200;
    const out: AuditRecord[] = [];
    for (const month of monthsSince(query.since)) {
      let start: Record<string, unknown> | undefined;
      do {
        const res = await guarded('read the audit trail', () =>
          this.db.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: INDEX,
              KeyConditionExpression: 'gsi1pk = :m AND gsi1sk >= :since',
              ExpressionAttributeValues: {
                ':m': `AUDIT#${month}`,
                ':since': query.since,
                ...(query.provider ? { ':p': query.provider } : {}),
              },
              ...(query.provider ? { FilterExpression: 'provider = :p' } : {}),
              ScanIndexForward: false,
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of res.Items ?? []) out.push(toAudit(item));
        start = res.LastEvaluatedKey;
      } while (start && out.length < limit);
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }
}

function toAudit(item: Record<string, unknown>): AuditRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest } = item;
  return rest as unknown as AuditRecord;
}

/** Tokens minted through tokenops. */
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

  async all(): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await guarded('read the tokens', () =>
        this.db.send(
          new ScanCommand({
            TableName: this.table,
            FilterExpression: 'begins_with(pk, :p)',
            ExpressionAttributeValues: { ':p': 'TOKEN#' },
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

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ttl: _t, ...rest } = item;
  return rest as T;
}

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

/** At-most-once job execution with a lease, by conditional writes. Stores no result, only a status. */
export class DynamoJobClaims implements JobClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(jobId: string, leaseMs: number, options: { takeover?: boolean } = {}): Promise<ClaimResult> {
    const now = Date.now();
    const takeover = options.takeover ?? true;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `JOB#${jobId}`, sk: 'J', status: 'running', leaseUntil: now + leaseMs, ttl: ttlIn(86400, now) },
          // Free, expired, released, or (for jobs safe to repeat) a lease that ran out: a worker died mid-job.
          ConditionExpression: `attribute_not_exists(pk) OR #t <= :nowS OR #s = :released${takeover ? ' OR (#s = :running AND leaseUntil < :now)' : ''}`,
          ExpressionAttributeNames: { '#s': 'status', '#t': 'ttl' },
          ExpressionAttributeValues: {
            ':released': 'released',
            ':nowS': Math.floor(now / 1000),
            ...(takeover ? { ':running': 'running', ':now': now } : {}),
          },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionFailure(err))
        throw new TokenOpsError('audit_unavailable', 'The tokenops store could not claim the job.', { cause: err });
      const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `JOB#${jobId}`, sk: 'J' } }));
      if (res.Item?.['status'] === 'done') return 'done';
      const lapsed = res.Item?.['status'] === 'running' && Number(res.Item['leaseUntil']) < now;
      return lapsed ? 'interrupted' : 'busy';
    }
  }

  async complete(jobId: string, summary: string): Promise<void> {
    await guarded('mark the job done', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `JOB#${jobId}`, sk: 'J' },
          UpdateExpression: 'SET #s = :done, summary = :sum',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':sum': summary.slice(0, 200) },
        }),
      ),
    );
  }

  async release(jobId: string): Promise<void> {
    await guarded('release the job', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `JOB#${jobId}`, sk: 'J' },
          UpdateExpression: 'SET #s = :r',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':r': 'released' },
        }),
      ),
    );
  }
}

/** All four stores over one table. */
export interface Stores {
  audit: AuditStore;
  tokens: TokenIndex;
  approvals: ApprovalStore;
  claims: JobClaims;
}

/** Builds the stores over one table. */
export function dynamoStores(db: DynamoDBDocumentClient, table: string): Stores {
  return {
    audit: new DynamoAuditStore(db, table),
    tokens: new DynamoTokenIndex(db, table),
    approvals: new DynamoApprovalStore(db, table),
    claims: new DynamoJobClaims(db, table),
  };
}
