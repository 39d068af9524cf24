import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { BulkItem, BulkItemState, BulkJob, BulkJobStore, BulkStatus, BulkTally, ItemClaim } from '../core/bulk.js';
import { guarded, isConditionFailure, queryAll, strip } from './dynamo-util.js';
import { ttlIn } from './table.js';

/**
 * How a claim on one token went: `claimed` run it now · `busy` another worker holds it (its lease runs)
 * · `finished` it already ended (a redelivered message) · `cancelled` the job was stopped before it
 * started · `exhausted` too many attempts died mid-way: it was marked failed.
 */
export type { ItemClaim } from '../core/bulk.js';

/** The tally's attributes on the job item, one per final state (atomic ADDs). */
const TALLY_KEYS = ['revoked', 'not_found', 'failed', 'cancelled'] as const;
const tallyAttr = (k: string): string => `n_${k}`;

/** A stored job item as a BulkJob: its flat tally attributes become `counts`. */
function jobOf(item: Record<string, unknown>): BulkJob {
  const job = strip<BulkJob & Record<string, unknown>>(item);
  const counts: BulkTally = {};
  for (const k of TALLY_KEYS) {
    const v = job[tallyAttr(k)];
    delete job[tallyAttr(k)];
    if (typeof v === 'number') counts[k] = v;
  }
  delete job['progressAt'];
  return { ...job, counts };
}

const KEEP_S = 90 * 86_400; // bulk jobs are kept 90 days, like their audit trail's notices

/**
 * Durable bulk jobs: one item for the job and one per token, in one partition. No transactions
 * (dynalite has none): every transition is a conditional write on one item, so a redelivered or
 * concurrent message can never revoke twice or count twice.
 */
export class DynamoBulkJobs implements BulkJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the tokens, then the job (so a job that exists always has all its tokens). */
  async create(job: BulkJob, items: readonly Omit<BulkItem, 'state' | 'attempts'>[]): Promise<void> {
    const ttl = ttlIn(KEEP_S, this.now());
    const puts = items.map((i) => ({
      PutRequest: { Item: { pk: pk(job.id), sk: `T#${i.ref}`, ...i, state: 'pending', attempts: 0, ttl } },
    }));
    await guarded('save the bulk job', async () => {
      for (let i = 0; i < puts.length; i += 25) {
        let batch: Record<string, unknown[]> | undefined = { [this.table]: puts.slice(i, i + 25) };
        for (let tries = 0; batch && Object.keys(batch).length > 0 && tries < 8; tries++) {
          const res = await this.db.send(new BatchWriteCommand({ RequestItems: batch as never }));
          batch = res.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
        if (batch && Object.keys(batch).length > 0) throw new Error('unprocessed bulk items');
      }
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: pk(job.id), sk: 'J', ...job, ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      // The person's own list of jobs (the Home tab): a small pointer under their id.
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `BULKBY#${job.actor}`,
            sk: `${job.createdAt}#${job.id}`,
            id: job.id,
            ttl: ttlIn(7 * 86_400, this.now()),
          },
        }),
      );
    });
  }

  async byActor(actor: string, limit = 5): Promise<BulkJob[]> {
    const res = await guarded('read the bulk jobs', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `BULKBY#${actor}` },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    const ids = (res.Items ?? []).map((i) => String(i['id']));
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is BulkJob => j !== undefined);
  }

  async tally(id: string, state: keyof BulkTally, n = 1): Promise<BulkJob | undefined> {
    const res = await guarded('update the bulk job', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(id), sk: 'J' },
          UpdateExpression: 'ADD #n :n',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#n': tallyAttr(state) },
          ExpressionAttributeValues: { ':n': n },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return res.Attributes ? jobOf(res.Attributes) : undefined;
  }

  async get(id: string): Promise<BulkJob | undefined> {
    const res = await guarded('read the bulk job', () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'J' }, ConsistentRead: true })),
    );
    return res.Item ? jobOf(res.Item) : undefined;
  }

  /** Every token of a job, in REF order. */
  async items(id: string): Promise<BulkItem[]> {
    return queryAll<BulkItem>(this.db, 'read the bulk job', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :t)',
      ExpressionAttributeValues: { ':p': pk(id), ':t': 'T#' },
      ConsistentRead: true,
    });
  }

  /** Moves the job from one status to another; false when it was not in `from` (a second click). */
  async transition(
    id: string,
    from: readonly BulkStatus[],
    to: BulkStatus,
    set: Partial<BulkJob> = {},
  ): Promise<boolean> {
    const fields = { ...set, status: to };
    const names = Object.fromEntries(Object.keys(fields).map((k, i) => [`#f${i}`, k]));
    const values = Object.fromEntries(Object.values(fields).map((v, i) => [`:f${i}`, v]));
    const froms = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    try {
      await guarded('update the bulk job', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: pk(id), sk: 'J' },
            UpdateExpression: `SET ${Object.keys(fields)
              .map((_, i) => `#f${i} = :f${i}`)
              .join(', ')}`,
            ConditionExpression: `#f${Object.keys(fields).indexOf('status')} IN (${Object.keys(froms).join(', ')})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ...values, ...froms },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionFailure((err as { cause?: unknown }).cause ?? err)) return false;
      throw err;
    }
  }

  /** Sets fields that are not part of the status machine (the progress message, the fan-out flag). */
  async annotate(id: string, set: Pick<Partial<BulkJob>, 'messageTs' | 'fannedOut' | 'channelId'>): Promise<void> {
    const keys = Object.keys(set);
    if (keys.length === 0) return;
    await guarded('update the bulk job', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(id), sk: 'J' },
          UpdateExpression: `SET ${keys.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(keys.map((k, i) => [`#a${i}`, k])),
          ExpressionAttributeValues: Object.fromEntries(Object.values(set).map((v, i) => [`:a${i}`, v])),
        }),
      ),
    );
  }

  /**
   * Claims one token for `leaseMs`: a pending token, or a running one whose worker died (lease lapsed).
   * When the job is stopping, a pending token is cancelled instead. After `maxAttempts` it is failed.
   */
  async claimItem(
    id: string,
    ref: string,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<{ claim: ItemClaim; attempt: number; item?: BulkItem }> {
    const r = (claim: ItemClaim, attempt = 0, item?: BulkItem) => ({ claim, attempt, item });
    const [job, item] = await Promise.all([this.get(id), this.#item(id, ref)]);
    if (!job || !item) return r('finished');
    if (item.state !== 'pending' && item.state !== 'running') return r('finished');
    const now = this.now();
    if (item.state === 'running' && (item.leaseUntil ?? 0) >= now) return r('busy');
    if (job.status !== 'running' && item.state === 'pending') {
      const cancelled = await this.#move(id, ref, item, 'cancelled', { detail: 'stopped before it started' });
      return r(cancelled ? 'cancelled' : 'finished');
    }
    // A lapsed lease after Stop is taken over too: that token had started, so it finishes.
    if (item.attempts >= maxAttempts) {
      const detail = `gave up after ${item.attempts} attempts that did not finish`;
      const failed = await this.#move(id, ref, item, 'failed', { detail, errorCode: 'exhausted' });
      return r(failed ? 'exhausted' : 'busy');
    }
    const attempt = item.attempts + 1;
    const moved = await this.#move(id, ref, item, 'running', { leaseUntil: now + leaseMs, attempts: attempt });
    return moved ? r('claimed', attempt, { ...item, state: 'running', attempts: attempt }) : r('busy');
  }

  /** Ends a token the caller claimed; false when it was not running any more (already settled). */
  async finishItem(
    id: string,
    ref: string,
    attempt: number,
    state: Exclude<BulkItemState, 'pending' | 'running'>,
    fields: Pick<BulkItem, 'detail' | 'errorCode'> = {},
  ): Promise<boolean> {
    return this.#move(id, ref, { state: 'running', attempts: attempt }, state, fields);
  }

  /** Gives a claimed token back after a retryable failure (its message is sent again, delayed). */
  async releaseItem(id: string, ref: string, attempt: number, detail: string): Promise<boolean> {
    return this.#move(id, ref, { state: 'running', attempts: attempt }, 'pending', { detail, leaseUntil: 0 });
  }

  /** Cancels every token that has not started (after Stop); returns how many. */
  async cancelPending(id: string): Promise<number> {
    let n = 0;
    for (const item of await this.items(id)) {
      if (item.state === 'pending' && (await this.#move(id, item.ref, item, 'cancelled', { detail: 'stopped' }))) n++;
    }
    return n;
  }

  /**
   * Takes the right to refresh the progress message: at most once per `gapMs` across all workers,
   * so Slack's chat.update limit is respected however many tokens finish at once.
   */
  async progressTick(id: string, gapMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(id), sk: 'J' },
          UpdateExpression: 'SET progressAt = :now',
          ConditionExpression: 'attribute_not_exists(progressAt) OR progressAt <= :before',
          ExpressionAttributeValues: { ':now': now, ':before': now - gapMs },
        }),
      );
      return true;
    } catch {
      return false;
    }
  }

  async #item(id: string, ref: string): Promise<BulkItem | undefined> {
    const res = await guarded('read the bulk job', () =>
      this.db.send(
        new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: `T#${ref}` }, ConsistentRead: true }),
      ),
    );
    return res.Item ? strip<BulkItem>(res.Item) : undefined;
  }

  /** One conditional step: only from the state (and attempt count) the caller saw. */
  async #move(
    id: string,
    ref: string,
    seen: Pick<BulkItem, 'state' | 'attempts'>,
    state: BulkItemState,
    set: Partial<BulkItem>,
  ): Promise<boolean> {
    const fields: Record<string, unknown> = { ...set, state };
    const keys = Object.keys(fields);
    try {
      await guarded('update the bulk job', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: pk(id), sk: `T#${ref}` },
            UpdateExpression: `SET ${keys.map((_, i) => `#m${i} = :m${i}`).join(', ')}`,
            ConditionExpression: '#st = :seen AND attempts = :att',
            ExpressionAttributeNames: { ...Object.fromEntries(keys.map((k, i) => [`#m${i}`, k])), '#st': 'state' },
            ExpressionAttributeValues: {
              ...Object.fromEntries(Object.values(fields).map((v, i) => [`:m${i}`, v])),
              ':seen': seen.state,
              ':att': seen.attempts,
            },
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionFailure((err as { cause?: unknown }).cause ?? err)) return false;
      throw err;
    }
  }
}

const pk = (id: string): string => `BULK#${id}`;
