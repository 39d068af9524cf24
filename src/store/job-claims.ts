import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TokenOpsError } from '../core/errors.js';
import type { ClaimOptions, ClaimResult, JobClaims } from '../core/ports.js';
import { guarded, isConditionFailure } from './dynamo-util.js';
import { ttlIn } from './table.js';

/** At-most-once job execution with a lease, by conditional writes. Stores no result, only a status. */
export class DynamoJobClaims implements JobClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(jobId: string, leaseMs: number, options: ClaimOptions = {}): Promise<ClaimResult> {
    const now = Date.now();
    // A claim whose owner is known dead is judged as if its lease had run out.
    const leaseCheck = options.ownerDied ? Number.MAX_SAFE_INTEGER : now;
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
            ...(takeover ? { ':running': 'running', ':now': leaseCheck } : {}),
          },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionFailure(err))
        throw new TokenOpsError('audit_unavailable', 'The tokenops store could not claim the job.', { cause: err });
      const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `JOB#${jobId}`, sk: 'J' } }));
      if (res.Item?.['status'] === 'done') return 'done';
      const lapsed = res.Item?.['status'] === 'running' && Number(res.Item['leaseUntil']) < leaseCheck;
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
