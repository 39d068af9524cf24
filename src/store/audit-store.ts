import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditOutcome, AuditRecord } from '../core/audit.js';
import type { AuditStore } from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import { INDEX, guarded, isConditionFailure } from './dynamo-util.js';
import { ttlIn } from './table.js';

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
    /** Days DynamoDB keeps a record (TTL); undefined keeps it for good. */
    private readonly retentionDays?: number | undefined,
  ) {}

  async put(record: AuditRecord): Promise<void> {
    // TTL counts from the record's own time, so a late (re-queued) write does not extend its life.
    const ttl = this.retentionDays === undefined ? undefined : ttlIn(this.retentionDays * 86400, Date.parse(record.at));
    await guarded('write the audit record', () =>
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `AUDIT#${record.id}`,
            sk: 'A',
            gsi1pk: `AUDIT#${record.at.slice(0, 7)}`,
            gsi1sk: `${record.at}#${record.id}`,
            ...(ttl === undefined ? {} : { ttl }),
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
    extra: Partial<Pick<AuditRecord, 'errorCode' | 'detail' | 'ref' | 'last4' | 'tokenName'>> = {},
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
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ttl: _t, ...rest } = item;
  return rest as unknown as AuditRecord;
}

/** Tokens minted through tokenops. */
